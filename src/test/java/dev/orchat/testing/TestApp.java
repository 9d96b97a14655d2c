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

/** The real application on ephemeral ports, a temp SQLite file and a fake upstream (DESIGN §4.9). */
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

    public static DropwizardAppExtension<OrchatConfiguration> create(FakeOpenRouter fake, Path dir, ConfigOverride... extra) {
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("dataDir", dir.toString()),
                ConfigOverride.config("attachments.dir", dir.resolve("uploads").toString()),
                ConfigOverride.config("database.url", "jdbc:sqlite:" + dir.resolve("chat.db")),
                ConfigOverride.config("openrouter.baseUrl", fake == null ? "http://127.0.0.1:9/api/v1" : fake.baseUrl().toString()),
                ConfigOverride.config("openrouter.flavor", "openrouter"),
                ConfigOverride.config("openrouter.apiKey", "test-key"),
                ConfigOverride.config("openrouter.timeoutSeconds", "3"),
                ConfigOverride.config("operations.minFreeDiskBytes", "1"),
                ConfigOverride.config("user.timeZone", "America/New_York"),
                ConfigOverride.config("logging.level", "WARN")));
        overrides.addAll(List.of(extra));
        return new DropwizardAppExtension<>(OrchatApplication.class, "config.yml", overrides.toArray(ConfigOverride[]::new));
    }
}
