package dev.orchat.preset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.db.Database;
import dev.orchat.db.Timestamps;
import dev.orchat.mcp.McpSupervisor;
import dev.orchat.mcp.ServerEnablement;
import dev.orchat.mcp.config.McpServerConfig;
import dev.orchat.settings.FieldErrors;
import dev.orchat.settings.ModelSettings;
import dev.orchat.settings.SettingsService;
import dev.orchat.settings.SettingsValidator;
import dev.orchat.settings.SystemPrompt;
import dev.orchat.web.ApiException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Presets (docs/api.md §2.19): named snapshots of model settings, system prompt and MCP enablement, and their apply. */
public final class PresetService {
    private static final Logger LOG = LoggerFactory.getLogger(PresetService.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("audit");
    private final Database db;
    private final SettingsService settings;
    private final McpSupervisor mcp;
    private final ObjectMapper mapper;
    private final Clock clock;

    public PresetService(Database db, SettingsService settings, McpSupervisor mcp, ObjectMapper mapper, Clock clock) {
        this.db = db;
        this.settings = settings;
        this.mcp = mcp;
        this.mapper = mapper;
        this.clock = clock;
    }

    public ArrayNode list() {
        ArrayNode out = mapper.createArrayNode();
        for (PresetRow row : db.read(h -> h.dao(PresetDao.class).list())) {
            ObjectNode item = out.addObject();
            item.put("name", row.name());
            item.put("model", row.model());
            item.put("is_default", row.isDefault());
            item.put("created_at", row.createdAt());
            item.put("updated_at", row.updatedAt());
        }
        return out;
    }

    public Optional<ObjectNode> defaultPreset() {
        return db.read(h -> h.dao(PresetDao.class).findDefault()).map(this::view);
    }

    public ObjectNode get(String name) {
        return view(find(name));
    }

    /** Snapshot of the current state with the given fields on top; {@code is_default} false. */
    public ObjectNode create(JsonNode body) {
        PresetInput input = PresetInput.forCreate(body);
        String now = now();
        PresetRow row = merged(input.name(), input, false, now, now);
        try {
            db.write(h -> {
                PresetDao dao = h.dao(PresetDao.class);
                Optional<PresetRow> existing = dao.find(row.name());
                if (existing.isPresent()) {
                    throw ApiException.conflict("Preset already exists: " + existing.get().name());
                }
                dao.insert(row);
                return null;
            });
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) { // a concurrent create won the race
                throw ApiException.conflict("Preset already exists: " + row.name());
            }
            throw e;
        }
        return view(row);
    }

    /** Re-snapshots the current state, then applies the given fields; keeps the name, created_at and is_default. */
    public ObjectNode overwrite(String name, JsonNode body) {
        PresetInput input = body == null || body.isNull() ? PresetInput.forOverwrite(mapper.createObjectNode())
                : PresetInput.forOverwrite(body);
        PresetRow updated = db.write(h -> {
            PresetDao dao = h.dao(PresetDao.class);
            PresetRow existing = dao.find(name).orElseThrow(() -> notFound(name));
            PresetRow row = merged(existing.name(), input, existing.isDefault(), existing.createdAt(), now());
            dao.update(row);
            return row;
        });
        return view(updated);
    }

    public void delete(String name) {
        db.write(h -> {
            PresetDao dao = h.dao(PresetDao.class);
            PresetRow existing = dao.find(name).orElseThrow(() -> notFound(name));
            if (existing.isDefault()) {
                throw ApiException.conflict("Cannot delete default preset: " + existing.name());
            }
            dao.delete(existing.name());
            return null;
        });
    }

    public ObjectNode setDefault(String name) {
        PresetRow row = db.write(h -> {
            PresetDao dao = h.dao(PresetDao.class);
            PresetRow existing = dao.find(name).orElseThrow(() -> notFound(name));
            dao.setDefault(existing.name(), now());
            return dao.find(existing.name()).orElseThrow();
        });
        return view(row);
    }

    /**
     * All-or-nothing apply (docs/api.md §2.19): validate; one transaction for the model settings and the prompt; then the
     * MCP file, atomically. If the file write fails, the transaction's changes are written back and this is a 500.
     */
    public ObjectNode apply(String name) {
        PresetRow row = find(name);
        FieldErrors errors = new FieldErrors();
        String model = SettingsValidator.model(row.model() == null ? null : mapper.getNodeFactory().textNode(row.model()),
                List.of("preset", "model"), errors);
        ObjectNode provider = SettingsValidator.provider(json(row.provider()), List.of("preset", "provider"), errors);
        ObjectNode parameters = SettingsValidator.parameters(json(row.parameters()), List.of("preset", "parameters"), errors);
        errors.throwIfAny();
        Set<String> known = mcp.configs().stream().map(McpServerConfig::id).collect(Collectors.toSet());
        List<ServerEnablement> changes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (ServerEnablement server : servers(row.mcpServers())) {
            if (known.contains(server.id())) {
                changes.add(server);
            } else {
                warnings.add("MCP server '" + server.id() + "' is not configured; skipped");
            }
        }
        try {
            settings.replace(new ModelSettings(model, provider, parameters, null), new SystemPrompt(true, row.systemPrompt()),
                    () -> mcp.setEnablement(changes));
        } catch (UncheckedIOException e) {
            LOG.error("Preset '{}' not applied: writing the MCP configuration failed ({}); settings restored",
                    row.name(), e.getCause().toString());
            throw new ApiException(500, "Preset not applied: the MCP configuration could not be saved");
        }
        AUDIT.info("preset applied: name={} model={} mcp_servers={} skipped={}", row.name(), model, changes.size(), warnings.size());
        ObjectNode out = view(row);
        if (!warnings.isEmpty()) {
            out.set("warnings", mapper.valueToTree(warnings));
        }
        return out;
    }

    /** Legacy import (docs/operations.md, "Legacy import"): inserts a valid preset unless its name exists; false when skipped. */
    boolean importPreset(JsonNode entry) {
        PresetInput input = PresetInput.forCreate(entry);
        String now = now();
        PresetRow row = new PresetRow(input.name(), input.model() == null ? settings.defaultModel() : input.model(),
                text(input.provider()), text(input.parameters()), input.systemPrompt(), serversText(input.mcpServers()),
                false, now, now);
        return db.write(h -> {
            PresetDao dao = h.dao(PresetDao.class);
            if (dao.find(row.name()).isPresent()) {
                return false;
            }
            dao.insert(row);
            return true;
        });
    }

    private PresetRow merged(String name, PresetInput input, boolean isDefault, String createdAt, String updatedAt) {
        ModelSettings current = settings.modelSettings();
        String model = input.hasModel() ? input.model() : current.model();
        ObjectNode provider = input.hasProvider() ? input.provider() : current.provider();
        ObjectNode parameters = input.hasParameters() ? input.parameters() : current.parameters();
        String prompt = input.hasSystemPrompt() ? input.systemPrompt() : settings.systemPrompt();
        List<ServerEnablement> servers = input.hasMcpServers() ? input.mcpServers() : mcp.enablement();
        return new PresetRow(name, model, text(provider), text(parameters), prompt, serversText(servers), isDefault,
                createdAt, updatedAt);
    }

    ObjectNode view(PresetRow row) {
        ObjectNode out = mapper.createObjectNode();
        out.put("name", row.name());
        out.put("model", row.model());
        out.set("provider", orNull(json(row.provider())));
        out.set("parameters", orNull(json(row.parameters())));
        out.put("system_prompt", row.systemPrompt());
        out.set("mcp_servers", orNull(json(row.mcpServers())));
        out.put("is_default", row.isDefault());
        out.put("created_at", row.createdAt());
        out.put("updated_at", row.updatedAt());
        return out;
    }

    private PresetRow find(String name) {
        return db.read(h -> h.dao(PresetDao.class).find(name)).orElseThrow(() -> notFound(name));
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("Preset not found: " + name);
    }

    private List<ServerEnablement> servers(String text) {
        if (text == null) {
            return List.of();
        }
        try {
            return mapper.readValue(text, new TypeReference<List<ServerEnablement>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored mcp_servers is not valid", e);
        }
    }

    private String serversText(List<ServerEnablement> servers) {
        return servers == null ? null : mapper.valueToTree(servers).toString();
    }

    private JsonNode json(String text) {
        try {
            return text == null ? null : mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored preset column is not JSON", e);
        }
    }

    private JsonNode orNull(JsonNode node) {
        return node == null ? mapper.nullNode() : node;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.toString();
    }

    private String now() {
        return Timestamps.format(clock.instant());
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("23505".equals(sql.getSQLState())
                    || String.valueOf(sql.getMessage()).contains("UNIQUE constraint failed"))) {
                return true;
            }
        }
        return false;
    }
}
