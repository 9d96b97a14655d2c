package dev.orchat.mcp.external;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Delegating transport that remembers the JSON-RPC id of each {@code tools/call} we send, so a call we give up on can
 * be followed by {@code notifications/cancelled}. SDK 2.1 neither sends that notification on timeout nor exposes
 * request ids; the session passes our own {@link McpSchema.CallToolRequest} object as the request params, so we
 * correlate by object identity (two equal concurrent calls stay distinct and nothing extra goes on the wire).
 */
final class CallTrackingTransport implements McpClientTransport {
    private final McpClientTransport delegate;
    private final Map<McpSchema.CallToolRequest, Object> requestIds =
            Collections.synchronizedMap(new IdentityHashMap<>());

    CallTrackingTransport(McpClientTransport delegate) {
        this.delegate = delegate;
    }

    McpClientTransport delegate() {
        return delegate;
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        return delegate.connect(handler);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCRequest request
                && McpSchema.METHOD_TOOLS_CALL.equals(request.method())
                && request.params() instanceof McpSchema.CallToolRequest call) {
            requestIds.put(call, request.id());
        }
        return delegate.sendMessage(message);
    }

    /** Drops the bookkeeping for a finished call. */
    void forget(McpSchema.CallToolRequest call) {
        requestIds.remove(call);
    }

    /** Tells the server we no longer want the answer to {@code call}; a no-op if it was never sent. */
    Mono<Void> cancel(McpSchema.CallToolRequest call, String reason) {
        Object id = requestIds.remove(call);
        if (id == null) {
            return Mono.empty();
        }
        return delegate.sendMessage(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION,
                "notifications/cancelled", Map.of("requestId", id, "reason", reason)));
    }

    @Override
    public void setExceptionHandler(Consumer<Throwable> handler) {
        delegate.setExceptionHandler(handler);
    }

    @Override
    public List<String> protocolVersions() {
        // Must delegate: the client negotiates from the real transport's list (stdio 2025-11-25).
        return delegate.protocolVersions();
    }

    @Override
    public Mono<Void> closeGracefully() {
        return delegate.closeGracefully();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return delegate.unmarshalFrom(data, typeRef);
    }
}
