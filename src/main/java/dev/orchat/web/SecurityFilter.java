package dev.orchat.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * DNS-rebinding protection, cross-site write protection and bearer tokens (docs/api.md §1.1, §13.3), in that order.
 */
@PreMatching
@Priority(200)
public class SecurityFilter implements ContainerRequestFilter {
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** Compiled once: {@code String.matches} compiled it on every request (docs/performance.md, turn engine). */
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.\\d{1,3}){3}");
    private final BearerTokens tokens;
    private final OriginPolicy origins;
    private final Optional<String> publicHost;
    private final FailedAuthLimiter limiter;

    @Context
    private HttpServletRequest servletRequest;

    public SecurityFilter(BearerTokens tokens, OriginPolicy origins, Optional<URI> publicBaseUrl,
                          FailedAuthLimiter limiter) {
        this.tokens = tokens;
        this.origins = origins;
        this.publicHost = publicBaseUrl.map(URI::getHost).map(h -> h.toLowerCase(Locale.ROOT));
        this.limiter = limiter;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String relative = request.getUriInfo().getPath();
        String path = relative.startsWith("/") ? relative : "/" + relative;
        String hostHeader = request.getHeaderString("Host");
        if (!tokens.isActive() && !isAllowedHost(hostHeader)) {
            throw new ApiException(403, hostRefusal(request.getUriInfo().getBaseUri().getScheme(), hostHeader));
        }
        String origin = request.getHeaderString("Origin");
        if (STATE_CHANGING.contains(request.getMethod())
                && !origins.allows(origin, request.getUriInfo().getBaseUri().getScheme(), hostHeader)) {
            throw new ApiException(403, originRefusal(origin));
        }
        if (!tokens.isActive() || !(path.startsWith("/api/") || path.startsWith("/v1/")) || isPublic(request, path)) {
            return;
        }
        String address = servletRequest == null ? "unknown" : servletRequest.getRemoteAddr();
        if (limiter.isBlocked(address)) {
            throw ApiException.tooMany("Too many failed authentication attempts", 60);
        }
        String header = request.getHeaderString("Authorization");
        if (!tokens.accepts(header)) {
            limiter.recordFailure(address);
            throw new ApiException(401, "Not authenticated", Map.of("WWW-Authenticate", "Bearer"));
        }
    }

    /**
     * A refusal that names the setting which would allow the request (docs/api.md §1.1): a page opened from a LAN
     * address otherwise showed a bare "Forbidden" on every action. The host is echoed only in its parsed form.
     */
    static String hostRefusal(String scheme, String hostHeader) {
        Optional<String> origin = hostHeader == null ? Optional.empty() : OriginPolicy.originOf(scheme + "://" + hostHeader.strip());
        return "Host not allowed: without AUTH_TOKENS only loopback names and the host of PUBLIC_BASE_URL are served. "
                + origin.map(o -> "To use this address, set PUBLIC_BASE_URL=" + o + " (or set AUTH_TOKENS).")
                        .orElse("Set PUBLIC_BASE_URL to the address you open the service at (or set AUTH_TOKENS).");
    }

    static String originRefusal(String origin) {
        return "Origin not allowed: " + OriginPolicy.originOf(origin).map(o -> o + " is").orElse("the page's origin is")
                + " neither this service's own origin nor listed in CORS_ALLOWED_ORIGINS. Add it to CORS_ALLOWED_ORIGINS "
                + "(comma-separated origins) and restart, or open the UI at PUBLIC_BASE_URL.";
    }

    private static boolean isPublic(ContainerRequestContext request, String path) {
        if (!"GET".equals(request.getMethod())) {
            return false;
        }
        if (path.equals("/api/google-auth/callback")) {
            return true;
        }
        // Signed attachment URLs carry their own authorisation; the upload feature verifies the signature.
        return path.startsWith("/api/uploads/") && path.endsWith("/content")
                && request.getUriInfo().getQueryParameters().containsKey("sig");
    }

    private boolean isAllowedHost(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end > 0 ? host.substring(1, end) : host;
        } else if (host.indexOf(':') >= 0) {
            host = host.substring(0, host.lastIndexOf(':'));
        }
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")
                || LOOPBACK_V4.matcher(host).matches() || publicHost.map(host::equals).orElse(false);
    }
}
