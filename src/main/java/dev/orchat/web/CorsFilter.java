package dev.orchat.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;

/** CORS for allow-listed origins; preflights are answered here, before authentication (docs/api.md §1.1). */
@PreMatching
@Priority(150)
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String METHODS = "GET, POST, PUT, PATCH, DELETE";
    private static final String HEADERS = "Authorization, Content-Type, Last-Event-ID, X-Request-Id";
    private final OriginPolicy origins;

    public CorsFilter(OriginPolicy origins) {
        this.origins = origins;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if ("OPTIONS".equals(request.getMethod()) && origin != null
                && request.getHeaderString("Access-Control-Request-Method") != null) {
            Response.ResponseBuilder preflight = Response.noContent().header("Vary", "Origin");
            if (origins.isListed(origin)) {
                preflight.header("Access-Control-Allow-Origin", origin)
                        .header("Access-Control-Allow-Methods", METHODS)
                        .header("Access-Control-Allow-Headers", HEADERS)
                        .header("Access-Control-Max-Age", "600");
            }
            request.abortWith(preflight.build());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        if (origin != null && origins.isListed(origin)) {
            response.getHeaders().putSingle("Access-Control-Allow-Origin", origin);
            response.getHeaders().putSingle("Access-Control-Expose-Headers", RequestIdFilter.HEADER);
            response.getHeaders().add("Vary", "Origin");
        }
    }
}
