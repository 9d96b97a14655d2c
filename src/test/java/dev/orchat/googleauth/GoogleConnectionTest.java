package dev.orchat.googleauth;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.db.Migrations;
import dev.orchat.testing.FakeGoogle;
import dev.orchat.testing.TestApp;
import jakarta.ws.rs.client.Client;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.glassfish.jersey.client.JerseyClientBuilder;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Token storage across "instances" (docs/api.md §2.27): two connections over one database file, each with its own
 * in-process lock, as two service processes would have; and key rotation of stored values.
 */
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class GoogleConnectionTest {
    static final FakeGoogle GOOGLE = FakeGoogle.start();
    static final byte[] OLD = "old-key-old-key-old-key-old-key!".getBytes(StandardCharsets.US_ASCII);
    static final byte[] NEW = "new-key-new-key-new-key-new-key!".getBytes(StandardCharsets.US_ASCII);
    static final Client HTTP = JerseyClientBuilder.createClient();
    static final String SCOPE = "openid email https://www.googleapis.com/auth/gmail.readonly";
    Jdbi jdbi;
    GoogleTokenStore store;

    @AfterAll
    static void stop() {
        GOOGLE.close();
        HTTP.close();
    }

    @BeforeEach
    void database() throws Exception {
        javax.sql.DataSource ds = dev.orchat.testing.TestDatabase.dataSource(TestApp.tempDir());
        Migrations.apply(ds);
        jdbi = Jdbi.create(ds);
        store = new GoogleTokenStore(jdbi, Clock.systemUTC());
        GOOGLE.setRefreshDelayMillis(0);
        GOOGLE.setRotateRefreshTokens(true);
        GOOGLE.setAccessTtlSeconds(3600);
    }

    GoogleConnection connection(TokenCipher cipher) {
        GoogleFactory config = new GoogleFactory();
        TestApp.Setting[] settings = GOOGLE.settings(TestApp.tempDir());
        set(config, "tokenUrl", value(settings, "google.tokenUrl"));
        set(config, "revokeUrl", value(settings, "google.revokeUrl"));
        OAuthClient oauth = new OAuthClient(HTTP, config, new ClientSecrets(FakeGoogle.CLIENT_ID, FakeGoogle.CLIENT_SECRET), new ObjectMapper());
        return new GoogleConnection(Optional.empty(), cipher, store, oauth, config, Clock.systemUTC(), new MetricRegistry());
    }

    static String value(TestApp.Setting[] settings, String key) {
        for (TestApp.Setting s : settings) {
            if (s.key().equals(key)) {
                return s.value();
            }
        }
        throw new IllegalArgumentException(key);
    }

    static void set(Object target, String field, String value) {
        try {
            var f = GoogleFactory.class.getDeclaredField(field);
            f.setAccessible(true);
            f.set(target, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    void seed(TokenCipher cipher, Instant accessExpires) {
        store.replaceToken(FakeGoogle.EMAIL, FakeGoogle.SUBJECT, SCOPE, cipher.encrypt("ya29.expiring"),
                cipher.encrypt(GOOGLE.issueRefreshToken(SCOPE)), accessExpires);
    }

    @Test
    void twoInstancesRefreshingAtOnceEndWithOneStoredTokenAndNeitherLosesTheAccount() throws Exception {
        TokenCipher cipher = new TokenCipher(NEW, List.of());
        seed(cipher, Instant.now().plusSeconds(30));
        GoogleConnection a = connection(cipher);
        GoogleConnection b = connection(cipher);
        GOOGLE.setRefreshDelayMillis(300); // both refreshes are in flight together
        var pool = Executors.newFixedThreadPool(2);
        CompletableFuture<String> ta = CompletableFuture.supplyAsync(() -> token(a), pool);
        CompletableFuture<String> tb = CompletableFuture.supplyAsync(() -> token(b), pool);
        String first = ta.get();
        String second = tb.get();
        pool.shutdown();
        GoogleTokenStore.TokenRow row = store.token().orElseThrow();
        assertThat(row.status()).isEqualTo("valid");
        assertThat(cipher.decrypt(row.accessEnc())).isEqualTo(first).isEqualTo(second);
        assertThat(row.version()).isEqualTo(1);
        // The stored refresh token is the one Google still honours after its rotation.
        assertThat(GOOGLE.issuedRefreshTokens()).contains(cipher.decrypt(row.refreshEnc()));
    }

    @Test
    void aStaleVersionCannotOverwriteANewerRow() {
        TokenCipher cipher = new TokenCipher(NEW, List.of());
        seed(cipher, Instant.now().plusSeconds(3600));
        int v = store.token().orElseThrow().version();
        assertThat(store.updateIfVersion(v, SCOPE, cipher.encrypt("one"), cipher.encrypt("r1"), Instant.now())).isTrue();
        assertThat(store.updateIfVersion(v, SCOPE, cipher.encrypt("two"), cipher.encrypt("r2"), Instant.now())).isFalse();
    }

    @Test
    void valuesUnderAPreviousKeyAreReadAndRewrittenUnderTheCurrentKey() throws Exception {
        seed(new TokenCipher(OLD, List.of()), Instant.now().plusSeconds(3600));
        int refreshes = GOOGLE.refreshCount();
        TokenCipher rotated = new TokenCipher(NEW, List.of(OLD));
        assertThat(connection(rotated).accessToken()).isEqualTo("ya29.expiring");
        GoogleTokenStore.TokenRow row = store.token().orElseThrow();
        assertThat(row.accessEnc()).startsWith("v1:" + TokenCipher.keyId(NEW) + ":");
        assertThat(row.refreshEnc()).startsWith("v1:" + TokenCipher.keyId(NEW) + ":");
        assertThat(GOOGLE.refreshCount()).as("re-encryption needs no refresh").isEqualTo(refreshes);
    }

    @Test
    void aTokenUnderAnUnknownKeyMeansReconnect() {
        seed(new TokenCipher(OLD, List.of()), Instant.now().plusSeconds(3600));
        GoogleConnection withoutOldKey = connection(new TokenCipher(NEW, List.of()));
        org.assertj.core.api.Assertions.assertThatThrownBy(withoutOldKey::accessToken)
                .isInstanceOf(GoogleConnection.NotConnected.class).hasMessage(GoogleConnection.RECONNECT);
        assertThat(store.token().orElseThrow().status()).isEqualTo("needs_reauth");
        assertThat(withoutOldKey.status().needsReauth()).isTrue();
    }

    static String token(GoogleConnection c) {
        try {
            return c.accessToken();
        } catch (GoogleConnection.NotConnected e) {
            throw new AssertionError(e.getMessage());
        }
    }
}
