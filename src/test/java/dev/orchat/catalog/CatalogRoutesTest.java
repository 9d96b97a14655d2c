package dev.orchat.catalog;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.CatalogFixture;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The catalogue routes end to end (docs/api.md §2.16, §12.3) on the fixture served by the fake upstream. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class CatalogRoutesTest {
    static final FakeOpenRouter FAKE = FakeOpenRouter.start();
    static final FakeOpenRouter FAILING = FakeOpenRouter.start();
    static final FakeOpenRouter GENERIC = FakeOpenRouter.start();

    static {
        FAKE.setModelsJson(CatalogFixture.json());
        FAILING.setModelsJson(CatalogFixture.json());
        GENERIC.setModelsJson("{\"object\":\"list\",\"data\":[{\"id\":\"llama3:8b\",\"object\":\"model\",\"created\":1,"
                + "\"owned_by\":\"library\"}]}");
    }

    // Overrides are JVM-wide system properties while the apps start, so each app sets the TTL itself.
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(FAKE, TestApp.tempDir(),
            TestApp.set("models.cacheTtl", "60s"));
    /** TTL zero: every request refreshes, so a failing upstream shows the stale path. */
    static final DropwizardAppExtension<OrchatConfiguration> NO_TTL = TestApp.create(FAILING, TestApp.tempDir(),
            TestApp.set("models.cacheTtl", "0s"));
    static final DropwizardAppExtension<OrchatConfiguration> UNREACHABLE = TestApp.create(null, TestApp.tempDir(),
            TestApp.set("models.cacheTtl", "60s"));
    static final DropwizardAppExtension<OrchatConfiguration> GENERIC_APP = TestApp.create(GENERIC, TestApp.tempDir(),
            TestApp.set("openrouter.flavor", "generic"), TestApp.set("models.cacheTtl", "60s"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @AfterAll
    static void stopFakes() {
        FAKE.close();
        FAILING.close();
        GENERIC.close();
    }

    static HttpResponse<String> get(DropwizardAppExtension<OrchatConfiguration> app, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getLocalPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void filtersSearchAndToolsOnlyWithCounts() throws Exception {
        String filter = "{\"pricing.prompt\": {\"max\": 0.000001}, \"input_modalities\": [\"image\"]}";
        HttpResponse<String> response = get(APP, "/api/models?tools_only=true&search=" + q("gpt") + "&filters=" + q(filter));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        ModelFilter parsed = ModelFilter.parse(filter, JSON);
        ModelSearch search = ModelSearch.parse("gpt");
        int tools = 0;
        int expected = 0;
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < CatalogFixtures.SNAPSHOT.models().size(); i++) {
            JsonNode m = CatalogFixtures.SNAPSHOT.models().get(i);
            if (m.get("supports_tools").booleanValue()) {
                tools++;
                if (search.matches(CatalogFixtures.SNAPSHOT.leafText(i)) && parsed.matches(m)) {
                    expected++;
                    ids.add(m.get("id").asText());
                }
            }
        }
        assertThat(body.get("metadata").get("total").asInt()).isEqualTo(557);
        assertThat(body.get("metadata").get("base_count").asInt()).isEqualTo(tools).isLessThan(557);
        assertThat(body.get("metadata").get("count").asInt()).isEqualTo(expected).isPositive();
        assertThat(body.get("data").size()).isEqualTo(expected);
        java.util.List<String> returned = new java.util.ArrayList<>();
        body.get("data").forEach(m -> returned.add(m.get("id").asText()));
        assertThat(returned).isEqualTo(ids);
        for (JsonNode m : body.get("data")) {
            assertThat(m.get("supports_tools").asBoolean()).isTrue();
            assertThat(m.get("prompt_price_per_million").asDouble()).isLessThanOrEqualTo(1.0);
        }
        assertThat(response.headers().firstValue("X-Catalog-Stale")).isEmpty();
    }

    @Test
    void trailingSlashAndNoParameters() throws Exception {
        HttpResponse<String> response = get(APP, "/api/models/");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("data").size()).isEqualTo(557);
        assertThat(body.get("metadata").get("count").asInt()).isEqualTo(557);
    }

    @Test
    void malformedParametersAre400WithDetail() throws Exception {
        HttpResponse<String> bad = get(APP, "/api/models?filters=" + q("{\"a\":"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("detail").asText()).startsWith("Invalid filters parameter: ");
        HttpResponse<String> list = get(APP, "/api/models?filters=" + q("[1]"));
        assertThat(list.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(list.body()).get("detail").asText()).isEqualTo("Filters parameter must be a JSON object.");
        HttpResponse<String> flag = get(APP, "/api/models?tools_only=maybe");
        assertThat(flag.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(flag.body()).has("detail")).isTrue();
    }

    @Test
    void metadataRoute() throws Exception {
        HttpResponse<String> response = get(APP, "/api/models/metadata");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("total").asInt()).isEqualTo(557);
        assertThat(body.get("facets").get("input_modalities").toString()).isEqualTo("[\"audio\",\"file\",\"image\",\"text\"]");
        assertThat(body.get("properties").size()).isGreaterThan(30);
    }

    @Test
    void failingRefreshServesStaleWithHeader() throws Exception {
        assertThat(get(NO_TTL, "/api/models").statusCode()).isEqualTo(200);
        FAILING.setModelsStatus(502);
        try {
            HttpResponse<String> stale = get(NO_TTL, "/api/models?search=claude");
            assertThat(stale.statusCode()).isEqualTo(200);
            assertThat(stale.headers().firstValue("X-Catalog-Stale")).contains("true");
            assertThat(JSON.readTree(stale.body()).get("metadata").get("count").asInt()).isPositive();
            HttpResponse<String> meta = get(NO_TTL, "/api/models/metadata");
            assertThat(meta.headers().firstValue("X-Catalog-Stale")).contains("true");
        } finally {
            FAILING.setModelsStatus(200);
        }
    }

    @Test
    void unreachableUpstreamWithoutCopyIs502() throws Exception {
        HttpResponse<String> response = get(UNREACHABLE, "/api/models");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(response.body()).get("detail").asText()).startsWith("Upstream connection failed");
        HttpResponse<String> filterFirst = get(UNREACHABLE, "/api/models?filters=" + q("nope"));
        assertThat(filterFirst.statusCode()).as("a bad filter is the client's error whatever the upstream").isEqualTo(400);
    }

    @Test
    void genericUpstreamModelsAreUnknownNotUnsupported() throws Exception {
        JsonNode body = JSON.readTree(get(GENERIC_APP, "/api/models").body());
        JsonNode model = body.get("data").get(0);
        assertThat(model.get("owned_by").asText()).isEqualTo("library");
        assertThat(model.get("supports_tools").asBoolean()).isFalse();
        assertThat(model.get("input_modalities").size()).isZero();
        assertThat(body.get("object").asText()).isEqualTo("list");
        JsonNode routing = JSON.readTree(get(GENERIC_APP, "/api/settings/model/active-provider").body());
        assertThat(routing.get("provider").asText()).isEqualTo("OpenAI-compatible server");
        assertThat(routing.get("note").asText()).isEqualTo("Provider routing is not available for this upstream");
    }

    @Test
    void modelsRefreshTaskRefetches() throws Exception {
        get(APP, "/api/models");
        int before = FAKE.modelsRequestCount();
        HttpResponse<String> task = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort()
                + "/tasks/models-refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(task.statusCode()).isEqualTo(200);
        assertThat(task.body().strip()).isEqualTo("models=557");
        assertThat(FAKE.modelsRequestCount()).isEqualTo(before + 1);
        JsonNode metrics = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(metrics.get("meters").get("models.catalog.refreshes").get("count").asInt()).isGreaterThanOrEqualTo(2);
    }
}
