package dev.orchat.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Where the built UI files come from: the jar's {@code /ui/} resources or an operator-supplied folder. */
public interface UiAssets {
    /** The bytes of a file by its relative path ({@code index.html}, {@code assets/x.js}); never escapes the root. */
    Optional<byte[]> read(String relativePath);

    static UiAssets bundled() {
        Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();
        return relativePath -> {
            if (!isSafe(relativePath)) {
                return Optional.empty();
            }
            // Bundled files cannot change while the process runs, so each is read once.
            return cache.computeIfAbsent(relativePath, p -> {
                try (InputStream in = UiAssets.class.getResourceAsStream("/ui/" + p)) {
                    return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
                } catch (IOException e) {
                    return Optional.empty();
                }
            });
        };
    }

    static UiAssets directory(Path root) {
        Path base = root.toAbsolutePath().normalize();
        return relativePath -> {
            if (!isSafe(relativePath)) {
                return Optional.empty();
            }
            Path file = base.resolve(relativePath).normalize();
            if (!file.startsWith(base) || !Files.isRegularFile(file)) {
                return Optional.empty();
            }
            try {
                return Optional.of(Files.readAllBytes(file));
            } catch (IOException e) {
                return Optional.empty();
            }
        };
    }

    private static boolean isSafe(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
