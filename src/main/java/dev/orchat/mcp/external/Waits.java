package dev.orchat.mcp.external;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/** Bounded, interruptible waits on the SDK's reactive calls, and turning their failures into one-line text. */
final class Waits {
    private Waits() {
    }

    /** Unlike {@code Mono.block}, this answers to interrupts and cancels the subscription on timeout. */
    static <T> T await(Mono<T> mono, Duration timeout)
            throws TimeoutException, ExecutionException, InterruptedException {
        CompletableFuture<T> future = mono.toFuture();
        try {
            return future.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            future.cancel(true);
            throw e;
        }
    }

    /**
     * The message of the real failure: future/reactive wrappers are skipped, then the first message in the cause
     * chain is used (the outermost one usually says what was attempted, e.g. which command could not start).
     */
    static String describe(Throwable e) {
        Throwable current = e;
        while ((current instanceof ExecutionException || current instanceof CompletionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        for (Throwable t = current; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return current.getClass().getSimpleName();
    }

    /** An HTTP server refused us with 401/403 (the SDK's authorization exception, or the status in a message). */
    static boolean isAuthorizationFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException) {
                return true;
            }
            String message = String.valueOf(t.getMessage());
            if (message.matches("(?s).*\\b(401|403)\\b.*") && message.toLowerCase(java.util.Locale.ROOT).contains("http")) {
                return true;
            }
        }
        return false;
    }

    /** The HTTP server answered "session not found" (it restarted or expired our session). */
    static boolean isSessionNotFound(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // When the transport drops an unknown session, the SDK ends pending requests with this message and
            // re-initialises on the next request.
            if (t instanceof io.modelcontextprotocol.spec.McpTransportSessionNotFoundException
                    || "MCP session with server terminated".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    static java.time.Duration remaining(long deadlineNanos) {
        return java.time.Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime()));
    }

    /** Whole seconds for messages, rounded up and at least 1. */
    static long seconds(java.time.Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    static String clientVersion() {
        String version = ExternalToolServer.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
