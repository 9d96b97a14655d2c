package dev.orchat.stt;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.client.JerseyClientBuilder;
import io.dropwizard.client.JerseyClientConfiguration;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.client.Client;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speech-to-text token (docs/configuration.md §2 {@code deepgram.*}, §10).
 *
 * <table>
 * <tr><td>apiKey</td><td>unset</td><td>enables the token route; never returned or logged</td></tr>
 * <tr><td>baseUrl</td><td>https://api.deepgram.com</td><td>base of {@code POST /v1/auth/grant}</td></tr>
 * <tr><td>tokenTtlSeconds</td><td>30</td><td>1–3600</td></tr>
 * <tr><td>allowApiKeyFallback</td><td>false</td><td>on a failed grant, hand out the API key itself (development only)</td></tr>
 * <tr><td>rateLimitPerMinute</td><td>12</td><td>service-wide mints per minute</td></tr>
 * <tr><td>timeout</td><td>10s</td><td>grant call timeout</td></tr>
 * </table>
 */
public class DeepgramFactory {
    private static final Logger LOG = LoggerFactory.getLogger(DeepgramFactory.class);

    @JsonProperty
    private String apiKey;

    @JsonProperty
    @NotBlank
    private String baseUrl = "https://api.deepgram.com";

    @JsonProperty
    @Min(1)
    @Max(3600)
    private int tokenTtlSeconds = 30;

    @JsonProperty
    private boolean allowApiKeyFallback = false;

    @JsonProperty
    @Min(1)
    @Max(10_000)
    private int rateLimitPerMinute = 12;

    @JsonProperty
    @NotNull
    private Duration timeout = Duration.seconds(10);

    public Optional<String> apiKey() {
        return apiKey == null || apiKey.isBlank() ? Optional.empty() : Optional.of(apiKey.strip());
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    @io.dropwizard.validation.ValidationMethod(message = "deepgram.baseUrl must be an absolute http(s) URL")
    public boolean isBaseUrlValid() {
        try {
            URI uri = grantUri();
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public URI grantUri() {
        String base = baseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/v1/auth/grant");
    }

    public int getTokenTtlSeconds() {
        return tokenTtlSeconds;
    }

    public boolean isAllowApiKeyFallback() {
        return allowApiKeyFallback;
    }

    public int getRateLimitPerMinute() {
        return rateLimitPerMinute;
    }

    public DeepgramTokens build(Environment environment, Clock clock) {
        JerseyClientConfiguration cc = new JerseyClientConfiguration();
        cc.setTimeout(timeout);
        cc.setConnectionTimeout(timeout);
        cc.setConnectionRequestTimeout(timeout);
        cc.setGzipEnabled(false);
        cc.setGzipEnabledForRequests(false);
        cc.setChunkedEncodingEnabled(false);
        cc.setRetries(0);
        cc.setMaxConnections(8);
        cc.setMaxConnectionsPerRoute(8);
        cc.setUserAgent(Optional.of("orchat"));
        Client client = new JerseyClientBuilder(environment).using(cc).build("deepgram");
        if (allowApiKeyFallback) {
            LOG.warn("deepgram.allowApiKeyFallback is ON: a failed token grant hands the Deepgram API key to the browser."
                    + " Use this for development only.");
        }
        return new DeepgramTokens(client, this, environment.getObjectMapper(), environment.metrics(),
                new MintRateLimiter(rateLimitPerMinute, clock));
    }
}
