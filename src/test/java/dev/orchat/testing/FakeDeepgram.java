package dev.orchat.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Stand-in for Deepgram's token grant ({@code POST /v1/auth/grant}) on loopback, answering in Deepgram's shapes:
 * {@code {"access_token", "expires_in"}} on success, {@code {"err_code", "err_msg", "request_id"}} on failure.
 */
public final class FakeDeepgram implements AutoCloseable {
    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private volatile int status = 200;
    private volatile String body = "{\"access_token\":\"dg-temp-token-1\",\"expires_in\":30}";
    private volatile long delayMillis;

    /** What the service sent. */
    public record Request(String method, String path, String authorization, String body) {
    }

    private FakeDeepgram() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-deepgram");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public static FakeDeepgram start() {
        try {
            return new FakeDeepgram();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next answers: status and raw body. */
    public void respond(int status, String body) {
        this.status = status;
        this.body = body;
    }

    public void delay(long millis) {
        this.delayMillis = millis;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public void reset() {
        respond(200, "{\"access_token\":\"dg-temp-token-1\",\"expires_in\":30}");
        delayMillis = 0;
        synchronized (this) {
            requests.clear();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String received = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        synchronized (this) {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), received));
        }
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean grant = exchange.getRequestMethod().equals("POST") && exchange.getRequestURI().getPath().equals("/v1/auth/grant");
        int code = grant ? status : 404;
        byte[] bytes = (grant ? body : "{\"err_code\":\"NOT_FOUND\",\"err_msg\":\"Not found\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("dg-request-id", "dg-req-" + System.nanoTime());
        try {
            exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            // The client gave up (timeout test); nothing to answer.
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
