package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.conversation.NewMessage;
import dev.orchat.db.Timestamps;
import dev.orchat.mcp.ToolRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the calls of one hop concurrently, at most {@code chat.toolParallelism} at a time, started in order, with
 * result positions reserved first so parallel completion never reorders history (SPEC §4.10, I3). Every call
 * ends with exactly one stored result, real or synthetic (I2).
 */
final class ToolRound {
    private final ChatServices s;
    private final TurnState state;

    ToolRound(ChatServices s, TurnState state) {
        this.s = s;
        this.state = state;
    }

    /** Stores a synthetic error result for every call without running any (hop limit, SPEC §4.10). */
    void refuseAll(int hop, List<ToolCall> calls, String text) {
        int base = s.store().reservePositions(state.sessionId(), calls.size());
        for (int i = 0; i < calls.size(); i++) {
            storeAndAnnounce(calls.get(i), base + i, hop, text, true, true, "complete", 0);
        }
    }

    void run(int hop, List<ToolCall> calls) {
        int base = s.store().reservePositions(state.sessionId(), calls.size());
        Semaphore permits = new Semaphore(s.config().getToolParallelism());
        List<AtomicBoolean> answered = new ArrayList<>();
        List<Future<?>> futures = new ArrayList<>();
        RunningTurn turn = state.turn();
        for (int i = 0; i < calls.size(); i++) {
            AtomicBoolean done = new AtomicBoolean();
            answered.add(done);
            if (turn.isCancelled() || !acquire(permits)) {
                continue;
            }
            ToolCall call = calls.get(i);
            int position = base + i;
            announceStart(call, hop);
            java.util.Map<String, String> mdc = org.slf4j.MDC.getCopyOfContextMap();
            Future<?> future = s.toolExecutor().submit(() -> {
                if (mdc != null) {
                    org.slf4j.MDC.setContextMap(mdc);
                }
                try {
                    execute(call, position, hop, done);
                } finally {
                    permits.release();
                    org.slf4j.MDC.clear();
                }
            });
            futures.add(future);
            turn.track(future);
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                // An unanswered call gets its synthetic result below.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                turn.untrack(future);
            }
        }
        for (int i = 0; i < calls.size(); i++) {
            if (answered.get(i).compareAndSet(false, true)) {
                storeAndAnnounce(calls.get(i), base + i, hop, "Cancelled before completion.", true, true,
                        "cancelled", 0);
            }
        }
    }

    private boolean acquire(Semaphore permits) {
        try {
            permits.acquire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Announced by the relay thread as each call is handed to its worker, so events follow tool_calls order. */
    private void announceStart(ToolCall call, int hop) {
        ObjectNode started = s.mapper().createObjectNode();
        started.put("status", "started");
        started.put("name", call.name());
        started.put("call_id", call.id());
        started.put("hop", hop);
        state.send("tool", started);
    }

    private void execute(ToolCall call, int position, int hop, AtomicBoolean done) {
        long t0 = System.nanoTime();
        ToolRegistry.ToolResult result = invoke(call);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        s.metrics().toolCalls.update(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        if (done.compareAndSet(false, true)) {
            storeAndAnnounce(call, position, hop, truncate(result.text()), result.isError(), false, "complete", millis);
        }
    }

    private ToolRegistry.ToolResult invoke(ToolCall call) {
        String args = call.arguments() == null ? "" : call.arguments();
        if (args.getBytes(StandardCharsets.UTF_8).length > s.config().getToolArgumentsMaxBytes()) {
            return error("Arguments for tool " + call.name() + " exceed " + s.config().getToolArgumentsMaxBytes() + " bytes.");
        }
        JsonNode parsed;
        try {
            parsed = args.isBlank() ? s.mapper().createObjectNode() : s.mapper().readTree(args);
        } catch (java.io.IOException e) {
            return error("Invalid JSON arguments for tool " + call.name() + ": " + originalMessage(e));
        }
        if (parsed == null || !parsed.isObject()) {
            String type = parsed == null ? "nothing" : parsed.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            return error("Tool " + call.name() + " expected a JSON object for arguments but received " + type + ".");
        }
        ToolRegistry.ToolContext context = new ToolRegistry.ToolContext(state.sessionId(), state.turn().turnId(), s.zone());
        java.util.Map<String, String> mdc = org.slf4j.MDC.getCopyOfContextMap();
        Future<ToolRegistry.ToolResult> future = s.toolExecutor().submit(() -> {
            if (mdc != null) {
                org.slf4j.MDC.setContextMap(mdc);
            }
            try {
                return s.tools().call(call.name(), parsed, context);
            } finally {
                org.slf4j.MDC.clear();
            }
        });
        // A server with its own timeout answers "timed out" itself (and sends the MCP cancellation); the outer
        // limit then only backstops it.
        java.util.Optional<java.time.Duration> own = s.tools().callTimeout(call.name());
        long timeoutMillis = own.map(d -> d.toMillis() + 1_000).orElse(s.config().getToolCallTimeout().toMilliseconds());
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            s.metrics().toolTimeouts.mark();
            return error("Tool " + call.name() + " timed out after " + (timeoutMillis / 1000) + " s.");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return error("Cancelled before completion.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return error("Tool error: " + cause.getMessage());
        }
    }

    private void storeAndAnnounce(ToolCall call, int position, int hop, String text, boolean isError,
                                  boolean synthetic, String status, long millis) {
        String now = Timestamps.format(s.clock().instant());
        long id = s.store().storeToolResult(NewMessage.toolResult(state.sessionId(), state.turn().turnId(), position,
                call.id(), call.name(), text, isError, synthetic, status, now));
        if (!state.events().isWritable()) {
            return;
        }
        ObjectNode event = s.mapper().createObjectNode();
        event.put("status", isError ? "error" : "finished");
        event.put("name", call.name());
        event.put("call_id", call.id());
        event.put("hop", hop);
        event.put("result", text);
        event.put("message_id", id);
        event.put("duration_ms", millis);
        event.put("created_at", now);
        event.put("created_at_utc", now);
        state.send("tool", event);
    }

    private String truncate(String text) {
        String value = text == null ? "" : text;
        int max = s.config().getToolResultMaxChars();
        if (value.length() <= max) {
            return value;
        }
        return value.substring(0, max) + "\n…[truncated: " + value.length() + " characters, first " + max + " shown]";
    }

    private static ToolRegistry.ToolResult error(String text) {
        return new ToolRegistry.ToolResult(text, true);
    }

    private static String originalMessage(java.io.IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }
}
