package dev.orchat.googleauth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.orchat.config.CommaSeparatedList;
import io.dropwizard.client.JerseyClientBuilder;
import io.dropwizard.client.JerseyClientConfiguration;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.client.Client;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Google OAuth and API access (docs/configuration.md §2 {@code google.*}, §11). Every Google URL is a key so tests and manual
 * runs can point them at a fake.
 *
 * <table>
 * <tr><td>clientSecretFile</td><td>first credentials/client_secret*.json by name</td><td>GOOGLE_CLIENT_SECRET_FILE</td></tr>
 * <tr><td>redirectUri</td><td>http://localhost:8000/api/google-auth/callback</td><td>GOOGLE_OAUTH_REDIRECT_URI</td></tr>
 * <tr><td>allowedRedirectUris</td><td>[redirectUri]</td><td>redirect URIs a client may request</td></tr>
 * <tr><td>readScopes / writeScopes</td><td>docs/api.md §2.27</td><td>always requested / requested with write access</td></tr>
 * <tr><td>enableWrite</td><td>false</td><td>GOOGLE_ENABLE_WRITE: offer write access, expose write tools</td></tr>
 * <tr><td>gmail.allowSend</td><td>false</td><td>GMAIL_ALLOW_SEND: request gmail.send, expose send_gmail_message</td></tr>
 * <tr><td>bindStateToBrowser</td><td>true</td><td>require the state cookie on the callback</td></tr>
 * <tr><td>authorizationUrl, tokenUrl, revokeUrl</td><td>Google's</td><td>OAuth endpoints</td></tr>
 * <tr><td>gmailBaseUrl, driveBaseUrl, calendarBaseUrl, tasksBaseUrl</td><td>Google's</td><td>REST API bases</td></tr>
 * <tr><td>timeout / connectTimeout</td><td>30s / 10s</td><td>per Google HTTP call</td></tr>
 * <tr><td>retryDelay</td><td>1s</td><td>pause before the single retry after 429/5xx (docs/operations.md, "MCP servers")</td></tr>
 * </table>
 */
public class GoogleFactory {
    private static final Logger LOG = LoggerFactory.getLogger(GoogleFactory.class);
    static final String SEND_SCOPE = "https://www.googleapis.com/auth/gmail.send";

    @JsonProperty
    private String clientSecretFile;

    @JsonProperty
    @NotBlank
    private String redirectUri = "http://localhost:8000/api/google-auth/callback";

    @JsonProperty
    @JsonDeserialize(using = CommaSeparatedList.class)
    private List<String> allowedRedirectUris = new ArrayList<>();

    @JsonProperty
    @JsonDeserialize(using = CommaSeparatedList.class)
    private List<String> readScopes = new ArrayList<>(List.of("openid", "email",
            "https://www.googleapis.com/auth/gmail.readonly", "https://www.googleapis.com/auth/drive.readonly",
            "https://www.googleapis.com/auth/calendar.readonly", "https://www.googleapis.com/auth/tasks.readonly"));

    @JsonProperty
    @JsonDeserialize(using = CommaSeparatedList.class)
    private List<String> writeScopes = new ArrayList<>(List.of("https://www.googleapis.com/auth/calendar.events",
            "https://www.googleapis.com/auth/gmail.compose", "https://www.googleapis.com/auth/gmail.modify"));

    @JsonProperty
    private boolean enableWrite = false;

    @JsonProperty
    private boolean bindStateToBrowser = true;

    @JsonProperty
    @Valid
    @NotNull
    private Gmail gmail = new Gmail();

    @JsonProperty @NotBlank
    private String authorizationUrl = "https://accounts.google.com/o/oauth2/v2/auth";
    @JsonProperty @NotBlank
    private String tokenUrl = "https://oauth2.googleapis.com/token";
    @JsonProperty @NotBlank
    private String revokeUrl = "https://oauth2.googleapis.com/revoke";
    @JsonProperty @NotBlank
    private String gmailBaseUrl = "https://gmail.googleapis.com/gmail/v1";
    @JsonProperty @NotBlank
    private String driveBaseUrl = "https://www.googleapis.com/drive/v3";
    @JsonProperty @NotBlank
    private String calendarBaseUrl = "https://www.googleapis.com/calendar/v3";
    @JsonProperty @NotBlank
    private String tasksBaseUrl = "https://tasks.googleapis.com/tasks/v1";

    @JsonProperty @NotNull
    private Duration timeout = Duration.seconds(30);
    @JsonProperty @NotNull
    private Duration connectTimeout = Duration.seconds(10);
    @JsonProperty @NotNull
    private Duration retryDelay = Duration.seconds(1);

    public static class Gmail {
        @JsonProperty
        private boolean allowSend = false;

        public boolean isAllowSend() {
            return allowSend;
        }
    }

    public boolean isEnableWrite() { return enableWrite; }
    public boolean isAllowSend() { return gmail.isAllowSend(); }
    public boolean isBindStateToBrowser() { return bindStateToBrowser; }
    public String getRedirectUri() { return redirectUri.strip(); }
    public String gmailBase() { return trim(gmailBaseUrl); }
    public String driveBase() { return trim(driveBaseUrl); }
    public String calendarBase() { return trim(calendarBaseUrl); }
    public String tasksBase() { return trim(tasksBaseUrl); }
    URI authorizationUri() { return URI.create(authorizationUrl.strip()); }
    URI tokenUri() { return URI.create(tokenUrl.strip()); }
    URI revokeUri() { return URI.create(revokeUrl.strip()); }

    /** {@code allowedRedirectUris}, always including the default redirect URI. */
    public List<String> allowedRedirectUris() {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        all.add(getRedirectUri());
        allowedRedirectUris.forEach(u -> all.add(u.strip()));
        return List.copyOf(all);
    }

    public List<String> getReadScopes() { return List.copyOf(readScopes); }

    /** The write scopes actually requested: none unless write is enabled, plus gmail.send only when sending is. */
    public List<String> requestableWriteScopes() {
        if (!enableWrite) {
            return List.of();
        }
        LinkedHashSet<String> scopes = new LinkedHashSet<>(writeScopes);
        if (gmail.isAllowSend()) {
            scopes.add(SEND_SCOPE);
        }
        return List.copyOf(scopes);
    }

    private static String trim(String url) {
        String s = url.strip();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * Builds the connection (usable or reporting why not), the REST client for the built-ins, and registers the
     * routes. A missing client file or key is not fatal: the routes answer 503 and the built-ins stay needs_auth.
     */
    public GoogleAuth build(Environment env, SecurityFactory security, Jdbi jdbi, Clock clock, Optional<String> frontendUrl) {
        List<String> missing = new ArrayList<>();
        Optional<TokenCipher> cipher = security.buildCipher();
        if (cipher.isEmpty()) {
            missing.add("security.tokenEncryptionKey is not set");
        }
        ClientSecrets client = null;
        Optional<Path> file = ClientSecrets.locate(clientSecretFile, Path.of("credentials"));
        if (file.isEmpty()) {
            missing.add("no OAuth client file (google.clientSecretFile or credentials/client_secret*.json)");
        } else {
            try {
                client = ClientSecrets.read(file.get(), env.getObjectMapper());
            } catch (IOException e) {
                missing.add(e.getMessage());
            }
        }
        Optional<String> problem = missing.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", missing));
        problem.ifPresent(p -> LOG.info("Google integration is not configured: {}", p));
        Client http = new JerseyClientBuilder(env).using(clientConfiguration()).build("google");
        OAuthClient oauth = new OAuthClient(http, this, client, env.getObjectMapper());
        GoogleTokenStore store = new GoogleTokenStore(jdbi, clock);
        GoogleConnection connection = new GoogleConnection(problem, cipher.orElse(null), store, oauth, this, clock,
                env.metrics());
        GoogleAuthFlow flow = new GoogleAuthFlow(connection, store, cipher.orElse(null), oauth, this, clock,
                frontendUrl.orElse("/"));
        env.jersey().register(new GoogleAuthResource(flow, connection));
        GoogleApi api = new GoogleApi(http, connection, env.getObjectMapper());
        api.setRetryDelay(retryDelay.toJavaDuration());
        return new GoogleAuth(connection, api);
    }

    private JerseyClientConfiguration clientConfiguration() {
        JerseyClientConfiguration cc = new JerseyClientConfiguration();
        // Dropwizard's 500 ms read timeout is far too short for Gmail/Drive downloads (docs/architecture.md §5).
        cc.setTimeout(timeout);
        cc.setConnectionTimeout(connectTimeout);
        cc.setConnectionRequestTimeout(connectTimeout);
        cc.setGzipEnabled(false);
        cc.setGzipEnabledForRequests(false);
        cc.setChunkedEncodingEnabled(false);
        cc.setRetries(0);
        cc.setMinThreads(2);
        cc.setMaxThreads(16);
        cc.setMaxConnections(32);
        cc.setMaxConnectionsPerRoute(32);
        cc.setUserAgent(Optional.of("orchat"));
        return cc;
    }

    /** What {@link #build} hands to the rest of the application. */
    public record GoogleAuth(GoogleConnection connection, GoogleApi api) {
    }
}
