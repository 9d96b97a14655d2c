package dev.orchat.openrouter;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.client.JerseyClientBuilder;
import io.dropwizard.client.JerseyClientConfiguration;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.client.Client;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The upstream connection (docs/configuration.md §2 {@code openrouter.*}).
 *
 * <table>
 * <tr><td>apiKey</td><td>unset</td><td>required for flavor openrouter (checked per turn: 503 when missing)</td></tr>
 * <tr><td>baseUrl</td><td>https://openrouter.ai/api/v1</td><td>any OpenAI-compatible server; trailing / removed</td></tr>
 * <tr><td>flavor</td><td>auto</td><td>openrouter, generic or auto (by host)</td></tr>
 * <tr><td>defaultModel</td><td>openrouter/auto</td><td>initial and last-resort model</td></tr>
 * <tr><td>appUrl / appTitle</td><td>unset</td><td>HTTP-Referer + Referer / X-Title headers</td></tr>
 * <tr><td>timeoutSeconds</td><td>120</td><td>max silence between upstream bytes (fractions allowed)</td></tr>
 * <tr><td>connectTimeout</td><td>10s</td><td>TCP/TLS connect timeout</td></tr>
 * <tr><td>maxRetries</td><td>2</td><td>retries before the first response byte</td></tr>
 * <tr><td>maxConnections</td><td>50</td><td>keep-alive pool size</td></tr>
 * </table>
 */
public class OpenRouterFactory {
    @JsonProperty
    private String apiKey;

    @JsonProperty
    @NotBlank
    private String baseUrl = "https://openrouter.ai/api/v1";

    @JsonProperty
    @NotNull
    private Flavor flavor = Flavor.AUTO;

    @JsonProperty
    @NotBlank
    private String defaultModel = "openrouter/auto";

    @JsonProperty
    private String appUrl;

    @JsonProperty
    private String appTitle;

    @JsonProperty
    @DecimalMin("0.05")
    private double timeoutSeconds = 120;

    @JsonProperty
    @NotNull
    private Duration connectTimeout = Duration.seconds(10);

    @JsonProperty
    @Min(0)
    @Max(10)
    private int maxRetries = 2;

    @JsonProperty
    @Min(1)
    @Max(100_000)
    private int maxConnections = 50;

    public Optional<String> apiKey() {
        return blankToEmpty(apiKey);
    }

    public URI baseUri() {
        String trimmed = baseUrl.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri = URI.create(trimmed);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("openrouter.baseUrl must be an absolute http(s) URL: " + baseUrl);
        }
        return uri;
    }

    public Flavor resolvedFlavor() {
        return flavor.resolve(baseUri());
    }

    public String getDefaultModel() {
        return defaultModel.strip();
    }

    public Optional<String> appUrl() {
        return blankToEmpty(appUrl);
    }

    public Optional<String> appTitle() {
        return blankToEmpty(appTitle);
    }

    public long silenceTimeoutMillis() {
        return Math.round(timeoutSeconds * 1000);
    }

    public long connectTimeoutMillis() {
        return connectTimeout.toMilliseconds();
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    /** @param virtualThreads run the stream callbacks on virtual threads ({@code chat.virtualThreads}, Java 21+) */
    public OpenRouterClient build(Environment environment, boolean virtualThreads) {
        JerseyClientConfiguration cc = new JerseyClientConfiguration();
        // Dropwizard's defaults suit small JSON calls, not long SSE streams (docs/architecture.md §5).
        cc.setTimeout(Duration.milliseconds(silenceTimeoutMillis()));
        cc.setConnectionTimeout(connectTimeout);
        cc.setConnectionRequestTimeout(connectTimeout);
        cc.setMaxConnections(maxConnections);
        cc.setMaxConnectionsPerRoute(maxConnections);
        cc.setKeepAlive(Duration.minutes(5));
        // Validating a pooled connection before every request costs a 1 ms blocking read; only validate
        // connections that sat idle for a while.
        cc.setValidateAfterInactivityPeriod(Duration.seconds(2));
        cc.setGzipEnabled(false);
        cc.setGzipEnabledForRequests(false);
        cc.setChunkedEncodingEnabled(false);
        cc.setRetries(0);
        cc.setMinThreads(2);
        cc.setMaxThreads(Math.max(8, Math.min(maxConnections, 128)));
        cc.setUserAgent(Optional.of("orchat"));
        Client client = new JerseyClientBuilder(environment).using(cc).build("openrouter");
        HttpClient streaming = streamingClient(virtualThreads);
        environment.lifecycle().manage(streaming);
        return new OpenRouterClient(client, streaming, this, environment.getObjectMapper(), environment.metrics());
    }

    /**
     * The client for turn streams (docs/architecture.md, "Upstream"): non-blocking, so an open stream holds no
     * thread while the upstream is quiet. Started here, like the Jersey client, so it works before the server
     * starts (commands, tests); the lifecycle stops it.
     */
    private HttpClient streamingClient(boolean virtualThreads) {
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(32, Math.min(maxConnections, 2048)), 2);
        threads.setName("openrouter-io");
        threads.setDaemon(true);
        if (virtualThreads) {
            // A hop's sink may block on a slow client's write; on virtual threads that costs no platform thread.
            threads.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("openrouter-io-v"));
        }
        HttpClient streaming = new HttpClient();
        streaming.setExecutor(threads);
        streaming.setConnectTimeout(connectTimeout.toMilliseconds());
        streaming.setIdleTimeout(Duration.minutes(5).toMilliseconds());
        streaming.setMaxConnectionsPerDestination(maxConnections);
        streaming.setMaxRequestsQueuedPerDestination(Math.max(1024, maxConnections * 4));
        streaming.setFollowRedirects(false);
        streaming.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "orchat"));
        try {
            streaming.start();
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the upstream client", e);
        }
        return streaming;
    }

    private static Optional<String> blankToEmpty(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
