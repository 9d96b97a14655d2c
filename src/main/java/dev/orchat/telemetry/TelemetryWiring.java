package dev.orchat.telemetry;

import com.codahale.metrics.MetricFilter;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Operations telemetry (docs/operations.md, "Prometheus" and "GenAI metrics"): the admin port's {@code /prometheus}
 * serves, in the Prometheus text format, every Dropwizard metric through the official client's bridge, the client's
 * JVM metrics, and the labelled GenAI metrics. Dropwizard's JSON {@code /metrics} is unchanged.
 */
public final class TelemetryWiring {
    private TelemetryWiring() {
    }

    public static void register(Environment env) {
        // One registry per application, not the client's static default: tests run several apps in one JVM.
        PrometheusRegistry registry = new PrometheusRegistry();
        DropwizardExports.builder()
                .dropwizardRegistry(env.metrics())
                // Dropwizard's own jvm.* gauges are left out: the client's JVM metrics below carry the same facts
                // under the conventional names (jvm_memory_used_bytes{area=...}, jvm_threads_current, ...).
                .metricFilter((MetricFilter) (name, metric) -> !name.startsWith("jvm."))
                .customLabelMapper(new PrometheusNames(env.metrics()))
                .register(registry);
        JvmMetrics.builder().register(registry);
        GenAiMetrics.of(env.metrics()).register(registry);
        env.admin().addServlet("prometheus", new PrometheusMetricsServlet(registry)).addMapping("/prometheus");
    }
}
