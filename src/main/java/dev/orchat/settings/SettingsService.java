package dev.orchat.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.db.Database;
import dev.orchat.db.PinnedHandle;
import dev.orchat.db.Timestamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Model settings and system prompt (docs/api.md §2.18), persisted in {@code settings} and served from memory: a turn's
 * snapshot costs no I/O. Writes go through the service's single SQLite writer ({@link Database#write})
 * and are serialised by one lock, so a preset apply and a PUT never interleave.
 */
public final class SettingsService implements SettingsStore {
    public static final int MAX_SYSTEM_PROMPT = 100_000;
    private static final Set<String> MODEL_BODY_KEYS = Set.of("model", "provider", "parameters");
    private final Database db;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final String defaultModel;
    private final String defaultPrompt;
    private final ReentrantLock changes = new ReentrantLock();
    private volatile State state;

    /** Everything this service holds, replaced as a whole. */
    public record State(ModelSettings model, SystemPrompt prompt) {
    }

    /** Work that must succeed after the database commit, or the commit is undone (preset apply, docs/api.md §2.19). */
    @FunctionalInterface
    public interface AfterCommit {
        void run() throws IOException;
    }

    public SettingsService(Database db, ObjectMapper mapper, Clock clock, String defaultModel, String defaultPrompt) {
        this.db = db;
        this.mapper = mapper;
        this.clock = clock;
        this.defaultModel = defaultModel;
        this.defaultPrompt = defaultPrompt;
        this.state = new State(new ModelSettings(defaultModel, null, null, null), SystemPrompt.UNSET);
    }

    /**
     * Builds, loads and serves the settings (docs/api.md, "Settings"): loaded before any turn can start.
     */
    public static SettingsService wire(io.dropwizard.core.setup.Environment env, Database db,
                                       dev.orchat.openrouter.OpenRouterClient upstream, Clock clock,
                                       String defaultModel, String defaultPrompt) {
        ObjectMapper mapper = env.getObjectMapper();
        SettingsService settings = new SettingsService(db, mapper, clock, defaultModel, defaultPrompt);
        settings.load();
        env.jersey().register(new SettingsResource(settings, new ActiveProviderExplainer(upstream, mapper)));
        return settings;
    }

    /** Reads the stored rows (docs/architecture.md §9 step 7). */
    public void load() {
        state = db.read(h -> readState(h.dao(SettingsDao.class)));
    }

    /** True while nothing was ever stored: the legacy import (docs/operations.md, "Legacy import") may run. */
    public boolean isEmpty() {
        return db.read(h -> h.dao(SettingsDao.class).count()) == 0;
    }

    public State state() {
        return state;
    }

    public String defaultModel() {
        return defaultModel;
    }

    public ModelSettings modelSettings() {
        return state.model();
    }

    /** The prompt a turn uses: the stored one when set (also an explicit null), else the configured default. */
    public String systemPrompt() {
        return state.prompt().effective(defaultPrompt);
    }

    @Override
    public SettingsSnapshot snapshot() {
        State s = state;
        return new SettingsSnapshot(s.model().model(), s.model().provider(), s.model().parameters(),
                s.prompt().effective(defaultPrompt));
    }

    /** Validates a PUT body; the result carries no {@code updated_at} yet. */
    public ModelSettings parseModelBody(JsonNode body) {
        FieldErrors errors = new FieldErrors();
        if (!errors.requireObject(body, List.of("body"))) {
            errors.throwIfAny();
        }
        errors.rejectUnknown(body, MODEL_BODY_KEYS, List.of("body"));
        String model = SettingsValidator.model(body.get("model"), List.of("body", "model"), errors);
        ObjectNode provider = SettingsValidator.provider(body.get("provider"), List.of("body", "provider"), errors);
        ObjectNode parameters = SettingsValidator.parameters(body.get("parameters"), List.of("body", "parameters"), errors);
        errors.throwIfAny();
        return new ModelSettings(model, provider, parameters, null);
    }

    /** PUT semantics: replaces the whole object (omitted members become null); the prompt is untouched. */
    public ModelSettings putModelSettings(ModelSettings next) {
        return replace(next, null, () -> { }).model();
    }

    /** Validates {@code {"system_prompt": string|null}}; trimmed, empty → null. */
    public SystemPrompt parsePromptBody(JsonNode body) {
        FieldErrors errors = new FieldErrors();
        if (!errors.requireObject(body, List.of("body"))) {
            errors.throwIfAny();
        }
        errors.rejectUnknown(body, Set.of("system_prompt"), List.of("body"));
        JsonNode value = body.get("system_prompt");
        String prompt = null;
        if (value == null) {
            errors.add(List.of("body", "system_prompt"), "Field required", "missing");
        } else if (!value.isNull() && !value.isTextual()) {
            errors.add(List.of("body", "system_prompt"), "Input should be a valid string", "string_type");
        } else if (value.isTextual()) {
            prompt = value.asText();
            if (prompt.length() > MAX_SYSTEM_PROMPT) {
                errors.add(List.of("body", "system_prompt"), "String should have at most 100000 characters",
                        "string_too_long");
            }
        }
        errors.throwIfAny();
        return explicitPrompt(prompt);
    }

    public static SystemPrompt explicitPrompt(String value) {
        String trimmed = value == null ? null : value.strip();
        return new SystemPrompt(true, trimmed == null || trimmed.isEmpty() ? null : trimmed);
    }

    public SystemPrompt putSystemPrompt(SystemPrompt prompt) {
        return replace(null, prompt, () -> { }).prompt();
    }

    /**
     * Replaces the model settings and/or the prompt (null = keep) in one transaction, then runs {@code afterCommit}.
     * If that fails, the previous rows are written back and the failure is rethrown; the in-memory state changes
     * only when everything succeeded.
     */
    public State replace(ModelSettings model, SystemPrompt prompt, AfterCommit afterCommit) {
        changes.lock();
        try {
            String now = Timestamps.format(clock.instant());
            State current = state;
            State next = new State(model == null ? current.model()
                    : new ModelSettings(model.model(), model.provider(), model.parameters(), now),
                    prompt == null ? current.prompt() : prompt);
            List<Optional<SettingRow>> previous = db.write(h -> {
                SettingsDao dao = h.dao(SettingsDao.class);
                List<Optional<SettingRow>> old = List.of(dao.find(SettingsDao.MODEL_SETTINGS), dao.find(SettingsDao.SYSTEM_PROMPT));
                writeRows(h, model == null ? null : next.model(), prompt, now);
                return old;
            });
            try {
                afterCommit.run();
            } catch (IOException | RuntimeException e) {
                db.write(h -> {
                    restore(h.dao(SettingsDao.class), SettingsDao.MODEL_SETTINGS, previous.get(0));
                    restore(h.dao(SettingsDao.class), SettingsDao.SYSTEM_PROMPT, previous.get(1));
                    return null;
                });
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
            state = next;
            return next;
        } finally {
            changes.unlock();
        }
    }

    /** The legacy import writes through here, once, with the marker row (docs/operations.md, "Legacy import"). */
    public void importLegacy(ModelSettings model, SystemPrompt prompt, String markerJson) {
        changes.lock();
        try {
            String now = Timestamps.format(clock.instant());
            db.write(h -> {
                writeRows(h, model == null ? null : new ModelSettings(model.model(), model.provider(), model.parameters(), now),
                        prompt, now);
                h.dao(SettingsDao.class).put(SettingsDao.LEGACY_IMPORT, markerJson, now);
                return null;
            });
            state = db.read(h -> readState(h.dao(SettingsDao.class)));
        } finally {
            changes.unlock();
        }
    }

    private void writeRows(PinnedHandle h, ModelSettings model, SystemPrompt prompt, String now) {
        SettingsDao dao = h.dao(SettingsDao.class);
        if (model != null) {
            ObjectNode value = mapper.createObjectNode();
            value.put("model", model.model());
            value.set("provider", model.provider());
            value.set("parameters", model.parameters());
            dao.put(SettingsDao.MODEL_SETTINGS, value.toString(), now);
        }
        if (prompt != null) {
            ObjectNode value = mapper.createObjectNode();
            value.put("system_prompt", prompt.value());
            dao.put(SettingsDao.SYSTEM_PROMPT, value.toString(), now);
        }
    }

    private static void restore(SettingsDao dao, String key, Optional<SettingRow> row) {
        if (row.isPresent()) {
            dao.put(key, row.get().value(), row.get().updatedAt());
        } else {
            dao.delete(key);
        }
    }

    private State readState(SettingsDao dao) {
        ModelSettings model = dao.find(SettingsDao.MODEL_SETTINGS).map(row -> {
            JsonNode v = json(row.value());
            String id = v.path("model").isTextual() && !v.get("model").asText().isBlank() ? v.get("model").asText() : defaultModel;
            return new ModelSettings(id, v.get("provider") instanceof ObjectNode p ? p : null,
                    v.get("parameters") instanceof ObjectNode p ? p : null, row.updatedAt());
        }).orElse(new ModelSettings(defaultModel, null, null, null));
        SystemPrompt prompt = dao.find(SettingsDao.SYSTEM_PROMPT)
                .map(row -> new SystemPrompt(true, json(row.value()).path("system_prompt").isTextual()
                        ? json(row.value()).get("system_prompt").asText() : null))
                .orElse(SystemPrompt.UNSET);
        return new State(model, prompt);
    }

    private JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("settings row is not JSON", e);
        }
    }
}
