package dev.orchat.googleauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The OAuth client from Google's downloaded JSON (docs/api.md §2.27): either the {@code "web"} or the {@code "installed"}
 * form. Only the id and secret are read; endpoints come from configuration so tests can use a fake.
 */
public record ClientSecrets(String clientId, String clientSecret) {
    @Override
    public String toString() {
        return "ClientSecrets[clientId=" + clientId + ", clientSecret=***]";
    }

    /** The configured file, else the first {@code client_secret*.json} in {@code dir} by name; empty when none. */
    public static Optional<Path> locate(String configured, Path dir) {
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured.strip()));
        }
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith("client_secret") && name.endsWith(".json") && Files.isRegularFile(p);
            }).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Reads the file; the message of a failure says what is wrong without echoing the file's content. */
    public static ClientSecrets read(Path file, ObjectMapper mapper) throws IOException {
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("client secret file " + file.getFileName() + " is not valid JSON");
        }
        JsonNode client = root == null ? null : root.has("web") ? root.get("web") : root.get("installed");
        if (client == null || !client.isObject()) {
            throw new IOException("client secret file " + file.getFileName() + " has neither a \"web\" nor an \"installed\" client");
        }
        String id = client.path("client_id").asText("");
        String secret = client.path("client_secret").asText("");
        if (id.isBlank() || secret.isBlank()) {
            throw new IOException("client secret file " + file.getFileName() + " lacks client_id or client_secret");
        }
        return new ClientSecrets(id, secret);
    }
}
