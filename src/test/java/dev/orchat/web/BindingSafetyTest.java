package dev.orchat.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orchat.OrchatConfiguration;
import io.dropwizard.jackson.Jackson;
import org.junit.jupiter.api.Test;

/** Without tokens the service refuses a non-loopback bind before anything listens (docs/api.md §1.1). */
class BindingSafetyTest {
    static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());

    static OrchatConfiguration config(String yaml) throws Exception {
        return YAML.readValue(yaml, OrchatConfiguration.class);
    }

    static String server(String appHost, String adminHost) {
        return "server:\n  applicationConnectors:\n    - type: http\n      bindHost: " + appHost + "\n      port: 8000\n"
                + "  adminConnectors:\n    - type: http\n      bindHost: " + adminHost + "\n      port: 8081\n";
    }

    @Test
    void loopbackOnlyStartsWithoutTokens() throws Exception {
        assertThatCode(() -> check(config(server("127.0.0.1", "localhost")))).doesNotThrowAnyException();
        assertThatCode(() -> check(config(server("\"::1\"", "127.0.0.1")))).doesNotThrowAnyException();
    }

    @Test
    void nonLoopbackWithoutTokensRefusesWithAClearMessage() throws Exception {
        assertThatThrownBy(() -> check(config(server("0.0.0.0", "127.0.0.1"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Refusing to start")
                .hasMessageContaining("0.0.0.0:8000")
                .hasMessageContaining("AUTH_TOKENS");
        assertThatThrownBy(() -> check(config("server:\n  type: default\n")))
                .hasMessageContaining("*:8080");
    }

    @Test
    void tokensOrAnExplicitOptOutAllowNonLoopback() throws Exception {
        assertThatCode(() -> check(config(server("0.0.0.0", "0.0.0.0") + "auth:\n  tokens: a,b\n")))
                .doesNotThrowAnyException();
        assertThatCode(() -> check(config(server("0.0.0.0", "127.0.0.1")
                + "auth:\n  allowUnauthenticatedNonLoopback: true\n"))).doesNotThrowAnyException();
        assertThat(BindingSafety.isLoopback("127.0.0.2")).isTrue();
        assertThat(BindingSafety.isLoopback("10.0.0.1")).isFalse();
        assertThat(BindingSafety.isLoopback(null)).isFalse();
    }

    private static void check(dev.orchat.OrchatConfiguration config) {
        WebWiring.checkBinding(config.getServerFactory(), config.getAuth());
    }
}
