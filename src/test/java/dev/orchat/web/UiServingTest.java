package dev.orchat.web;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The web UI at / from {@code ui.dir}: caching, SPA fallback, security headers, API untouched (docs/architecture.md, §13.4). */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class UiServingTest {
    static final Path UI = uiFolder();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(null, TestApp.tempDir(),
            TestApp.set("ui.dir", UI.toString()), TestApp.set("auth.tokens", "secret"));
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Path uiFolder() {
        try {
            Path dir = TestApp.tempDir().resolve("ui");
            Files.createDirectories(dir.resolve("assets"));
            Files.writeString(dir.resolve("index.html"), "<!doctype html><title>orchat</title>");
            Files.writeString(dir.resolve("assets/app-1a2b3c.js"), "console.log(1)");
            Files.writeString(dir.resolve("assets/big-4d5e6f.js"), "x".repeat(300_000) + "// end");
            Files.writeString(dir.resolve("favicon.svg"), "<svg/>");
            Files.writeString(dir.getParent().resolve("secret.txt"), "outside");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + APP.getLocalPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void indexIsServedWithoutCachingAndWithSecurityHeadersAndNoToken() throws Exception {
        HttpResponse<String> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("<title>orchat</title>");
        assertThat(index.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(index.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(index.headers().firstValue("content-security-policy")).hasValueSatisfying(v -> assertThat(v)
                .contains("default-src 'self'").contains("frame-ancestors 'none'")
                .contains("connect-src 'self' https://api.deepgram.com wss://api.deepgram.com"));
        assertThat(index.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(index.headers().firstValue("referrer-policy")).hasValue("no-referrer");
    }

    @Test
    void hashedAssetsAreCachedForAYear() throws Exception {
        HttpResponse<String> asset = get("/assets/app-1a2b3c.js");
        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.body()).isEqualTo("console.log(1)");
        assertThat(asset.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
        assertThat(asset.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
        assertThat(get("/favicon.svg").headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(get("/assets/missing-000.js").statusCode()).isEqualTo(404);
    }

    /**
     * The shipped connector keeps an 8 KiB output buffer (docs/configuration.md, "Dropwizard's own blocks"); an
     * asset many times that size still arrives whole.
     */
    @Test
    void theSmallOutputBufferStillServesLargeAssetsWhole() throws Exception {
        var connector = (io.dropwizard.jetty.HttpConnectorFactory)
                ((io.dropwizard.core.server.DefaultServerFactory) APP.getConfiguration().getServerFactory())
                        .getApplicationConnectors().get(0);
        assertThat(connector.getOutputBufferSize().toBytes()).isEqualTo(8 * 1024);
        HttpResponse<String> big = get("/assets/big-4d5e6f.js");
        assertThat(big.statusCode()).isEqualTo(200);
        assertThat(big.body()).hasSize(300_000 + "// end".length()).endsWith("// end");
    }

    @Test
    void clientRoutesFallBackToIndexButApiAndHealthDoNot() throws Exception {
        HttpResponse<String> route = get("/session/abc");
        assertThat(route.statusCode()).isEqualTo(200);
        assertThat(route.body()).contains("<title>orchat</title>");
        assertThat(get("/api/nothing-here").statusCode()).isEqualTo(401);
        assertThat(get("/api/chat/sessions").statusCode()).isEqualTo(401);
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\"");
    }

    @Test
    void pathsCannotEscapeTheUiFolder() throws Exception {
        HttpResponse<String> escape = get("/%2e%2e/secret.txt");
        assertThat(escape.body()).doesNotContain("outside");
        assertThat(UiFilter.isUiPath("/api/x")).isFalse();
        assertThat(UiFilter.isUiPath("/apixyz")).isTrue();
        assertThat(UiAssets.directory(UI).read("../secret.txt")).isEmpty();
        assertThat(UiAssets.directory(UI).read("assets/../index.html")).isEmpty();
    }
}
