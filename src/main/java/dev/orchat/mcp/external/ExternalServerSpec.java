package dev.orchat.mcp.external;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to launch or reach one external MCP server (docs/configuration.md §4), already resolved: {@code ${NAME}}
 * references in {@code env}/{@code headers} are expanded by the caller, and {@code command} is the full argv head.
 * The record is immutable so a supervisor can compare old and new specs to decide whether a restart is needed.
 */
public record ExternalServerSpec(
        String id,
        Transport transport,
        List<String> command,
        List<String> args,
        Map<String, String> env,
        Path cwd,
        URI url,
        Map<String, String> headers,
        Duration callTimeout) {

    public enum Transport { STDIO, STREAMABLE_HTTP, SSE }

    public ExternalServerSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(transport, "transport");
        command = command == null ? List.of() : List.copyOf(command);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        callTimeout = callTimeout == null ? Duration.ofSeconds(60) : callTimeout;
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive");
        }
        if (transport == Transport.STDIO && command.isEmpty()) {
            throw new IllegalArgumentException("stdio server " + id + " needs a command");
        }
        if (transport != Transport.STDIO && url == null) {
            throw new IllegalArgumentException("HTTP server " + id + " needs a url");
        }
    }

    /** A stdio server; {@code command} holds the executable plus any leading arguments. */
    public static ExternalServerSpec stdio(String id, List<String> command, List<String> args,
            Map<String, String> env, Path cwd, Duration callTimeout) {
        return new ExternalServerSpec(id, Transport.STDIO, command, args, env, cwd, null, null, callTimeout);
    }

    /** A server on the older HTTP+SSE transport; {@code url} is its SSE endpoint, e.g. {@code http://host:port/sse}. */
    public static ExternalServerSpec sse(String id, URI url, Map<String, String> headers, Duration callTimeout) {
        return new ExternalServerSpec(id, Transport.SSE, null, null, null, null, url, headers, callTimeout);
    }

    /** A streamable HTTP server at {@code url} (the full MCP endpoint, e.g. {@code http://host:port/mcp}). */
    public static ExternalServerSpec http(String id, URI url, Map<String, String> headers, Duration callTimeout) {
        return new ExternalServerSpec(id, Transport.STREAMABLE_HTTP, null, null, null, null, url, headers,
                callTimeout);
    }
}
