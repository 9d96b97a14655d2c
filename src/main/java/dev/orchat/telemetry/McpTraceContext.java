package dev.orchat.telemetry;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The W3C trace context of the current tool call, for the {@code _meta} of an MCP request (docs/operations.md,
 * "Traces"): {@code traceparent} and, when set, {@code tracestate}, the keys the MCP community's trace-context
 * proposal uses. Null when no span is current (traces off, or not inside a traced tool call), so requests are
 * then sent exactly as before.
 */
public final class McpTraceContext {
    private McpTraceContext() {
    }

    public static Map<String, Object> meta() {
        Map<String, Object> meta = new LinkedHashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), meta, (carrier, key, value) -> {
            if (carrier != null) {
                carrier.put(key, value);
            }
        });
        return meta.isEmpty() ? null : meta;
    }
}
