package dev.orchat.web;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Optional;

/**
 * The absolute base of URLs handed to clients (docs/api.md §2.21): {@code publicBaseUrl} when set, else the request's
 * scheme and host; {@code X-Forwarded-Proto/Host} only when the operator trusts the proxy in front.
 */
public final class PublicUrls {
    private final Optional<String> configured;
    private final boolean trustForwarded;

    public PublicUrls(Optional<URI> publicBaseUrl, boolean trustForwardedHeaders) {
        this.configured = publicBaseUrl.map(u -> u.toString().replaceAll("/+$", ""));
        this.trustForwarded = trustForwardedHeaders;
    }

    public String base(UriInfo uri, HttpHeaders headers) {
        if (configured.isPresent()) {
            return configured.get();
        }
        URI request = uri.getBaseUri();
        String scheme = request.getScheme();
        String host = headers.getHeaderString(HttpHeaders.HOST);
        if (trustForwarded) {
            scheme = first(headers.getHeaderString("X-Forwarded-Proto")).orElse(scheme);
            host = first(headers.getHeaderString("X-Forwarded-Host")).orElse(host);
        }
        if (host == null || host.isBlank() || !host.matches("[A-Za-z0-9.:\\[\\]_-]+")) {
            host = request.getAuthority();
        }
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            scheme = request.getScheme();
        }
        return scheme + "://" + host;
    }

    private static Optional<String> first(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(header.split(",", 2)[0].strip());
    }
}
