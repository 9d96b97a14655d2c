package dev.orchat.telemetry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.orchat.config.CommaSeparatedList;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code telemetry.*}: optional OTLP traces (docs/configuration.md, "Telemetry"; docs/operations.md, "Traces").
 *
 * <table>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>otlpEndpoint</td><td>unset: no traces, no SDK threads</td><td>OTLP/HTTP base URL of a collector,
 *       e.g. {@code http://127.0.0.1:4318}; spans are posted to {@code <endpoint>/v1/traces} (as given when it
 *       already ends so)</td></tr>
 *   <tr><td>otlpHeaders</td><td>none</td><td>{@code key=value} pairs (list or comma-separated, values
 *       percent-decoded) sent with every export, e.g. a collector's API key</td></tr>
 *   <tr><td>serviceName</td><td>{@code orchat}</td><td>the {@code service.name} resource attribute</td></tr>
 *   <tr><td>exportInterval</td><td>5s</td><td>how long finished spans wait to be sent in one batch</td></tr>
 *   <tr><td>exportTimeout</td><td>10s</td><td>one export request, and the final flush at shutdown</td></tr>
 * </table>
 */
public class TelemetryFactory {
    static final String TRACES_PATH = "/v1/traces";

    @JsonProperty
    private String otlpEndpoint;

    @JsonProperty
    @JsonDeserialize(using = CommaSeparatedList.class)
    private List<String> otlpHeaders = new ArrayList<>();

    @JsonProperty
    @NotBlank
    private String serviceName = "orchat";

    @JsonProperty
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration exportInterval = Duration.seconds(5);

    @JsonProperty
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration exportTimeout = Duration.seconds(10);

    /**
     * Registers the OTLP trace pipeline as a managed object when {@code otlpEndpoint} is set; otherwise nothing is
     * built, and the telemetry hooks stay no-ops. Called before the chat feature is wired, so that it is stopped
     * (and flushed) after the relays, whose last spans it must still send.
     */
    public void build(Environment env, String serviceVersion) {
        tracesEndpoint().ifPresent(endpoint -> env.lifecycle().manage(new OtlpTraces(GenAiMetrics.of(env.metrics()),
                new OtlpTraces.Settings(endpoint, headers(), serviceName.strip(), serviceVersion,
                        exportInterval.toJavaDuration(), exportTimeout.toJavaDuration()))));
    }

    /** The URL spans are posted to, when traces are on. */
    @JsonIgnore
    public Optional<URI> tracesEndpoint() {
        if (otlpEndpoint == null || otlpEndpoint.isBlank()) {
            return Optional.empty();
        }
        String base = otlpEndpoint.strip();
        if (base.endsWith(TRACES_PATH)) {
            return Optional.of(URI.create(base));
        }
        return Optional.of(URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + TRACES_PATH));
    }

    @JsonIgnore
    Map<String, String> headers() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : otlpHeaders) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq).strip(),
                        URLDecoder.decode(pair.substring(eq + 1).strip(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @JsonIgnore
    @ValidationMethod(message = "telemetry.otlpEndpoint must be an absolute http(s) URL")
    public boolean isOtlpEndpointValid() {
        try {
            return tracesEndpoint().map(uri -> ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null).orElse(true);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @JsonIgnore
    @ValidationMethod(message = "telemetry.otlpHeaders entries must be key=value")
    public boolean isOtlpHeadersValid() {
        return otlpHeaders.stream().allMatch(pair -> pair.indexOf('=') > 0);
    }

    public String getOtlpEndpoint() {
        return otlpEndpoint;
    }

    public String getServiceName() {
        return serviceName;
    }
}
