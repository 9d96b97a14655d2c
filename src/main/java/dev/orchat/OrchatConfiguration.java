package dev.orchat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.orchat.chat.ChatFactory;
import dev.orchat.config.UserFactory;
import dev.orchat.db.DatabaseFactory;
import dev.orchat.ops.OperationsFactory;
import dev.orchat.openrouter.OpenRouterFactory;
import dev.orchat.upload.AttachmentsFactory;
import dev.orchat.web.AuthFactory;
import dev.orchat.web.CorsFactory;
import dev.orchat.web.HttpLimitsFactory;
import io.dropwizard.core.Configuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** Root configuration: one validated factory per feature. Every key is documented in docs/configuration.md. */
public class OrchatConfiguration extends Configuration {
    @JsonProperty
    private String publicBaseUrl;

    @JsonProperty
    private boolean trustForwardedHeaders = false;

    @JsonProperty
    private String frontendUrl;

    @JsonProperty @NotBlank
    private String dataDir = "data";

    @JsonProperty @Valid @NotNull
    private AuthFactory auth = new AuthFactory();

    @JsonProperty @Valid @NotNull
    private CorsFactory cors = new CorsFactory();

    @JsonProperty @Valid @NotNull
    private HttpLimitsFactory http = new HttpLimitsFactory();

    @JsonProperty @Valid @NotNull
    private OpenRouterFactory openrouter = new OpenRouterFactory();

    @JsonProperty @Valid @NotNull
    private ChatFactory chat = new ChatFactory();

    @JsonProperty @Valid @NotNull
    private UserFactory user = new UserFactory();

    @JsonProperty @Valid @NotNull
    private DatabaseFactory database = new DatabaseFactory();

    @JsonProperty @Valid @NotNull
    private dev.orchat.cluster.ClusterFactory cluster = new dev.orchat.cluster.ClusterFactory();

    @JsonProperty @Valid @NotNull
    private AttachmentsFactory attachments = new AttachmentsFactory();

    @JsonProperty @Valid @NotNull
    private OperationsFactory operations = new OperationsFactory();

    @JsonProperty @Valid @NotNull
    private dev.orchat.mcp.McpFactory mcp = new dev.orchat.mcp.McpFactory();

    @JsonProperty @Valid @NotNull
    private dev.orchat.googleauth.GoogleFactory google = new dev.orchat.googleauth.GoogleFactory();

    @JsonProperty @Valid @NotNull
    private dev.orchat.googleauth.SecurityFactory security = new dev.orchat.googleauth.SecurityFactory();

    @JsonProperty @Valid @NotNull
    private dev.orchat.catalog.CatalogFactory models = new dev.orchat.catalog.CatalogFactory();

    @JsonProperty @Valid @NotNull
    private dev.orchat.stt.DeepgramFactory deepgram = new dev.orchat.stt.DeepgramFactory();

    @JsonProperty @Valid @NotNull
    private dev.orchat.web.UiFactory ui = new dev.orchat.web.UiFactory();

    @JsonProperty @Valid @NotNull
    private dev.orchat.telemetry.TelemetryFactory telemetry = new dev.orchat.telemetry.TelemetryFactory();

    public dev.orchat.telemetry.TelemetryFactory getTelemetry() { return telemetry; }

    public dev.orchat.web.UiFactory getUi() { return ui; }

    @JsonProperty("import") @Valid @NotNull
    private dev.orchat.transfer.ImportFactory importLimits = new dev.orchat.transfer.ImportFactory();

    public dev.orchat.transfer.ImportFactory getImport() { return importLimits; }

    public Optional<URI> publicBaseUri() {
        return publicBaseUrl == null || publicBaseUrl.isBlank() ? Optional.empty() : Optional.of(URI.create(publicBaseUrl.strip()));
    }

    public boolean isTrustForwardedHeaders() { return trustForwardedHeaders; }

    public Optional<String> frontendUrl() {
        return frontendUrl == null || frontendUrl.isBlank() ? Optional.empty() : Optional.of(frontendUrl.strip());
    }

    public Path dataDirectory() { return Path.of(dataDir).toAbsolutePath().normalize(); }
    public AuthFactory getAuth() { return auth; }

    /** The part of the configuration the web layer reads. */
    public dev.orchat.web.WebWiring.Settings webSettings() {
        return new dev.orchat.web.WebWiring.Settings(getServerFactory(), cors, http, frontendUrl(), publicBaseUri());
    }
    public CorsFactory getCors() { return cors; }
    public HttpLimitsFactory getHttp() { return http; }
    public OpenRouterFactory getOpenrouter() { return openrouter; }
    public ChatFactory getChat() { return chat; }
    public UserFactory getUser() { return user; }
    public dev.orchat.cluster.ClusterFactory getCluster() { return cluster; }
    public DatabaseFactory getDatabase() { return database; }
    public AttachmentsFactory getAttachments() { return attachments; }
    public OperationsFactory getOperations() { return operations; }
    public dev.orchat.mcp.McpFactory getMcp() { return mcp; }
    public dev.orchat.googleauth.GoogleFactory getGoogle() { return google; }
    public dev.orchat.googleauth.SecurityFactory getSecurity() { return security; }
    public dev.orchat.catalog.CatalogFactory getModels() { return models; }
    public dev.orchat.stt.DeepgramFactory getDeepgram() { return deepgram; }

    @JsonIgnore
    @ValidationMethod(message = "openrouter.baseUrl must be an absolute http(s) URL")
    public boolean isBaseUrlValid() {
        try {
            openrouter.baseUri();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @JsonIgnore
    @ValidationMethod(message = "publicBaseUrl and frontendUrl must be absolute http(s) URLs")
    public boolean isPublicUrlsValid() {
        return absoluteOrUnset(publicBaseUrl) && (frontendUrl == null || frontendUrl.isBlank()
                || frontendUrl.strip().startsWith("/") || absoluteOrUnset(frontendUrl));
    }

    @JsonIgnore
    @ValidationMethod(message = "chat.virtualThreads needs Java 21 or newer")
    public boolean isVirtualThreadsSupported() {
        return !chat.isVirtualThreads() || Runtime.version().feature() >= 21;
    }

    private static boolean absoluteOrUnset(String url) {
        if (url == null || url.isBlank()) {
            return true;
        }
        try {
            URI uri = URI.create(url.strip());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
