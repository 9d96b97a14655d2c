package dev.orchat.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;

/** {@code operations.minFreeDiskBytes} (default 512 MiB): the disk-space health threshold (docs/operations.md, "Admin port"). */
public class OperationsFactory {
    @JsonProperty
    @Min(0)
    private long minFreeDiskBytes = 536_870_912L;

    /**
     * The operations surface (docs/operations.md): the {@code database}, {@code disk-space} and {@code openrouter}
     * health checks, and {@code GET /health}.
     */
    public void wire(io.dropwizard.core.setup.Environment env, org.jdbi.v3.core.Jdbi jdbi,
                     io.dropwizard.db.ManagedDataSource dataSource, dev.orchat.openrouter.OpenRouterClient upstream,
                     dev.orchat.settings.SettingsStore settings, java.nio.file.Path dataDirectory, String defaultModel,
                     java.time.Clock clock) throws Exception {
        env.healthChecks().unregister("database");
        env.healthChecks().register("database",
                new DatabaseHealthCheck(jdbi, dev.orchat.db.Migrations.changesetCount(dataSource)));
        env.healthChecks().register("disk-space", new DiskSpaceHealthCheck(dataDirectory, minFreeDiskBytes));
        env.healthChecks().register("openrouter", new NonCriticalHealthCheck(
                new dev.orchat.openrouter.OpenRouterHealthCheck(upstream, clock)));
        env.jersey().register(new HealthResource(defaultModel, settings, dev.orchat.web.WebWiring.version()));
    }

    public long getMinFreeDiskBytes() {
        return minFreeDiskBytes;
    }
}
