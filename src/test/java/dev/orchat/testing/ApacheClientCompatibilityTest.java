package dev.orchat.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The production client is Jersey on Apache HttpClient 5, so the fake must satisfy its pooling. */
class ApacheClientCompatibilityTest {

    private static final String BODY = "{\"model\":\"openai/gpt-4o-mini\",\"stream\":true,\"messages\":[]}";

    private FakeOpenRouter fake;
    private PoolingHttpClientConnectionManager pool;
    private CloseableHttpClient client;

    @BeforeEach
    void setUp() {
        fake = FakeOpenRouter.start();
        pool = new PoolingHttpClientConnectionManager();
        // HttpClient 5 retries 429/503 honouring Retry-After by default, which would silently
        // consume the next enqueued script; the backend's client is expected to disable that too.
        client = HttpClients.custom().setConnectionManager(pool).disableAutomaticRetries().build();
    }

    @AfterEach
    void tearDown() throws IOException {
        client.close();
        fake.close();
    }

    @Test
    void pooledConnectionIsReusedAcrossStreamsAndErrors() throws Exception {
        fake.enqueue(Scripts.text("a"), Scripts.rateLimited(3), Scripts.endWithoutDone("b"), Scripts.text("c"));
        for (String expected : new String[] {"[DONE]", "Rate limit", "\"b\"", "[DONE]"}) {
            try (CloseableHttpResponse response = client.execute(post())) {
                assertThat(EntityUtils.toString(response.getEntity())).contains(expected);
            }
        }
        assertThat(fake.acceptedConnections()).isEqualTo(1);
        assertThat(fake.completedStreams()).isEqualTo(4);
    }

    @Test
    void cancellingAStalledRequestIsSeenAsCancellation() throws Exception {
        fake.enqueue(Scripts.stallAfter("Hel"));
        HttpPost post = post();
        CloseableHttpResponse response = client.execute(post);
        InputStream in = response.getEntity().getContent();
        assertThat(in.read(new byte[16])).isPositive();
        // Closing the response would try to drain the endless body; cancel() shuts the socket down.
        post.cancel();
        assertThat(fake.awaitCancelled(1, Duration.ofSeconds(1))).isTrue();
        assertThat(fake.openStreams()).isZero();
    }

    @Test
    void droppedStreamSurfacesAsIoError() throws Exception {
        fake.enqueue(Scripts.dropAfter("Hel"));
        assertThatThrownBy(() -> {
            try (CloseableHttpResponse response = client.execute(post())) {
                EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("Premature end of chunk");
    }

    private HttpPost post() {
        HttpPost post = new HttpPost(fake.baseUrl() + "/chat/completions");
        post.setEntity(new StringEntity(BODY, ContentType.APPLICATION_JSON));
        return post;
    }
}
