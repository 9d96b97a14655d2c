package dev.orchat.googleauth;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeGoogle;
import dev.orchat.testing.GoogleClient;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** docs/api.md §2.27: every bad callback ends at {@code auth_error=…}, consumes its flow and stores no token. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class GoogleCallbackAttackTest {
    static final FakeGoogle GOOGLE = FakeGoogle.start();
    static final Path DIR = TestApp.tempDir();
    static final String TOKEN = "bearer-for-tests";
    // With bearer tokens on, every Google route needs one except the callback, which the browser reaches bare.
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(null, DIR,
            GOOGLE.settings(DIR, TestApp.set("auth.tokens", TOKEN)));
    static final String INVALID = "/?auth_error=invalid_state";

    @AfterAll
    static void stop() {
        GOOGLE.close();
    }

    @AfterEach
    void nothingStored() {
        assertThat(new Db(DIR.resolve("chat.db")).query("SELECT provider FROM oauth_tokens")).isEmpty();
    }

    static GoogleClient client() {
        return new GoogleClient(APP.getLocalPort(), GOOGLE, TOKEN);
    }

    static String location(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(303);
        return r.headers().firstValue("Location").orElseThrow();
    }

    @Test
    void theCallbackIsPublicButTheOtherRoutesAreNot() throws Exception {
        GoogleClient bare = new GoogleClient(APP.getLocalPort(), GOOGLE);
        assertThat(bare.get("/api/google-auth/status").statusCode()).isEqualTo(401);
        assertThat(bare.authorize("{}").status()).isEqualTo(401);
        assertThat(bare.delete("/api/google-auth/token").statusCode()).isEqualTo(401);
        GoogleClient.Authorized a = client().authorize("{}");
        HttpResponse<String> cb = client().callback(GOOGLE.consent(a.authUrl()), a.cookie());
        assertThat(location(cb)).isEqualTo("/?auth_success=true&email=ada%40example.com");
        assertThat(client().delete("/api/google-auth/token").statusCode()).isEqualTo(204);
    }

    @Test
    void missingState() throws Exception {
        assertThat(location(client().callback("http://x/cb?code=4/abc", null))).isEqualTo(INVALID);
        assertThat(location(client().callback("http://x/cb", null))).isEqualTo(INVALID);
    }

    @Test
    void unknownState() throws Exception {
        assertThat(location(client().callback("http://x/cb?state=forged&code=4/abc", "forged"))).isEqualTo(INVALID);
    }

    @Test
    void expiredState() throws Exception {
        GoogleClient.Authorized a = client().authorize("{}");
        String redirect = GOOGLE.consent(a.authUrl());
        new Db(DIR.resolve("chat.db")).update("UPDATE oauth_flows SET expires_at = '2000-01-01T00:00:00.000Z'");
        int exchanges = GOOGLE.exchangeCount();
        assertThat(location(client().callback(redirect, a.cookie()))).isEqualTo(INVALID);
        assertThat(GOOGLE.exchangeCount()).isEqualTo(exchanges);
    }

    @Test
    void reusedStateWorksOnlyOnce() throws Exception {
        GoogleClient.Authorized a = client().authorize("{}");
        String redirect = GOOGLE.consent(a.authUrl());
        assertThat(location(client().callback(redirect.replace("code=", "code=x"), a.cookie()))).isEqualTo("/?auth_error=exchange_failed");
        // The failed attempt consumed the state: the genuine code cannot be used with it any more.
        assertThat(location(client().callback(redirect, a.cookie()))).isEqualTo(INVALID);
    }

    @Test
    void stateWithoutItsCookieOrWithAnotherBrowsersCookie() throws Exception {
        GoogleClient.Authorized a = client().authorize("{}");
        GoogleClient.Authorized other = client().authorize("{}");
        assertThat(location(client().callback(GOOGLE.consent(a.authUrl()), null))).isEqualTo(INVALID);
        assertThat(location(client().callback(GOOGLE.consent(other.authUrl()), a.cookie()))).isEqualTo(INVALID);
    }

    @Test
    void failedCodeExchange() throws Exception {
        GoogleClient.Authorized a = client().authorize("{}");
        String redirect = GOOGLE.consent(a.authUrl());
        String wrong = redirect.replaceAll("code=[^&]+", "code=4%2Fnot-issued");
        assertThat(location(client().callback(wrong, a.cookie()))).isEqualTo("/?auth_error=exchange_failed");
    }

    @Test
    void errorFromGoogleIsPassedOnAndConsumesTheFlow() throws Exception {
        GoogleClient.Authorized a = client().authorize("{}");
        String state = GOOGLE.consent(a.authUrl()).replaceAll(".*state=([^&]+).*", "$1");
        assertThat(location(client().callback("http://x/cb?error=access_denied&state=" + state, a.cookie())))
                .isEqualTo("/?auth_error=access_denied");
        assertThat(new Db(DIR.resolve("chat.db")).query("SELECT consumed_at FROM oauth_flows WHERE consumed_at IS NULL")).hasSize(0);
    }

    @Test
    void writeAccessIsRefusedWhileWriteIsDisabled() throws Exception {
        GoogleClient.Authorized a = client().authorize("{\"write\":true}");
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.body().path("detail").asText()).contains("google.enableWrite");
        assertThat(a.cookie()).isNull();
    }

    @Test
    void anOverlongErrorIsCutBeforeItIsReflected() throws Exception {
        String loc = location(client().callback("http://x/cb?error=" + "x".repeat(500), null));
        assertThat(loc).startsWith("/?auth_error=xxx").hasSizeLessThan(200);
    }

    @Test
    void flowRowsHoldOnlyAHashOfTheStateAndAnEncryptedVerifier() throws Exception {
        GoogleClient.Authorized a = client().authorize("{}");
        var rows = new Db(DIR.resolve("chat.db")).query("SELECT * FROM oauth_flows WHERE state_hash = ?", GoogleAuthFlow.sha256(a.cookie()));
        assertThat(rows).hasSize(1);
        assertThat((String) rows.get(0).get("code_verifier_enc")).startsWith("v1:");
        assertThat(rows.get(0).toString()).doesNotContain(a.cookie());
        assertThat(rows.get(0).get("redirect_uri")).isEqualTo("http://localhost:8000/api/google-auth/callback");
    }
}
