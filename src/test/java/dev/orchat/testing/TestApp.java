package dev.orchat.testing;

import dev.orchat.OrchatApplication;
import dev.orchat.OrchatConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real application on ephemeral ports, a temp SQLite file and a fake upstream (docs/architecture.md). */
public final class TestApp {
    private TestApp() {
    }

    public static Path tempDir() {
        try {
            return Files.createTempDirectory("orchat-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One configuration value for {@link #create}; it replaces the test default of the same key. */
    public record Setting(String key, String value) {
    }

    /**
     * How many changesets the migrations folder declares for the database the tests run on (a changeset with a
     * {@code dbms:} for the other database is skipped by Liquibase and never recorded), so tests need no update
     * when one is added.
     */
    public static int changesetCount() {
        String database = TestDatabase.postgres() ? "postgresql" : "sqlite";
        try (var files = java.nio.file.Files.list(Path.of("migrations"))) {
            int n = 0;
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                boolean open = false;
                boolean applies = true;
                int keyIndent = -1;
                for (String line : java.nio.file.Files.readAllLines(f)) {
                    String l = line.strip();
                    int indent = line.length() - line.stripLeading().length();
                    if (l.equals("- changeSet:")) {
                        n += open && applies ? 1 : 0;
                        open = true;
                        applies = true;
                        keyIndent = indent + 4; // "- changeSet:" then its keys two levels in
                    } else if (open && l.startsWith("dbms:") && indent == keyIndent) { // the changeset's own key
                        applies = java.util.Arrays.stream(l.substring(5).split(",")).map(String::strip).anyMatch(database::equals);
                    }
                }
                n += open && applies ? 1 : 0;
            }
            return n;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Setting set(String key, String value) {
        return new Setting(key, value);
    }

    public static DropwizardAppExtension<OrchatConfiguration> create(FakeOpenRouter fake, Path dir, Setting... extra) {
        // Dropwizard keeps the FIRST override of a key, so defaults that a test sets itself must be left out.
        java.util.Set<String> replaced = new java.util.HashSet<>();
        for (Setting setting : extra) {
            replaced.add(setting.key());
        }
        java.util.Map<String, String> defaults = new java.util.LinkedHashMap<>();
        defaults.put("server.applicationConnectors[0].port", "0");
        defaults.put("server.adminConnectors[0].port", "0");
        defaults.put("dataDir", dir.toString());
        defaults.put("attachments.dir", dir.resolve("uploads").toString());
        defaults.put("mcp.configFile", dir.resolve("mcp_servers.json").toString());
        defaults.put("database.url", TestDatabase.urlFor(dir));
        defaults.put("openrouter.baseUrl", fake == null ? "http://127.0.0.1:9/api/v1" : fake.baseUrl().toString());
        defaults.put("openrouter.flavor", "openrouter");
        defaults.put("openrouter.apiKey", "test-key");
        defaults.put("openrouter.timeoutSeconds", "3");
        defaults.put("operations.minFreeDiskBytes", "1");
        defaults.put("user.timeZone", "America/New_York");
        defaults.put("logging.level", "WARN");
        List<ConfigOverride> overrides = new ArrayList<>();
        defaults.forEach((key, value) -> {
            if (!replaced.contains(key)) {
                overrides.add(ConfigOverride.config(key, value));
            }
        });
        for (Setting setting : extra) {
            overrides.add(ConfigOverride.config(setting.key(), setting.value()));
        }
        return new DropwizardAppExtension<>(OrchatApplication.class, "config.yml", overrides.toArray(ConfigOverride[]::new));
    }
}
