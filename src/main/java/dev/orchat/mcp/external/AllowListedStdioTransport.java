package dev.orchat.mcp.external;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The SDK's stdio transport with a child environment we control (docs/architecture.md §10, ADR 0009).
 *
 * <p>Left alone, the SDK starts the child from a {@code new ProcessBuilder()} (the whole service environment,
 * API keys included) and then adds {@code ServerParameters.getEnv()}, which it pre-fills with its own defaults
 * ({@code SHELL}, {@code TERM}, {@code LOGNAME}…). We therefore do two things: {@link #getProcessBuilder()}
 * returns a builder whose environment is cleared and set to the allow-list plus the server's own variables, and
 * the parameters' (mutable) env map is replaced by that same map, so the SDK's later {@code putAll} adds nothing.
 */
public class AllowListedStdioTransport extends StdioClientTransport {
    private static final Logger LOG = LoggerFactory.getLogger(AllowListedStdioTransport.class);
    /** docs/api.md keeps the last 20 stderr lines for {@code last_error}; the byte cap stops one huge line hogging it. */
    static final int STDERR_LINES = 20;
    static final int STDERR_MAX_CHARS = 4096;

    private final String serverId;
    private final Map<String, String> childEnv;
    private final Path cwd;
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private int stderrChars;
    /** Fails once the child could not be started or has exited; never completes normally. */
    private final CompletableFuture<Void> gone = new CompletableFuture<>();

    public AllowListedStdioTransport(ExternalServerSpec spec, Collection<String> inheritEnv, McpJsonMapper mapper) {
        this(spec, inheritEnv, System.getenv(), mapper);
    }

    /** {@code parentEnv} is the service's environment; a parameter so callers can pass a filtered or test copy. */
    public AllowListedStdioTransport(ExternalServerSpec spec, Collection<String> inheritEnv,
            Map<String, String> parentEnv, McpJsonMapper mapper) {
        this(spec, childEnvironment(inheritEnv, parentEnv, spec.env()), mapper);
    }

    private AllowListedStdioTransport(ExternalServerSpec spec, Map<String, String> childEnv, McpJsonMapper mapper) {
        super(parameters(spec, childEnv), mapper);
        this.serverId = spec.id();
        this.childEnv = childEnv;
        this.cwd = spec.cwd();
        setStdErrorHandler(this::onStderrLine);
    }

    /** Allow-listed variables present in {@code parentEnv}, then the server's own {@code env} on top. */
    public static Map<String, String> childEnvironment(Collection<String> inheritEnv, Map<String, String> parentEnv,
            Map<String, String> serverEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : inheritEnv) {
            String value = parentEnv.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putAll(serverEnv);
        return Map.copyOf(env);
    }

    private static ServerParameters parameters(ExternalServerSpec spec, Map<String, String> childEnv) {
        List<String> argv = new ArrayList<>(spec.command());
        argv.addAll(spec.args());
        ServerParameters params = ServerParameters.builder(argv.get(0)).args(argv.subList(1, argv.size())).build();
        // The builder always merges the SDK's default inherited variables; overwrite them with exactly ours.
        params.getEnv().clear();
        params.getEnv().putAll(childEnv);
        return params;
    }

    @Override
    protected ProcessBuilder getProcessBuilder() {
        ProcessBuilder builder = new ProcessBuilder();
        builder.environment().clear();
        builder.environment().putAll(childEnv);
        if (cwd != null) {
            builder.directory(cwd.toFile());
        }
        return builder;
    }

    /**
     * The SDK only logs a failed spawn and ignores an early exit, so a pending {@code initialize} would sit until its
     * timeout; we record both so the caller can fail at once (see {@link #whenGone()}).
     */
    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        return super.connect(handler)
                .doOnError(e -> gone.completeExceptionally(new IOException(e.getMessage()
                        + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()), e)))
                .doOnSuccess(ignored -> process().ifPresent(p -> p.onExit().thenRun(() ->
                        gone.completeExceptionally(new IOException("process exited with code " + p.exitValue())))));
    }

    /** Errors as soon as the child failed to start or exited; otherwise never signals. */
    public <T> Mono<T> whenGone() {
        // A copy per subscriber: cancelling one waiter must not cancel the shared future.
        return Mono.fromFuture(gone::copy).then(Mono.never());
    }

    /** The environment the child is started with (allow-list ∩ service env, plus the server's env). */
    public Map<String, String> childEnvironment() {
        return childEnv;
    }

    /** The last stderr lines of the child, joined with {@code \n}; empty when it wrote nothing. */
    public synchronized String stderrTail() {
        return String.join("\n", stderrTail);
    }

    /**
     * The running child, once the SDK has started it. The SDK keeps it in a private field with no accessor, and we
     * need it to watch for exit and to make sure it is gone on close; if a future SDK renames the field this returns
     * empty and only the SDK's own shutdown applies.
     */
    public Optional<Process> process() {
        try {
            Field field = StdioClientTransport.class.getDeclaredField("process");
            field.setAccessible(true);
            return Optional.ofNullable((Process) field.get(this));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("[{}] cannot reach the SDK's process handle", serverId, e);
            return Optional.empty();
        }
    }

    private synchronized void onStderrLine(String line) {
        LOG.debug("[{}] {}", serverId, line);
        String kept = line.length() > STDERR_MAX_CHARS ? line.substring(line.length() - STDERR_MAX_CHARS) : line;
        stderrTail.addLast(kept);
        stderrChars += kept.length() + 1;
        while (stderrTail.size() > STDERR_LINES || (stderrChars > STDERR_MAX_CHARS && stderrTail.size() > 1)) {
            stderrChars -= stderrTail.removeFirst().length() + 1;
        }
    }
}
