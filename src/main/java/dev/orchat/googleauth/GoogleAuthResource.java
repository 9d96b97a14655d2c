package dev.orchat.googleauth;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.orchat.db.Timestamps;
import dev.orchat.web.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Google OAuth routes of docs/api.md §2.27. The callback is public (web/SecurityFilter lists it). */
@Path("/api/google-auth")
@Produces(MediaType.APPLICATION_JSON)
public final class GoogleAuthResource {
    private final GoogleAuthFlow flow;
    private final GoogleConnection connection;

    GoogleAuthResource(GoogleAuthFlow flow, GoogleConnection connection) {
        this.flow = flow;
        this.connection = connection;
    }

    /** Body of {@code POST /authorize}; every field optional. */
    public record AuthorizeRequest(@JsonProperty("user_email") String userEmail,
                                   @JsonProperty("redirect_uri") String redirectUri,
                                   @JsonProperty("write") Boolean write) {
    }

    public record AuthorizeResponse(@JsonProperty("auth_url") String authUrl, @JsonProperty("expires_at") String expiresAt) {
    }

    @POST
    @Path("/authorize")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response authorize(AuthorizeRequest body) {
        AuthorizeRequest req = body == null ? new AuthorizeRequest(null, null, null) : body;
        GoogleAuthFlow.Started started = flow.authorize(req.userEmail(), req.redirectUri(), Boolean.TRUE.equals(req.write()));
        Response.ResponseBuilder ok = Response.ok(new AuthorizeResponse(started.authUrl(), Timestamps.format(started.expiresAt())));
        if (connection.config().isBindStateToBrowser()) {
            // Built by hand: NewCookie cannot express SameSite on every Jersey version we may meet.
            ok.header("Set-Cookie", GoogleAuthFlow.COOKIE + "=" + started.state() + "; Path=/api/google-auth/callback; Max-Age="
                    + GoogleAuthFlow.FLOW_TTL.toSeconds() + "; HttpOnly; SameSite=Lax" + (started.secureCookie() ? "; Secure" : ""));
        }
        return ok.build();
    }

    @GET
    @Path("/callback")
    public Response callback(@QueryParam("state") String state, @QueryParam("code") String code,
                             @QueryParam("error") String error, @CookieParam(GoogleAuthFlow.COOKIE) String cookie) {
        String target = flow.callback(state, code, error, cookie);
        return Response.seeOther(URI.create(target))
                .header("Set-Cookie", GoogleAuthFlow.COOKIE + "=; Path=/api/google-auth/callback; Max-Age=0; HttpOnly; SameSite=Lax")
                .header("Cache-Control", "no-store")
                .build();
    }

    @GET
    @Path("/status")
    public Map<String, Object> status() {
        requireConfigured();
        GoogleConnection.Status s = connection.status();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("authorized", s.authorized());
        out.put("email", s.email());
        out.put("scopes", s.scopes());
        out.put("write_enabled", connection.config().isEnableWrite());
        out.put("expires_at", Timestamps.format(s.expiresAt()));
        out.put("needs_reauth", s.needsReauth());
        return out;
    }

    @GET
    @Path("/status/{user_email}")
    public Map<String, Object> statusFor(@PathParam("user_email") String email) {
        requireConfigured();
        GoogleConnection.Status s = connection.status();
        if (s.authorized() && s.email() != null && s.email().equalsIgnoreCase(email.strip())) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("authorized", true);
            out.put("expires_at", Timestamps.format(s.expiresAt()));
            return out;
        }
        return Map.of("authorized", false);
    }

    @DELETE
    @Path("/token")
    public Response disconnect() {
        requireConfigured();
        connection.disconnect();
        return Response.noContent().build();
    }

    private void requireConfigured() {
        connection.configurationProblem().ifPresent(p -> {
            throw ApiException.unavailable("Google integration is not configured: " + p);
        });
    }

}
