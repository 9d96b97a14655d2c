package dev.orchat.catalog;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.openrouter.OpenRouterClient;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The model catalogue (docs/configuration.md §2 {@code models.*}).
 *
 * <table>
 * <tr><td>cacheTtl</td><td>60s</td><td>age after which the next request refetches {@code /models}</td></tr>
 * </table>
 */
public class CatalogFactory {
    @JsonProperty
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    private Duration cacheTtl = Duration.seconds(60);

    public Duration getCacheTtl() {
        return cacheTtl;
    }

    public ModelCatalog build(OpenRouterClient upstream, ObjectMapper mapper, Clock clock, MetricRegistry metrics) {
        return new ModelCatalog(upstream, mapper, clock, cacheTtl.toJavaDuration(), metrics);
    }
}
