package dev.orchat.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Traces are off by default (docs/configuration.md, "Telemetry"): no exporter is built or managed, and MCP requests
 * carry no trace context.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class OtlpTracesOffTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE,
            OtlpTracesTest.withMetaServer(TestApp.tempDir()));

    @AfterAll
    static void stop() {
        FAKE.close();
    }

    @Test
    void withoutAnEndpointNoExporterIsCreatedAndMcpRequestsCarryNoTraceContext() throws Exception {
        assertThat(APP.getConfiguration().getTelemetry().tracesEndpoint()).isEmpty();
        assertThat(OtlpTracesTest.managed(APP)).noneMatch(OtlpTraces.class::isInstance);
        Map<String, JsonNode> tools = OtlpTracesTest.toolTurn(APP.getLocalPort(), FAKE, "otlp-off");
        assertThat(tools.get("call_ok").get("result").asText()).isEqualTo("42");
        assertThat(tools.get("call_meta").get("result").asText()).isEqualTo("null");
    }

    @Test
    void theEndpointIsTheCollectorsBaseUrlOrTheFullTracesUrl() throws Exception {
        assertThat(factory("{}").tracesEndpoint()).isEmpty();
        assertThat(factory("{\"otlpEndpoint\":\"  \"}").tracesEndpoint()).isEmpty();
        assertThat(factory("{\"otlpEndpoint\":\"http://collector:4318\"}").tracesEndpoint())
                .contains(URI.create("http://collector:4318/v1/traces"));
        assertThat(factory("{\"otlpEndpoint\":\"https://otel.example/otlp/\"}").tracesEndpoint())
                .contains(URI.create("https://otel.example/otlp/v1/traces"));
        assertThat(factory("{\"otlpEndpoint\":\"http://c:4318/v1/traces\"}").tracesEndpoint())
                .contains(URI.create("http://c:4318/v1/traces"));
        assertThat(factory("{\"otlpEndpoint\":\"collector:4318\"}").isOtlpEndpointValid()).isFalse();
        TelemetryFactory headers = factory("{\"otlpHeaders\":\"x-api-key=a%3Db, x-team = ops\"}");
        assertThat(headers.isOtlpHeadersValid()).isTrue();
        assertThat(headers.headers()).containsExactly(Map.entry("x-api-key", "a=b"), Map.entry("x-team", "ops"));
        assertThat(factory("{\"otlpHeaders\":[\"novalue\"]}").isOtlpHeadersValid()).isFalse();
    }

    static TelemetryFactory factory(String json) throws Exception {
        return io.dropwizard.jackson.Jackson.newObjectMapper().readValue(json, TelemetryFactory.class);
    }
}
