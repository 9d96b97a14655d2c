package dev.orchat.preset;

import static dev.orchat.settings.FieldErrors.at;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.mcp.ServerEnablement;
import dev.orchat.settings.FieldErrors;
import dev.orchat.settings.SettingsService;
import dev.orchat.settings.SettingsValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A validated preset body (docs/api.md §2.19). Each field is "given" or not, because a given field overrides the snapshot
 * of the current state, even when it is null.
 */
record PresetInput(String name, boolean hasModel, String model, boolean hasProvider, ObjectNode provider,
                   boolean hasParameters, ObjectNode parameters, boolean hasSystemPrompt, String systemPrompt,
                   boolean hasMcpServers, List<ServerEnablement> mcpServers) {
    private static final Set<String> CREATE_KEYS = Set.of("name", "model", "provider", "parameters", "system_prompt",
            "mcp_servers");
    /** PUT also accepts {@code note} (ignored) and {@code name} (the path decides). */
    private static final Set<String> OVERWRITE_KEYS = Set.of("name", "model", "provider", "parameters", "system_prompt",
            "mcp_servers", "note");
    private static final Set<String> SERVER_KEYS = Set.of("id", "enabled", "disabled_tools");

    static PresetInput forCreate(JsonNode body) {
        return parse(body, CREATE_KEYS, true);
    }

    static PresetInput forOverwrite(JsonNode body) {
        return parse(body, OVERWRITE_KEYS, false);
    }

    private static PresetInput parse(JsonNode body, Set<String> allowed, boolean nameRequired) {
        FieldErrors errors = new FieldErrors();
        List<Object> root = List.of("body");
        if (!errors.requireObject(body, root)) {
            errors.throwIfAny();
        }
        errors.rejectUnknown(body, allowed, root);
        String name = nameRequired ? name(body.get("name"), at(root, "name"), errors) : null;
        String model = body.has("model") ? SettingsValidator.model(body.get("model"), at(root, "model"), errors) : null;
        ObjectNode provider = SettingsValidator.provider(body.get("provider"), at(root, "provider"), errors);
        ObjectNode parameters = SettingsValidator.parameters(body.get("parameters"), at(root, "parameters"), errors);
        String prompt = null;
        JsonNode p = body.get("system_prompt");
        if (p != null && !p.isNull()) {
            if (!p.isTextual()) {
                errors.add(at(root, "system_prompt"), "Input should be a valid string", "string_type");
            } else if (p.asText().length() > SettingsService.MAX_SYSTEM_PROMPT) {
                errors.add(at(root, "system_prompt"), "String should have at most 100000 characters", "string_too_long");
            } else {
                prompt = SettingsService.explicitPrompt(p.asText()).value();
            }
        }
        List<ServerEnablement> servers = servers(body.get("mcp_servers"), at(root, "mcp_servers"), errors);
        errors.throwIfAny();
        return new PresetInput(name, body.has("model"), model, body.has("provider"), provider, body.has("parameters"),
                parameters, body.has("system_prompt"), prompt, body.has("mcp_servers"), servers);
    }

    /** 1–64 characters after trimming, no control characters or '/', and not the reserved word {@code default}. */
    static String name(JsonNode value, List<Object> loc, FieldErrors errors) {
        String name = errors.requiredText(value, loc);
        if (name == null) {
            return null;
        }
        if (name.isEmpty() || name.length() > 64) {
            errors.add(loc, "Name must be 1-64 characters", name.isEmpty() ? "string_too_short" : "string_too_long");
            return null;
        }
        if (name.chars().anyMatch(c -> Character.isISOControl(c) || c == '/')) {
            errors.add(loc, "Name must not contain control characters or '/'", "value_error");
            return null;
        }
        if (name.toLowerCase(Locale.ROOT).equals("default")) {
            errors.add(loc, "The name 'default' is reserved", "value_error");
            return null;
        }
        return name;
    }

    /** {@code [{"id", "enabled", "disabled_tools"}]} or null. */
    static List<ServerEnablement> servers(JsonNode value, List<Object> loc, FieldErrors errors) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            errors.add(loc, "Input should be a valid list", "list_type");
            return null;
        }
        List<ServerEnablement> out = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode entry = value.get(i);
            List<Object> where = at(loc, i);
            if (!errors.requireObject(entry, where)) {
                continue;
            }
            errors.rejectUnknown(entry, SERVER_KEYS, where);
            JsonNode id = entry.get("id");
            if (id == null || !id.isTextual() || id.asText().isBlank()) {
                errors.add(at(where, "id"), id == null ? "Field required" : "Input should be a valid string",
                        id == null ? "missing" : "string_type");
                continue;
            }
            JsonNode enabled = entry.get("enabled");
            if (enabled != null && !enabled.isBoolean()) {
                errors.add(at(where, "enabled"), "Input should be a valid boolean", "bool_type");
            }
            List<String> disabled = new ArrayList<>();
            JsonNode tools = entry.get("disabled_tools");
            if (tools != null && !tools.isNull()) {
                if (!tools.isArray()) {
                    errors.add(at(where, "disabled_tools"), "Input should be a valid list", "list_type");
                } else {
                    for (int t = 0; t < tools.size(); t++) {
                        if (tools.get(t).isTextual()) {
                            disabled.add(tools.get(t).asText());
                        } else {
                            errors.add(at(at(where, "disabled_tools"), t), "Input should be a valid string", "string_type");
                        }
                    }
                }
            }
            out.add(new ServerEnablement(id.asText(), enabled == null || enabled.asBoolean(), disabled));
        }
        return out;
    }
}
