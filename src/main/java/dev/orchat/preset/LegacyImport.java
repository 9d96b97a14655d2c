package dev.orchat.preset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.settings.FieldErrors;
import dev.orchat.settings.ModelSettings;
import dev.orchat.settings.SettingsService;
import dev.orchat.settings.SettingsValidator;
import dev.orchat.settings.SystemPrompt;
import dev.orchat.web.ApiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-time import of the old JSON files (docs/operations.md, "Legacy import"), run at start while the {@code settings} table is empty.
 * The files are only read. A marker row is written afterwards, so the import never runs twice.
 */
public final class LegacyImport {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyImport.class);
    private final SettingsService settings;
    private final PresetService presets;
    private final ObjectMapper mapper;

    public LegacyImport(SettingsService settings, PresetService presets, ObjectMapper mapper) {
        this.settings = settings;
        this.presets = presets;
        this.mapper = mapper;
    }

    /** Returns a one-line summary; does nothing once anything was stored. */
    public String runIfFirstStart(Path modelSettingsFile, Path presetsFile) {
        if (!settings.isEmpty()) {
            return "skipped";
        }
        ModelSettings model = null;
        SystemPrompt prompt = null;
        JsonNode legacy = read(modelSettingsFile);
        if (legacy != null && legacy.isObject()) {
            model = modelSettings(legacy);
            // A file without the key means "use the default prompt": no row, so the default keeps applying.
            if (legacy.has("system_prompt")) {
                JsonNode p = legacy.get("system_prompt");
                prompt = SettingsService.explicitPrompt(p.isTextual() ? p.asText() : null);
            }
        }
        int imported = 0;
        int skipped = 0;
        JsonNode presetFile = read(presetsFile);
        JsonNode list = presetFile == null ? null : presetFile.isArray() ? presetFile : presetFile.get("presets");
        if (list != null && list.isArray()) {
            for (JsonNode entry : list) {
                try {
                    if (presets.importPreset(reduced(entry))) {
                        imported++;
                    } else {
                        skipped++;
                    }
                } catch (ApiException e) {
                    skipped++;
                    LOG.warn("Legacy preset skipped ({}): {}", entry.path("name").asText("?"), e.detail());
                }
            }
        }
        ObjectNode marker = mapper.createObjectNode();
        marker.put("model_settings", model != null);
        marker.put("presets", imported);
        settings.importLegacy(model, prompt, marker.toString());
        String summary = "model_settings=" + (model != null) + " presets=" + imported + " skipped=" + skipped;
        LOG.info("Legacy import: {}", summary);
        return summary;
    }

    private ModelSettings modelSettings(JsonNode legacy) {
        FieldErrors errors = new FieldErrors();
        String model = legacy.hasNonNull("model") ? SettingsValidator.model(legacy.get("model"), List.of("model"), errors) : null;
        FieldErrors providerErrors = new FieldErrors();
        ObjectNode provider = SettingsValidator.provider(legacy.get("provider"), List.of("provider"), providerErrors);
        FieldErrors parameterErrors = new FieldErrors();
        ObjectNode parameters = SettingsValidator.parameters(legacy.get("parameters"), List.of("parameters"), parameterErrors);
        if (!providerErrors.isEmpty() || !parameterErrors.isEmpty() || !errors.isEmpty()) {
            LOG.warn("Legacy model settings: invalid parts dropped (model={}, provider={}, parameters={})",
                    errors.isEmpty(), providerErrors.isEmpty(), parameterErrors.isEmpty());
        }
        return new ModelSettings(model == null ? settings.defaultModel() : model, providerErrors.isEmpty() ? provider : null,
                parameterErrors.isEmpty() ? parameters : null, null);
    }

    /** Legacy presets carried whole MCP server entries; only {id, enabled, disabled_tools} survive. */
    private JsonNode reduced(JsonNode entry) {
        if (!entry.isObject()) {
            return entry;
        }
        ObjectNode copy = mapper.createObjectNode();
        for (String key : List.of("name", "model", "provider", "parameters", "system_prompt")) {
            if (entry.has(key)) {
                copy.set(key, entry.get(key));
            }
        }
        JsonNode servers = entry.get("mcp_servers");
        if (servers != null && servers.isArray()) {
            var list = copy.putArray("mcp_servers");
            for (JsonNode s : servers) {
                ObjectNode server = list.addObject();
                server.set("id", s.get("id"));
                server.put("enabled", s.path("enabled").asBoolean(true));
                server.set("disabled_tools", s.has("disabled_tools") ? s.get("disabled_tools") : mapper.createArrayNode());
            }
        }
        return copy;
    }

    private JsonNode read(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            LOG.warn("Legacy file {} is not valid JSON; not imported", file);
            return null;
        }
    }
}
