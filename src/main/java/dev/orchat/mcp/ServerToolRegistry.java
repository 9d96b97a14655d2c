package dev.orchat.mcp;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.orchat.telemetry.GenAiMetrics;
import dev.orchat.telemetry.GenAiToolCall;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tool registry over a list of tool servers (docs/architecture.md §10): exposed names, the OpenAI tool list, and calls
 * routed by exposed name to the owning server with the original name. Rebuilt with {@link #refresh()} whenever a
 * server's tools change; reads take an immutable snapshot, so a hop never sees a half-built list.
 */
public final class ServerToolRegistry implements ToolRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ServerToolRegistry.class);
    private volatile List<Member> members;
    private final ObjectMapper mapper;
    private final MetricRegistry metrics;
    private final GenAiMetrics genAi;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), List.of(), List.of(), List.of());

    private volatile java.time.Duration approvalTimeout = java.time.Duration.ofMinutes(10);
    private volatile PolicyWriter policyWriter = (serverId, tool, policy) -> { };

    /**
     * A server as the registry sees it: its optional prefix, the original tool names the user disabled, and its
     * configuration (for the approval policies; null: every tool runs at once).
     */
    public record Member(ToolServer server, String toolPrefix, java.util.Set<String> disabledTools,
                         dev.orchat.mcp.config.McpServerConfig config) {
        public Member {
            disabledTools = disabledTools == null ? java.util.Set.of() : java.util.Set.copyOf(disabledTools);
        }

        public Member(ToolServer server, String toolPrefix, java.util.Set<String> disabledTools) {
            this(server, toolPrefix, disabledTools, null);
        }
    }

    /** Writes one tool's policy into the server file (the supervisor). */
    @FunctionalInterface
    public interface PolicyWriter {
        void write(String serverId, String tool, ToolPolicy policy) throws java.io.IOException;
    }

    /** Where an exposed name leads, and how its calls are approved. */
    record Route(ToolServer server, String originalName, ToolPolicy.Effective policy) {
    }

    record Snapshot(Map<String, Route> routes, List<ObjectNode> definitions, List<ToolNaming.Named> exposed,
                    List<ToolNaming.Named> skipped) {
    }

    public ServerToolRegistry(List<ToolServer> servers, ObjectMapper mapper, MetricRegistry metrics) {
        this.members = servers.stream().map(server -> new Member(server, null, null)).toList();
        this.mapper = mapper;
        this.metrics = metrics;
        this.genAi = GenAiMetrics.of(metrics);
        metrics.register("mcp.tools.exposed", (Gauge<Integer>) () -> snapshot.routes().size());
        refresh();
    }

    /** Replaces the members (connected, enabled servers in configuration order) and rebuilds. */
    public synchronized void rebuild(List<Member> connected) {
        this.members = List.copyOf(connected);
        refresh();
    }

    /** Every decision of the last rebuild, exposed or skipped, for the status view (docs/api.md §2.10 ServerStatus). */
    public List<ToolNaming.Named> decisions() {
        List<ToolNaming.Named> all = new ArrayList<>(snapshot.exposed());
        all.addAll(snapshot.skipped());
        return all;
    }

    /** Rebuilds names and definitions from the servers' current tool lists. */
    public synchronized void refresh() {
        List<ToolNaming.Candidate> candidates = new ArrayList<>();
        List<ToolServer.ToolSpec> specs = new ArrayList<>();
        List<ToolServer> owners = new ArrayList<>();
        List<ToolPolicy.Effective> policies = new ArrayList<>();
        for (Member member : members) {
            for (ToolServer.ToolSpec spec : member.server().tools()) {
                if (member.disabledTools().contains(spec.name())) {
                    continue;
                }
                candidates.add(new ToolNaming.Candidate(member.server().id(), member.toolPrefix(), spec.name()));
                specs.add(spec);
                owners.add(member.server());
                policies.add(member.config() == null ? new ToolPolicy.Effective(ToolPolicy.ALLOW, null)
                        : ToolPolicy.of(member.config(), spec));
            }
        }
        Map<String, Route> routes = new LinkedHashMap<>();
        List<ObjectNode> definitions = new ArrayList<>();
        List<ToolNaming.Named> skipped = new ArrayList<>();
        List<ToolNaming.Named> exposed = new ArrayList<>();
        List<ToolNaming.Named> named = ToolNaming.name(candidates);
        for (int i = 0; i < named.size(); i++) {
            ToolNaming.Named n = named.get(i);
            if (!n.exposed()) {
                LOG.warn("Tool {} of server {} skipped: {}", n.candidate().originalName(), n.candidate().serverId(), n.skippedReason());
                skipped.add(n);
                continue;
            }
            exposed.add(n);
            routes.put(n.exposedName(), new Route(owners.get(i), specs.get(i).name(), policies.get(i)));
            definitions.add(definition(n.exposedName(), owners.get(i).id(), specs.get(i)));
        }
        snapshot = new Snapshot(Map.copyOf(routes), List.copyOf(definitions), List.copyOf(exposed), List.copyOf(skipped));
    }

    @Override
    public List<ObjectNode> toolDefinitions() {
        List<ObjectNode> copies = new ArrayList<>();
        for (ObjectNode definition : snapshot.definitions()) {
            copies.add(definition.deepCopy()); // the payload builder owns what it is given
        }
        return copies;
    }

    @Override
    public Approval approval(String exposedName) {
        Route route = snapshot.routes().get(exposedName);
        if (route == null) {
            return ToolRegistry.super.approval(exposedName);
        }
        return new Approval(route.server().id(), route.originalName(), route.policy().policy(), route.policy().source());
    }

    @Override
    public void rememberPolicy(String exposedName, ToolPolicy policy) throws java.io.IOException {
        Route route = snapshot.routes().get(exposedName);
        if (route != null) {
            policyWriter.write(route.server().id(), route.originalName(), policy);
        }
    }

    @Override
    public java.time.Duration approvalTimeout() {
        return approvalTimeout;
    }

    /** {@code mcp.approvalTimeout}. */
    public void setApprovalTimeout(java.time.Duration timeout) {
        this.approvalTimeout = timeout;
    }

    /** Set by the supervisor, which owns the server file. */
    public void setPolicyWriter(PolicyWriter writer) {
        this.policyWriter = writer;
    }

    @Override
    public java.util.Optional<java.time.Duration> callTimeout(String exposedName) {
        Route route = snapshot.routes().get(exposedName);
        return route == null ? java.util.Optional.empty() : route.server().callTimeout();
    }

    @Override
    public ToolResult call(String exposedName, JsonNode arguments, ToolContext context) throws InterruptedException {
        Route route = snapshot.routes().get(exposedName);
        if (route == null) {
            return new ToolResult("Unknown tool: " + exposedName, true);
        }
        String serverId = route.server().id();
        Timer.Context timer = metrics.timer("mcp." + serverId + ".calls").time();
        GenAiToolCall telemetry = genAi.toolCallStarted(context == null ? null : context.turnId(), serverId,
                route.originalName()); // issue 17 telemetry hook: metrics, and the call's span when traces are on
        boolean failed = true;
        try {
            ObjectNode args = arguments instanceof ObjectNode o ? o : mapper.createObjectNode();
            ToolResult result = route.server().call(route.originalName(), args, context);
            if (result.isError()) {
                metrics.meter("mcp." + serverId + ".errors").mark();
            }
            failed = result.isError();
            return result;
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            metrics.meter("mcp." + serverId + ".errors").mark();
            telemetry.failed(e); // issue 17 telemetry hook
            LOG.warn("Tool {} on server {} failed", route.originalName(), serverId, e);
            return new ToolResult("Tool error: " + e.getMessage(), true);
        } finally {
            timer.stop();
            telemetry.finished(failed); // issue 17 telemetry hook
        }
    }

    private ObjectNode definition(String exposedName, String serverId, ToolServer.ToolSpec spec) {
        ObjectNode tool = mapper.createObjectNode();
        tool.put("type", "function");
        ObjectNode function = tool.putObject("function");
        function.put("name", exposedName);
        String text = spec.description() == null ? "" : spec.description().strip();
        String tag = "[" + serverId + "]";
        function.put("description", text.startsWith(tag) ? text : (tag + " " + text).strip());
        if (spec.inputSchema() != null) {
            function.set("parameters", spec.inputSchema().deepCopy());
        } else {
            ObjectNode empty = function.putObject("parameters");
            empty.put("type", "object");
            empty.putObject("properties");
        }
        return tool;
    }
}
