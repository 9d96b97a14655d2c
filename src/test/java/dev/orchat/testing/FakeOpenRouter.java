package dev.orchat.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * In-process stand-in for OpenRouter's OpenAI-compatible API, speaking HTTP/1.1 on 127.0.0.1.
 *
 * <p>Built on blocking sockets with a thread per connection (rather than an HTTP server library)
 * because the tests need to know exactly when the client abandons a stream: each connection
 * thread can block on a read while a script sleeps or stalls and see the FIN within milliseconds.
 *
 * <p>All methods are thread-safe. Typical use:
 * <pre>{@code
 * try (FakeOpenRouter fake = FakeOpenRouter.start()) {
 *     fake.enqueue(Scripts.stallAfter("Hel"));
 *     ... point the client at fake.baseUrl(), cancel ...
 *     assertThat(fake.awaitCancelled(1, Duration.ofSeconds(1))).isTrue();
 * }
 * }</pre>
 */
public final class FakeOpenRouter implements AutoCloseable {

    private static final int THREAD_STACK = 256 * 1024;
    private static final int BACKLOG = 4096;

    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Queue<Script> queue = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Set<String> generations = ConcurrentHashMap.newKeySet();
    private final StreamStats stats = new StreamStats();
    private final AtomicInteger chatRequests = new AtomicInteger();
    private final AtomicLong requestIds = new AtomicLong();
    private final AtomicInteger connectionIds = new AtomicInteger();

    private volatile boolean closed;
    private volatile boolean recording = true;
    private volatile Script defaultScript = Scripts.text("Hello", " from", " the fake.");
    private final FakeCatalog catalog = new FakeCatalog();
    private final FakeCompletions completions = new FakeCompletions();
    private volatile int generationStatus = 200;
    private volatile String expectedApiKey;
    private volatile Map<String, String> routingHeaders = Map.of("openrouter-provider", "OpenAI");

    private FakeOpenRouter(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
        acceptor = new Thread(null, this::acceptLoop, "fake-openrouter-accept-" + server.getLocalPort(),
                THREAD_STACK);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a fake on an ephemeral port. */
    public static FakeOpenRouter start() {
        return start(0);
    }

    /** Starts a fake on {@code port} (0 = ephemeral). */
    public static FakeOpenRouter start(int port) {
        try {
            return new FakeOpenRouter(port);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot bind fake OpenRouter on port " + port, e);
        }
    }

    /** {@code http://127.0.0.1:<port>/api/v1}, the value to configure as the OpenRouter base URL. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port() + "/api/v1");
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Queues scripts for the next chat completion requests, first in first out. */
    public void enqueue(Script... scripts) {
        for (Script s : scripts) {
            queue.add(Objects.requireNonNull(s));
        }
    }

    /** Script used whenever the queue is empty. */
    public void setDefaultScript(Script script) {
        this.defaultScript = Objects.requireNonNull(script);
    }

    public void setModelsJson(String json) {
        catalog.modelsJson = Objects.requireNonNull(json);
    }

    /** Status of {@code GET /models}: anything but 200 answers with OpenRouter's error envelope. */
    public void setModelsStatus(int status) {
        catalog.modelsStatus = status;
    }

    /** Delay before answering {@code GET /models}, so concurrent catalogue misses overlap. */
    public void setModelsDelay(Duration delay) {
        catalog.modelsDelayMillis = delay.toMillis();
    }

    /** {@code GET /models} requests answered so far (any status). */
    public int modelsRequestCount() {
        return catalog.modelsRequests.get();
    }

    /** Body of {@code GET /providers} and its status (non-200 answers with the error envelope). */
    public void setProviders(int status, String json) {
        catalog.providersStatus = status;
        catalog.providersJson = Objects.requireNonNull(json);
    }

    /** Body of {@code GET /models/{author}/{slug}/endpoints} for one model id; unknown ids get 404. */
    public void setEndpoints(String modelId, String json) {
        catalog.endpointsJson.put(modelId, json);
    }

    /**
     * Status for {@code /generation} lookups of ids this fake never streamed (default 200, which
     * answers every id). Ids seen in streamed chunks are always answered with 200.
     */
    public void setGenerationStatus(int status) {
        this.generationStatus = status;
    }

    /** Key {@code /key} insists on as {@code Bearer <key>}; {@code null} (default) accepts anything. */
    public void setExpectedApiKey(String key) {
        this.expectedApiKey = key;
    }

    /**
     * Headers added to every chat response (default {@code openrouter-provider: OpenAI}). A
     * generated {@code x-request-id} is always sent unless this map or the script overrides it.
     */
    public void setRoutingHeaders(Map<String, String> headers) {
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), v));
        this.routingHeaders = copy;
    }

    /** Turns request recording off for long benchmarks, where bodies would pile up; counters still run. */
    public void setRecording(boolean enabled) {
        this.recording = enabled;
    }

    /**
     * Forgets queued scripts, recorded requests, seen generations and finished-stream counters,
     * and restores default settings, so one fake can be shared by a whole test class.
     */
    public void reset() {
        queue.clear();
        synchronized (requests) {
            requests.clear();
        }
        generations.clear();
        stats.reset();
        chatRequests.set(0);
        defaultScript = Scripts.text("Hello", " from", " the fake.");
        catalog.reset();
        completions.reset();
        generationStatus = 200;
        expectedApiKey = null;
        routingHeaders = Map.of("openrouter-provider", "OpenAI");
        recording = true;
    }

    /** Answers to non-streaming chat completions ({@code "stream": false}); those are not chat streams. */
    public FakeCompletions completions() {
        return completions;
    }

    // ---- observation -----------------------------------------------------------------------

    /** Every request received on any route, in arrival order (a snapshot). */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The most recent {@code POST /chat/completions}, or {@code null} if there was none. */
    public RecordedRequest lastChatRequest() {
        synchronized (requests) {
            for (int i = requests.size() - 1; i >= 0; i--) {
                RecordedRequest r = requests.get(i);
                if (r.path().endsWith("/chat/completions") && r.method().equals("POST")) {
                    return r;
                }
            }
        }
        return null;
    }

    public int chatRequestCount() {
        return chatRequests.get();
    }

    /** TCP connections accepted so far; lets tests check that a pooling client reused connections. */
    public int acceptedConnections() {
        return connectionIds.get();
    }

    /** Chat scripts currently executing (including a leading delay before any byte was sent). */
    public int openStreams() {
        return stats.open();
    }

    /** Chat scripts that ran to their end, including ones ending in a scripted drop. */
    public int completedStreams() {
        return stats.completed();
    }

    /** Chat scripts cut short because the client closed the connection (seen on write, delay or stall). */
    public int cancelledStreams() {
        return stats.cancelled();
    }

    /** When each cancellation was detected, in detection order. */
    public List<Instant> cancellationTimes() {
        return stats.cancellationTimes();
    }

    /** Polls until at least {@code n} streams were cancelled; false on timeout. */
    public boolean awaitCancelled(int n, Duration timeout) {
        return await(stats::cancelled, n, timeout);
    }

    /** Polls until at least {@code n} streams completed; false on timeout. */
    public boolean awaitCompleted(int n, Duration timeout) {
        return await(stats::completed, n, timeout);
    }

    /** Polls until at least {@code n} chat requests arrived; false on timeout. */
    public boolean awaitChatRequests(int n, Duration timeout) {
        return await(chatRequests::get, n, timeout);
    }

    private static boolean await(IntSupplier counter, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (counter.getAsInt() < n) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return counter.getAsInt() >= n;
            }
        }
        return true;
    }

    /** Closes the listening socket and every open connection; connection threads then exit. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing is best effort; the acceptor exits on the resulting exception either way.
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) { /* already gone */ }
        }
        try {
            acceptor.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isClosed() {
        return closed;
    }

    StreamStats stats() {
        return stats;
    }

    Script nextScript() {
        Script next = queue.poll();
        return next != null ? next : defaultScript;
    }

    void record(RecordedRequest request) {
        if (recording) {
            synchronized (requests) {
                requests.add(request);
            }
        }
    }

    void countChatRequest() {
        chatRequests.incrementAndGet();
    }

    String nextRequestId() {
        return "req-" + port() + "-" + requestIds.incrementAndGet();
    }

    Map<String, String> routingHeaders() {
        return routingHeaders;
    }

    void rememberGeneration(String id) {
        if (recording) {
            generations.add(id);
        }
    }

    boolean isKnownGeneration(String id) {
        return generations.contains(id);
    }

    int generationStatus() {
        return generationStatus;
    }

    String expectedApiKey() {
        return expectedApiKey;
    }

    /** The catalogue routes' state ({@code /models}, {@code /providers}, model endpoints), read by {@link Connection}. */
    FakeCatalog catalog() {
        return catalog;
    }

    void forget(Socket socket) {
        sockets.remove(socket);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // Typically EMFILE under an oversized benchmark; back off instead of spinning.
                pause();
                continue;
            }
            sockets.add(socket);
            if (closed) {
                // close() may have iterated the set before this socket was added.
                forget(socket);
                closeQuietly(socket);
                return;
            }
            Thread t = new Thread(null, new Connection(this, socket),
                    "fake-openrouter-conn-" + connectionIds.incrementAndGet(), THREAD_STACK);
            t.setDaemon(true);
            t.start();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) { /* nothing to do */ }
    }
}
