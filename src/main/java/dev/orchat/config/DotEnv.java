package dev.orchat.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Values from a {@code .env} file. They feed configuration substitution only: they are never put into the
 * process environment, so MCP children and other subprocesses never see them (docs/configuration.md §1).
 */
public final class DotEnv {
    private final Map<String, String> values;

    private DotEnv(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static DotEnv empty() {
        return new DotEnv(Map.of());
    }

    public static DotEnv load(Path file) {
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static DotEnv parse(List<String> lines) {
        Map<String, String> out = new HashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                    && value.charAt(value.length() - 1) == value.charAt(0)) {
                value = value.substring(1, value.length() - 1);
            } else {
                // An unquoted value may carry a trailing comment: KEY=value # note
                int hash = value.indexOf(" #");
                if (hash >= 0) {
                    value = value.substring(0, hash).strip();
                }
            }
            out.put(key, value);
        }
        return new DotEnv(out);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }
}
