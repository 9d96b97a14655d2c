package dev.orchat.mcp.external;

import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** The SDK's HTTP transports (streamable HTTP and the older HTTP+SSE), with the server's headers on every request. */
final class HttpTransports {
    private HttpTransports() {
    }

    static McpClientTransport create(ExternalServerSpec spec, McpJsonMapper jsonMapper) {
        URI url = spec.url();
        String base = url.getScheme() + "://" + url.getRawAuthority();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String endpoint = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        Map<String, String> headers = spec.headers();
        if (spec.transport() == ExternalServerSpec.Transport.SSE) {
            HttpClientSseClientTransport.Builder sse = HttpClientSseClientTransport.builder(base)
                            .sseEndpoint(endpoint).jsonMapper(jsonMapper).connectTimeout(Duration.ofSeconds(10));
            if (!headers.isEmpty()) {
                sse.httpRequestCustomizer((request, method, uri, body, ctx) -> headers.forEach(request::setHeader));
            }
            return sse.build();
        }
        HttpClientStreamableHttpTransport.Builder builder = HttpClientStreamableHttpTransport.builder(base)
                .endpoint(endpoint)
                .jsonMapper(jsonMapper)
                .connectTimeout(Duration.ofSeconds(10));
        if (!headers.isEmpty()) {
            builder.httpRequestCustomizer((request, method, uri, body, ctx) -> headers.forEach(request::setHeader));
        }
        return builder.build();
    }
}
