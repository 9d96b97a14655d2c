package dev.orchat.telemetry;

import io.dropwizard.lifecycle.Managed;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP trace pipeline (docs/operations.md, "Traces"): the OpenTelemetry SDK's tracer provider with a batch
 * processor and the OTLP/HTTP (protobuf) exporter, which sends through the JDK's {@code HttpClient}. Exists only
 * when {@code telemetry.otlpEndpoint} is set. The batch processor owns a thread, so everything is built in
 * {@link #start} and shut down in {@link #stop}, which flushes the spans not yet sent.
 */
final class OtlpTraces implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpTraces.class);
    static final String SCOPE = "dev.orchat";

    /** What {@link TelemetryFactory} decided; the endpoint is the full {@code …/v1/traces} URL. */
    record Settings(URI endpoint, Map<String, String> headers, String serviceName, String serviceVersion,
                    Duration exportInterval, Duration exportTimeout) {
    }

    private final GenAiMetrics genAi;
    private final Settings settings;
    private SdkTracerProvider provider;
    private GenAiTraces traces;

    OtlpTraces(GenAiMetrics genAi, Settings settings) {
        this.genAi = genAi;
        this.settings = settings;
    }

    @Override
    public void start() {
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(settings.endpoint().toString())
                .setTimeout(settings.exportTimeout());
        settings.headers().forEach(exporter::addHeader);
        provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), settings.serviceName(),
                        AttributeKey.stringKey("service.version"), settings.serviceVersion()))))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter.build())
                        .setScheduleDelay(settings.exportInterval())
                        .setExporterTimeout(settings.exportTimeout())
                        .build())
                .build();
        traces = new GenAiTraces(provider.get(SCOPE, settings.serviceVersion()));
        genAi.useTraces(traces);
        // The endpoint only: headers may carry a collector's API key.
        LOG.info("OTLP traces go to {}", settings.endpoint());
    }

    @Override
    public void stop() {
        genAi.useTraces(null);
        if (traces != null) {
            traces.endOpenTurns(); // a turn still open here was cut off by the shutdown; its span says so
        }
        if (provider != null) {
            // shutdown() flushes what the batch processor holds, then stops its thread and the exporter.
            if (!provider.shutdown().join(settings.exportTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)
                    .isSuccess()) {
                LOG.warn("OTLP traces: the last spans could not be sent to {}", settings.endpoint());
            }
        }
    }
}
