package dev.orchat.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.builtin.CalculatorServer;
import dev.orchat.mcp.config.McpConfigFile;
import dev.orchat.testing.TestApp;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link McpSupervisor#setEnablement}: several servers at once, one atomic write, only changed servers restart. */
class McpEnablementTest {
    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();
    private Path file;
    private McpSupervisor supervisor;
    private ServerToolRegistry registry;

    @BeforeEach
    void start() {
        file = TestApp.tempDir().resolve("mcp_servers.json");
        registry = new ServerToolRegistry(List.of(), MAPPER, new MetricRegistry());
        Map<String, Function<String, ToolServer>> builtins = Map.of("calculator", CalculatorServer::new);
        supervisor = new McpSupervisor(new McpFactory(), new McpConfigFile(file, MAPPER, Clock.systemUTC()), builtins,
                registry, s -> s, MAPPER, new MetricRegistry(), new HealthCheckRegistry(), h -> h, Clock.systemUTC(),
                Duration.ofSeconds(5));
        supervisor.start();
    }

    @AfterEach
    void stop() {
        supervisor.stop();
    }

    @Test
    void changesOnlyTheNamedServersAndRestartsOnlyWhereEnabledChanged() throws Exception {
        assertThat(supervisor.enablement()).extracting(ServerEnablement::id)
                .containsExactly("local-calculator", "housekeeping", "custom-pdf", "custom-gmail", "custom-gdrive", "custom-calendar");
        McpRuntime pdfBefore = supervisor.runtime("custom-pdf");
        assertThat(registry.toolDefinitions()).isNotEmpty();

        supervisor.setEnablement(List.of(new ServerEnablement("local-calculator", false, List.of()),
                new ServerEnablement("custom-pdf", true, List.of("extract_text")),
                new ServerEnablement("ghost", false, List.of())));

        assertThat(supervisor.runtime("local-calculator").state()).isEqualTo("disabled");
        assertThat(registry.toolDefinitions()).as("the calculator's tool is gone").isEmpty();
        assertThat(supervisor.runtime("custom-pdf")).as("enabled unchanged: not restarted").isSameAs(pdfBefore);
        assertThat(supervisor.runtime("custom-pdf").config().disabledTools()).containsExactly("extract_text");
        assertThat(supervisor.runtime("ghost")).isNull();
        JsonNode onDisk = MAPPER.readTree(file.toFile()).get("servers");
        assertThat(onDisk.get(0).get("enabled").asBoolean()).isFalse();
        assertThat(onDisk.get(2).get("disabled_tools").toString()).isEqualTo("[\"extract_text\"]");
        assertThat(onDisk.size()).isEqualTo(6);

        supervisor.setEnablement(List.of(new ServerEnablement("local-calculator", true, List.of())));
        assertThat(supervisor.runtime("local-calculator").state()).isEqualTo("connected");
        assertThat(registry.toolDefinitions()).isNotEmpty();
    }

    @Test
    void aFailedWriteChangesNothing() throws Exception {
        Files.delete(file);
        Files.createDirectories(file.resolve("blocker"));
        assertThatThrownBy(() -> supervisor.setEnablement(List.of(new ServerEnablement("local-calculator", false, List.of()))))
                .isInstanceOf(IOException.class);
        assertThat(supervisor.runtime("local-calculator").state()).isEqualTo("connected");
        assertThat(supervisor.runtime("local-calculator").config().enabled()).isTrue();
        assertThat(registry.toolDefinitions()).isNotEmpty();
    }

    @Test
    void noChangeMeansNoWrite() throws Exception {
        Files.delete(file);
        supervisor.setEnablement(List.of(new ServerEnablement("local-calculator", true, List.of())));
        assertThat(file).doesNotExist();
    }
}
