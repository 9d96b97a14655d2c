package dev.orchat.openrouter;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;

/** Hands the raw connector stream of a response to the request's {@link AbortHandle}, if it has one. */
final class AbortHandleFilter implements ClientResponseFilter {
    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        if (request.getProperty(AbortHandle.PROPERTY) instanceof AbortHandle handle) {
            handle.attach(response.getEntityStream());
        }
    }
}
