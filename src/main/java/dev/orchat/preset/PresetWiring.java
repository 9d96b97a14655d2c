package dev.orchat.preset;

import dev.orchat.config.EnvSubstitutor;
import dev.orchat.db.Database;
import dev.orchat.mcp.McpSupervisor;
import dev.orchat.settings.SettingsService;
import io.dropwizard.core.setup.Environment;
import java.nio.file.Path;
import java.time.Clock;

/** Presets (docs/api.md, "Presets") and the one-time import of the legacy settings and presets files. */
public final class PresetWiring {
    private PresetWiring() {
    }

    public static PresetService wire(Environment env, Database db, SettingsService settings, McpSupervisor mcp,
                                     Clock clock, Path dataDirectory, EnvSubstitutor variables) {
        PresetService presets = new PresetService(db, settings, mcp, env.getObjectMapper(), clock);
        new LegacyImport(settings, presets, env.getObjectMapper()).runIfFirstStart(
                Path.of(variables.replace("${MODEL_SETTINGS_PATH:-" + dataDirectory.resolve("model_settings.json") + "}")),
                Path.of(variables.replace("${PRESETS_PATH:-" + dataDirectory.resolve("presets.json") + "}")));
        env.jersey().register(new PresetResource(presets, env.getObjectMapper()));
        return presets;
    }
}
