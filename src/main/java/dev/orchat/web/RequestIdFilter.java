package dev.orchat.web;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/** Keeps a valid incoming {@code X-Request-Id} or makes one; echoes it and puts it on every log line (§3.1). */
@PreMatching
@Priority(100)
public class RequestIdFilter implements ContainerRequestFilter, ContainerResponseFilter {
    public static final String HEADER = "X-Request-Id";
    public static final String PROPERTY = "orchat.requestId";
    private static final String THREAD = "orchat.requestId.thread";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Override
    public void filter(ContainerRequestContext request) {
        String incoming = request.getHeaderString(HEADER);
        String id = incoming != null && VALID.matcher(incoming).matches()
                ? incoming : UUID.randomUUID().toString().replace("-", "");
        request.setProperty(PROPERTY, id);
        request.setProperty(THREAD, Thread.currentThread());
        MDC.put("request_id", id);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(PROPERTY);
        if (id != null) {
            response.getHeaders().putSingle(HEADER, id.toString());
        }
        // A streamed (SSE) response is committed by the first event, possibly on the turn's relay thread, whose own
        // MDC carries the request id for the whole turn: only the thread that set the id removes it.
        // CleanupFilter clears it on the request thread in every case.
        if (request.getProperty(THREAD) == Thread.currentThread()) {
            MDC.remove("request_id");
        }
    }

    /** Servlet filter: the request thread never keeps a request id past its request (async responses included). */
    public static final class CleanupFilter implements jakarta.servlet.Filter {
        @Override
        public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response,
                             jakarta.servlet.FilterChain chain) throws java.io.IOException, jakarta.servlet.ServletException {
            try {
                chain.doFilter(request, response);
            } finally {
                MDC.remove("request_id");
            }
        }
    }
}
