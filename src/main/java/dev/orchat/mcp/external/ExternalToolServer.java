package dev.orchat.mcp.external;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import dev.orchat.mcp.ToolRegistry.ToolResult;
import dev.orchat.mcp.ToolServer;
import dev.orchat.telemetry.McpTraceContext;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One external MCP server (stdio or streamable HTTP) seen as a {@link ToolServer}. It owns one connection at a time;
 * reconnecting, backoff and pings are the supervisor's job, which calls {@link #connect} again after a failure.
 * Every wait is bounded, so neither a dead child nor a silent server can hang a chat turn.
 */
public final class ExternalToolServer implements ToolServer, AutoCloseable {
    public static final String CONNECTING = "connecting";
    public static final String CONNECTED = "connected";
    public static final String FAILED = "failed";

    static final String CLIENT_NAME = "openrouter-chat-service";
    /** docs/architecture.md §10: a stopped stdio child gets this long after the graceful close before it is killed. */
    static final Duration KILL_GRACE = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(ExternalToolServer.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final ExternalServerSpec spec;
    private final Collection<String> inheritEnv;
    private final ObjectMapper mapper;
    private final JacksonMcpJsonMapper jsonMapper;
    private final Object lifecycle = new Object();
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private final ElicitationRouter elicitations;


    private volatile String state = CONNECTING;
    private volatile String lastError;
    private volatile List<ToolSpec> tools = List.of();
    private volatile McpAsyncClient client;
    private volatile CallTrackingTransport transport;
    private volatile AllowListedStdioTransport stdio;
    private volatile Runnable toolsChangedListener = () -> { };
    private volatile boolean closed;

    /** {@code inheritEnv} is {@code mcp.inheritEnv}; ignored for HTTP servers. */
    private volatile boolean authRejected;

    public ExternalToolServer(ExternalServerSpec spec, Collection<String> inheritEnv, ObjectMapper mapper) {
        this.spec = spec;
        this.inheritEnv = List.copyOf(inheritEnv);
        this.mapper = mapper;
        this.jsonMapper = new JacksonMcpJsonMapper(mapper);
        this.elicitations = new ElicitationRouter(mapper);
    }

    @Override
    public String id() {
        return spec.id();
    }

    @Override
    public java.util.Optional<Duration> callTimeout() {
        return java.util.Optional.of(spec.callTimeout());
    }

    public ExternalServerSpec spec() {
        return spec;
    }

    /** Tools from the last successful {@code tools/list}; kept after a failure so the UI can still show them. */
    @Override
    public List<ToolSpec> tools() {
        return tools;
    }

    public boolean isConnected() {
        return CONNECTED.equals(state);
    }

    /** {@code connecting}, {@code connected} or {@code failed} (docs/architecture.md §10); {@code failed} after {@link #close}. */
    public String state() {
        return state;
    }

    /** Last failure text, with the stdio child's stderr tail when there is one; null when none. */
    public String lastError() {
        return lastError;
    }

    /** The stdio child while one is running; for tests and diagnostics. */
    java.util.Optional<Process> stdioProcess() {
        AllowListedStdioTransport s = stdio;
        return s == null ? java.util.Optional.empty() : s.process();
    }

    /** Runs after the server announced {@code tools/list_changed} and the new list was cached. */
    public void setToolsChangedListener(Runnable listener) {
        this.toolsChangedListener = listener == null ? () -> { } : listener;
    }

    /**
     * Spawns or reaches the server, runs {@code initialize} and lists all tools, within {@code startupTimeout}
     * overall. Any previous connection is torn down first, so this doubles as "reconnect".
     *
     * @throws IOException when the server could not be started or did not complete the handshake in time; the
     *         state is then {@code failed} and {@link #lastError()} says why
     */
    public void connect(Duration startupTimeout) throws IOException, InterruptedException {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("server " + id() + " was closed");
            }
            teardown("server " + id() + " is reconnecting");
            state = CONNECTING;
            authRejected = false;
            lastError = null;
            long deadline = System.nanoTime() + startupTimeout.toNanos();
            try {
                CallTrackingTransport tracking = new CallTrackingTransport(newTransport());
                transport = tracking;
                McpAsyncClient c = McpClient.async(tracking)
                        .clientInfo(new McpSchema.Implementation(CLIENT_NAME, Waits.clientVersion()))
                        .initializationTimeout(startupTimeout)
                        // Our own per-call deadline is shorter; this only backstops requests we don't time.
                        .requestTimeout(spec.callTimeout().plus(startupTimeout).plusSeconds(30))
                        .toolsChangeConsumer(this::onToolsChanged)
                        // Form and URL elicitation (docs/api.md §3.7): the request goes to the person of the turn.
                        .capabilities(McpSchema.ClientCapabilities.builder().elicitation(true, true).build())
                        .elicitation(request -> elicitations.elicit(new dev.orchat.mcp.Elicitor.Request(id(), request.message(),
                                request.requestedSchema() == null ? null : mapper.valueToTree(request.requestedSchema()),
                                null, null)))
                        .urlElicitation(request -> elicitations.elicit(new dev.orchat.mcp.Elicitor.Request(id(), request.message(),
                                null, request.url(), request.elicitationId())))
                        .build();
                client = c;
                if (closed) {
                    throw new IllegalStateException("server " + id() + " was stopped");
                }
                Waits.await(unlessGone(c.initialize()), Waits.remaining(deadline));
                watchProcessExit();
                tools = listAllTools(c, deadline);
                state = CONNECTED;
                LOG.info("[{}] connected, {} tools", id(), tools.size());
            } catch (TimeoutException e) {
                throw failConnect("handshake timed out after " + Waits.seconds(startupTimeout) + " s");
            } catch (ExecutionException | RuntimeException e) {
                authRejected = Waits.isAuthorizationFailure(e);
                throw failConnect(Waits.describe(e));
            } catch (InterruptedException e) {
                failConnect("interrupted while connecting");
                throw e;
            }
        }
    }

    /** Re-lists the tools on a connected server (refresh route); on failure the old list stays. */
    public List<ToolSpec> refreshTools(Duration timeout) throws IOException, InterruptedException {
        McpAsyncClient c = client;
        if (c == null || !isConnected()) {
            throw new IOException("server " + id() + " is not connected");
        }
        try {
            tools = listAllTools(c, System.nanoTime() + timeout.toNanos());
            return tools;
        } catch (TimeoutException e) {
            throw new IOException("tools/list timed out after " + Waits.seconds(timeout) + " s");
        } catch (ExecutionException | RuntimeException e) {
            throw new IOException(Waits.describe(e), e);
        }
    }

    /** MCP {@code ping}; false (and nothing else changed) when there is no answer in time. */
    public boolean ping(Duration timeout) throws InterruptedException {
        McpAsyncClient c = client;
        if (c == null || !isConnected()) {
            return false;
        }
        try {
            Waits.await(c.ping(), timeout);
            return true;
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            LOG.debug("[{}] ping failed", id(), e);
            return false;
        }
    }

    /** Marks the connection failed (e.g. after a missed ping) so calls stop being routed to it. */
    public void markFailed(String reason) {
        if (!closed) {
            state = FAILED;
            lastError = withStderr(reason);
            failInFlight("Tool error: " + lastError);
        }
    }

    @Override
    public ToolResult call(String tool, ObjectNode arguments, ToolContext context) throws InterruptedException {
        ElicitationRouter.Asker asker = elicitations.begin(context);
        try {
            return call(tool, arguments, false, asker.deadline());
        } finally {
            elicitations.end(asker);
        }
    }

    /**
     * One call; an HTTP server that no longer knows our session gets one re-initialisation (the SDK starts a new
     * session on the next request) and one retry of the call (docs/architecture.md §10).
     */
    private ToolResult call(String tool, ObjectNode arguments, boolean retried, dev.orchat.mcp.PausableDeadline deadline)
            throws InterruptedException {
        McpAsyncClient c = client;
        CallTrackingTransport t = transport;
        if (closed) {
            return new ToolResult("Tool error: server " + id() + " was stopped", true);
        }
        if (c == null || t == null || !isConnected()) {
            return new ToolResult("Tool error: server " + id() + " is not connected"
                    + (lastError == null ? "" : " (" + lastError + ")"), true);
        }
        Map<String, Object> args = arguments == null ? Map.of() : mapper.convertValue(arguments, MAP);
        // _meta: the W3C trace context of the call's span when traces are on (docs/operations.md, "Traces"), else none.
        McpSchema.CallToolRequest request = new McpSchema.CallToolRequest(tool, args, McpTraceContext.meta());
        CompletableFuture<McpSchema.CallToolResult> result = new CompletableFuture<>();
        inFlight.add(result);
        if (!isConnected()) {
            // The connection failed between the check above and registering this call: failInFlight has already
            // run, so end the call here rather than wait for its timeout.
            result.completeExceptionally(new ToolCallAborted("Tool error: " + (lastError == null
                    ? "server " + id() + " is not connected" : lastError)));
        }
        Disposable subscription = c.callTool(request)
                .subscribe(result::complete, result::completeExceptionally, () -> result.complete(null));
        try {
            return ToolResults.format(deadline.await(result, spec.callTimeout().toNanos()), jsonMapper);
        } catch (TimeoutException e) {
            abandon(subscription, t, request, "timeout");
            return new ToolResult("Tool " + tool + " timed out after " + Waits.seconds(spec.callTimeout()) + " s.", true);
        } catch (ExecutionException e) {
            if (!retried && spec.transport() == ExternalServerSpec.Transport.STREAMABLE_HTTP && Waits.isSessionNotFound(e)) {
                LOG.info("[{}] session expired on the server; retrying {} once in a new session", id(), tool);
                return call(tool, arguments, true, deadline);
            }
            return new ToolResult(e.getCause() instanceof ToolCallAborted aborted ? aborted.getMessage()
                    : "Tool error: " + Waits.describe(e), true);
        } catch (InterruptedException e) {
            abandon(subscription, t, request, "cancelled by the client");
            throw e;
        } finally {
            inFlight.remove(result);
            t.forget(request);
        }
    }

    /** Graceful close, then for stdio the child (and its children) are terminated, forcibly after 2 s. */
    @Override
    public void close() {
        closed = true;
        // First without the lock: killing the child makes a connect() in progress fail fast instead of making
        // us wait out its startup timeout; then under the lock for anything that connect() created meanwhile.
        teardown("server " + id() + " was stopped");
        synchronized (lifecycle) {
            teardown("server " + id() + " was stopped");
            state = FAILED;
        }
    }

    private McpClientTransport newTransport() {
        if (spec.transport() == ExternalServerSpec.Transport.STDIO) {
            AllowListedStdioTransport s = new AllowListedStdioTransport(spec, inheritEnv, jsonMapper);
            stdio = s;
            return s;
        }
        stdio = null;
        return HttpTransports.create(spec, jsonMapper);
    }

    private List<ToolSpec> listAllTools(McpAsyncClient c, long deadline)
            throws TimeoutException, ExecutionException, InterruptedException {
        List<ToolSpec> all = new ArrayList<>();
        Set<String> seenCursors = ConcurrentHashMap.newKeySet();
        String cursor = null;
        do {
            Mono<McpSchema.ListToolsResult> list = cursor == null ? c.listTools() : c.listTools(cursor);
            McpSchema.ListToolsResult page = Waits.await(unlessGone(list), Waits.remaining(deadline));
            page.tools().forEach(tool -> all.add(toSpec(tool)));
            cursor = page.nextCursor();
            // A server repeating a cursor would otherwise keep us here until the deadline.
        } while (cursor != null && !cursor.isEmpty() && seenCursors.add(cursor));
        return List.copyOf(all);
    }

    private ToolSpec toSpec(McpSchema.Tool tool) {
        String description = tool.description() != null ? tool.description() : tool.title();
        ObjectNode schema = tool.inputSchema() == null ? null : mapper.convertValue(tool.inputSchema(), ObjectNode.class);
        Boolean readOnly = tool.annotations() == null ? null : tool.annotations().readOnlyHint();
        return new ToolSpec(tool.name(), description, schema, readOnly);
    }

    private Mono<Void> onToolsChanged(List<McpSchema.Tool> listed) {
        tools = listed.stream().map(this::toSpec).toList();
        try {
            toolsChangedListener.run();
        } catch (RuntimeException e) {
            LOG.warn("[{}] tools-changed listener failed", id(), e);
        }
        return Mono.empty();
    }

    /** For stdio, fails {@code mono} as soon as the child is gone instead of waiting for its timeout. */
    private <T> Mono<T> unlessGone(Mono<T> mono) {
        AllowListedStdioTransport s = stdio;
        return s == null ? mono : Mono.firstWithSignal(mono, s.whenGone());
    }

    private void watchProcessExit() {
        AllowListedStdioTransport s = stdio;
        if (s == null) {
            return;
        }
        s.process().ifPresent(process -> process.onExit().thenRun(() -> {
            if (!closed && stdio == s) {
                markFailed("process exited with code " + process.exitValue());
                LOG.warn("[{}] {}", id(), lastError);
            }
        }));
    }

    /** True after a connect that an HTTP server refused with 401/403: retrying will not help (docs/architecture.md §10). */
    public boolean authRejected() {
        return authRejected;
    }

    private IOException failConnect(String reason) {
        state = FAILED;
        lastError = withStderr(reason);
        LOG.warn("[{}] connect failed: {}", id(), lastError);
        teardown("Tool error: " + lastError);
        state = FAILED;
        return new IOException(lastError);
    }

    /** Fails in-flight calls, closes the client gracefully, then makes sure a stdio child is really gone. */
    private void teardown(String reason) {
        failInFlight(reason.startsWith("Tool error: ") ? reason : "Tool error: " + reason);
        McpAsyncClient c = client;
        AllowListedStdioTransport s = stdio;
        client = null;
        transport = null;
        Process process = s == null ? null : s.process().orElse(null);
        List<ProcessHandle> tree = process == null ? List.of() : process.descendants().toList();
        if (c != null) {
            try {
                Waits.await(c.closeGracefully(), KILL_GRACE);
            } catch (Exception e) {
                LOG.debug("[{}] graceful close did not finish", id(), e);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (process != null) {
            ProcessKiller.terminate(process, tree, KILL_GRACE);
        }
    }

    private void failInFlight(String message) {
        ToolCallAborted error = new ToolCallAborted(message);
        inFlight.forEach(future -> future.completeExceptionally(error));
    }

    private void abandon(Disposable subscription, CallTrackingTransport t, McpSchema.CallToolRequest request,
            String reason) {
        subscription.dispose();
        // Best effort and non-blocking: a dead transport must not turn a timeout into a hang.
        t.cancel(request, reason).subscribe(ignored -> { },
                e -> LOG.debug("[{}] could not send notifications/cancelled", id(), e));
    }

    private String withStderr(String reason) {
        AllowListedStdioTransport s = stdio;
        String tail = s == null ? "" : s.stderrTail();
        return tail.isBlank() ? reason : reason + "\nstderr:\n" + tail;
    }

    /** Completes a call whose connection went away; its message is already the final result text. */
    private static final class ToolCallAborted extends IOException {
        ToolCallAborted(String message) {
            super(message, null);
        }
    }
}
