package dev.orchat.mcp.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.db.Timestamps;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mcp.configFile} (docs/configuration.md §4.2): seeded with the six built-ins when missing, legacy entries converted on load,
 * an invalid file leaves the service without MCP servers and is not overwritten, every write atomic.
 */
public final class McpConfigFile {
    private static final Logger LOG = LoggerFactory.getLogger(McpConfigFile.class);
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,48}");
    static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Pattern LEGACY_MODULE = Pattern.compile("backend\\.mcp_servers\\.(\\w+)_server");
    private final Path path;
    private final ObjectMapper mapper;
    private final Clock clock;
    private boolean writable = true;
    private boolean legacyUnsaved;
    private String updatedAt;

    /** What a load produced. {@code valid} is false when the file could not be used. */
    public record Loaded(List<McpServerConfig> servers, boolean valid, String updatedAt) {
    }

    public McpConfigFile(Path path, ObjectMapper mapper, Clock clock) {
        this.path = path;
        this.mapper = mapper;
        this.clock = clock;
    }

    public synchronized Loaded load() {
        try {
            if (!Files.exists(path)) {
                List<McpServerConfig> seeded = seed();
                write(seeded);
                return new Loaded(seeded, true, updatedAt);
            }
            JsonNode root = mapper.readTree(Files.readAllBytes(path));
            JsonNode list = root != null && root.isArray() ? root : root == null ? null : root.get("servers");
            if (list == null || !list.isArray()) {
                throw new IOException("expected {\"servers\": [...]} or a list");
            }
            List<McpServerConfig> servers = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            legacyUnsaved = root.isArray();
            for (JsonNode entry : list) {
                McpServerConfig server = convert(entry);
                if (server == null) {
                    continue;
                }
                List<String> errors = validate(server);
                if (!errors.isEmpty() || !ids.add(server.id())) {
                    throw new IOException("server " + server.id() + ": " + (errors.isEmpty() ? "duplicate id" : errors));
                }
                servers.add(server);
            }
            writable = true;
            updatedAt = Timestamps.format(clock.instant());
            return new Loaded(servers, true, updatedAt);
        } catch (IOException | RuntimeException e) {
            LOG.error("MCP configuration {} is invalid ({}); starting without MCP servers and leaving the file as it is",
                    path, e.getMessage());
            writable = false;
            return new Loaded(List.of(), false, null);
        }
    }

    /** Atomic replace: temporary file in the same folder, flushed, then renamed over the old one. */
    public synchronized void write(List<McpServerConfig> servers) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        if (legacyUnsaved && Files.exists(path)) {
            Files.copy(path, path.resolveSibling(path.getFileName() + ".bak"), StandardCopyOption.REPLACE_EXISTING);
            legacyUnsaved = false;
        }
        Path tmp = Files.createTempFile(path.toAbsolutePath().getParent(), path.getFileName().toString(), ".tmp");
        try {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("servers", servers);
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                out.write(mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
                out.flush();
                if (out instanceof java.io.FileOutputStream fos) {
                    fos.getFD().sync();
                }
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        writable = true;
        updatedAt = Timestamps.format(clock.instant());
    }

    /** False after an invalid load: the file is kept until a successful API write replaces it. */
    public synchronized boolean isWritable() {
        return writable;
    }

    static List<McpServerConfig> seed() {
        return List.of(McpServerConfig.builtin("local-calculator", "calculator"),
                McpServerConfig.builtin("housekeeping", "housekeeping"),
                McpServerConfig.builtin("custom-pdf", "pdf"),
                McpServerConfig.builtin("custom-gmail", "gmail"),
                McpServerConfig.builtin("custom-gdrive", "gdrive"),
                McpServerConfig.builtin("custom-calendar", "calendar"));
    }

    /** One entry in current or legacy form; null for a legacy module that no longer exists (logged). */
    McpServerConfig convert(JsonNode entry) throws IOException {
        if (!entry.isObject()) {
            throw new IOException("every server must be an object");
        }
        ObjectNode node = ((ObjectNode) entry).deepCopy();
        if (node.has("module") && !node.has("transport")) {
            var matcher = LEGACY_MODULE.matcher(node.path("module").asText());
            if (!matcher.matches() || !McpServerConfig.BUILTINS.contains(matcher.group(1))) {
                LOG.warn("Dropping legacy MCP entry with unknown module {}", node.path("module").asText());
                return null;
            }
            node.put("transport", "builtin");
            node.put("builtin", matcher.group(1));
            node.remove("module");
            legacyUnsaved = true;
        } else if (node.has("command") && !node.has("transport")) {
            node.put("transport", "stdio");
            legacyUnsaved = true;
        }
        if (node.path("command").isTextual()) {
            node.set("command", mapper.valueToTree(CommandLine.split(node.get("command").asText())));
        }
        if (!node.has("enabled")) {
            node.put("enabled", true);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!KNOWN.contains(field)) {
                it.remove();
            }
        }
        return mapper.treeToValue(node, McpServerConfig.class);
    }

    private static final Set<String> KNOWN = Set.of("id", "enabled", "transport", "builtin", "command", "args", "env",
            "cwd", "url", "headers", "tool_prefix", "disabled_tools", "call_timeout_s", "default_policy", "tool_policies");

    /** Field errors of one server (docs/configuration.md §4), empty when valid. */
    public static List<String> validate(McpServerConfig s) {
        List<String> errors = new ArrayList<>();
        if (s.id() == null || !ID.matcher(s.id()).matches()) {
            errors.add("id must match ^[A-Za-z0-9_-]{1,48}$");
        }
        if (!McpServerConfig.TRANSPORTS.contains(s.transport())) {
            errors.add("transport must be one of " + McpServerConfig.TRANSPORTS);
        } else if (s.transport().equals("builtin") && !McpServerConfig.BUILTINS.contains(s.builtin())) {
            errors.add("builtin must be one of " + McpServerConfig.BUILTINS);
        } else if (s.transport().equals("stdio") && (s.command() == null || s.command().isEmpty())) {
            errors.add("command is required for stdio");
        } else if ((s.transport().equals("streamable_http") || s.transport().equals("sse"))
                && (s.url() == null || !s.url().matches("https?://.+"))) {
            errors.add("url must be an http(s) URL");
        }
        if (s.toolPrefix() != null && !PREFIX.matcher(s.toolPrefix()).matches()) {
            errors.add("tool_prefix must match ^[A-Za-z0-9_-]{1,32}$");
        }
        if (s.callTimeoutSeconds() != null && (s.callTimeoutSeconds() < 1 || s.callTimeoutSeconds() > 600)) {
            errors.add("call_timeout_s must be between 1 and 600");
        }
        if (s.defaultPolicy() != null && !POLICIES.contains(s.defaultPolicy())) {
            errors.add("default_policy must be one of " + POLICIES);
        }
        s.toolPolicies().forEach((tool, policy) -> {
            if (policy == null || !POLICIES.contains(policy)) {
                errors.add("tool_policies must map tool names to one of " + POLICIES + " (" + tool + ")");
            }
        });
        return errors;
    }

    /** The values of {@code default_policy} and {@code tool_policies} (docs/configuration.md §4.1). */
    public static final List<String> POLICIES = List.of("allow", "ask", "deny");
}
