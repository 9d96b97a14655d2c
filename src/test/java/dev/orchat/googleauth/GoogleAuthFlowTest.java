package dev.orchat.googleauth;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.Db;
import dev.orchat.testing.FakeGoogle;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.GoogleClient;
import dev.orchat.testing.Scripts;
import dev.orchat.testing.SseClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.ToolCallSpec;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The browser-less OAuth flow against the fake Google (docs/api.md §2.27), and the Gmail built-in's states (§7.4). */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class GoogleAuthFlowTest {
    static final FakeOpenRouter OPENROUTER = FakeOpenRouter.start();
    static final FakeGoogle GOOGLE = FakeGoogle.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(OPENROUTER, DIR,
            GOOGLE.settings(DIR, TestApp.set("frontendUrl", "http://localhost:5173/settings"),
                    TestApp.set("google.enableWrite", "true"), TestApp.set("chat.toolParallelism", "20")));

    @AfterAll
    static void stop() {
        OPENROUTER.close();
        GOOGLE.close();
    }

    @AfterEach
    void disconnect() throws Exception {
        client().delete("/api/google-auth/token");
        GOOGLE.setAccessTtlSeconds(3600);
        GOOGLE.setInvalidGrant(false);
        GOOGLE.setRefreshDelayMillis(0);
        GOOGLE.setGrantedScope(null);
    }

    static GoogleClient client() {
        return new GoogleClient(APP.getLocalPort(), GOOGLE);
    }

    static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void fullFlowStoresOnlyCiphertextAndConnectsGmailWithReadTools() throws Exception {
        GoogleClient c = client();
        JsonNode before = c.server("custom-gmail");
        assertThat(before.path("state").asText()).isEqualTo("needs_auth");
        assertThat(before.path("tools")).isEmpty();
        assertThat(c.getJson("/api/google-auth/status").path("authorized").asBoolean()).isFalse();

        GoogleClient.Authorized a = c.authorize("{\"user_email\":\"ada@example.com\"}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().path("expires_at").asText()).endsWith("Z");
        Map<String, String> q = query(a.authUrl());
        assertThat(a.authUrl()).startsWith(GOOGLE.baseUrl() + "/o/oauth2/v2/auth?");
        assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", FakeGoogle.CLIENT_ID)
                .containsEntry("redirect_uri", "http://localhost:8000/api/google-auth/callback")
                .containsEntry("code_challenge_method", "S256").containsEntry("access_type", "offline")
                .containsEntry("prompt", "consent").containsEntry("include_granted_scopes", "true")
                .containsEntry("login_hint", "ada@example.com").containsEntry("state", a.cookie());
        assertThat(q.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(q.get("state")).matches("[A-Za-z0-9_-]{43}");
        assertThat(q.get("scope").split(" ")).containsExactly("openid", "email",
                "https://www.googleapis.com/auth/gmail.readonly", "https://www.googleapis.com/auth/drive.readonly",
                "https://www.googleapis.com/auth/calendar.readonly", "https://www.googleapis.com/auth/tasks.readonly");

        String redirect = GOOGLE.consent(a.authUrl());
        String code = query(redirect).get("code");
        HttpResponse<String> cb = c.callback(redirect, a.cookie());
        assertThat(cb.statusCode()).isEqualTo(303);
        assertThat(cb.headers().firstValue("Location")).hasValue(
                "http://localhost:5173/settings?auth_success=true&email=ada%40example.com");
        assertThat(cb.headers().allValues("Set-Cookie")).anyMatch(v -> v.startsWith("google_oauth_state=;") && v.contains("Max-Age=0"));

        Db db = new Db(DIR.resolve("chat.db"));
        Map<String, Object> row = db.query("SELECT * FROM oauth_tokens").get(0);
        assertThat(row.get("account_email")).isEqualTo(FakeGoogle.EMAIL);
        assertThat(row.get("account_subject")).isEqualTo(FakeGoogle.SUBJECT);
        assertThat((String) row.get("access_token_enc")).startsWith("v1:" + TokenCipher.keyId(Arrays.copyOf(
                java.util.Base64.getDecoder().decode(FakeGoogle.KEY), 32)) + ":");
        assertThat((String) row.get("refresh_token_enc")).startsWith("v1:");
        assertThat(row.get("status")).isEqualTo("valid");
        // No secret in plaintext anywhere in the database file (WAL included).
        List<String> secrets = new java.util.ArrayList<>(GOOGLE.issuedAccessTokens());
        secrets.addAll(GOOGLE.issuedRefreshTokens());
        secrets.addAll(List.of(FakeGoogle.CLIENT_SECRET, code, a.cookie()));
        assertNoPlaintext(secrets);

        JsonNode status = c.getJson("/api/google-auth/status");
        assertThat(status.path("authorized").asBoolean()).isTrue();
        assertThat(status.path("email").asText()).isEqualTo(FakeGoogle.EMAIL);
        assertThat(status.path("scopes")).hasSize(6);
        assertThat(status.path("write_enabled").asBoolean()).isTrue();
        assertThat(status.path("needs_reauth").asBoolean()).isFalse();
        assertThat(status.path("expires_at").asText()).endsWith("Z");
        assertThat(c.getJson("/api/google-auth/status/ada@example.com").path("authorized").asBoolean()).isTrue();
        assertThat(c.getJson("/api/google-auth/status/eve@example.com").toString()).isEqualTo("{\"authorized\":false}");

        JsonNode gmail = c.server("custom-gmail");
        assertThat(gmail.path("state").asText()).isEqualTo("connected");
        assertThat(GoogleClient.toolNames(gmail)).containsExactlyInAnyOrder("gmail_auth_status", "search_gmail_messages",
                "get_gmail_message_content", "get_gmail_thread_content", "read_gmail_attachment_text", "list_gmail_labels");
        assertThat(GoogleClient.withheld(gmail)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "draft_gmail_message", "needs_write_access", "modify_gmail_message_labels", "needs_write_access",
                "send_gmail_message", "send_disabled"));
        assertThat(gmail.path("tool_count").asInt()).isEqualTo(6);
        // Write is enabled in configuration but was not requested: no write tool anywhere.
        assertThat(GoogleClient.toolNames(c.server("custom-calendar"))).containsExactlyInAnyOrder("calendar_auth_status",
                "calendar_list_calendars", "calendar_get_events", "calendar_list_task_lists", "calendar_list_tasks");
    }

    @Test
    void writeConsentAddsWriteScopesAndWriteToolsButNotSendWithoutAllowSend() throws Exception {
        GoogleClient c = client();
        GoogleClient.Authorized a = c.authorize("{\"write\":true}");
        assertThat(query(a.authUrl()).get("scope")).contains("https://www.googleapis.com/auth/gmail.compose",
                "https://www.googleapis.com/auth/gmail.modify", "https://www.googleapis.com/auth/calendar.events")
                .doesNotContain("gmail.send");
        c.callback(GOOGLE.consent(a.authUrl()), a.cookie());
        assertThat(GoogleClient.toolNames(c.server("custom-gmail"))).contains("draft_gmail_message", "modify_gmail_message_labels")
                .doesNotContain("send_gmail_message");
        assertThat(GoogleClient.withheld(c.server("custom-gmail"))).containsExactly(Map.entry("send_gmail_message", "send_disabled"));
    }

    @Test
    void ungrantedScopesHideTheirTools() throws Exception {
        GOOGLE.setGrantedScope("openid email https://www.googleapis.com/auth/drive.readonly");
        client().connect(false);
        JsonNode gmail = client().server("custom-gmail");
        // Connected (a usable token exists) but Gmail was not granted: nothing of Gmail is exposed.
        assertThat(gmail.path("state").asText()).isEqualTo("connected");
        assertThat(gmail.path("tools")).isEmpty();
    }

    @Test
    void disconnectRevokesAtGoogleDeletesTheRowAndReturnsGmailToNeedsAuth() throws Exception {
        GoogleClient c = client();
        java.util.Set<String> earlier = GOOGLE.issuedRefreshTokens();
        c.connect(false);
        String refresh = GOOGLE.issuedRefreshTokens().stream().filter(t -> !earlier.contains(t)).findFirst().orElseThrow();
        HttpResponse<String> r = c.delete("/api/google-auth/token");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(GOOGLE.revokedTokens()).contains(refresh);
        assertThat(new Db(DIR.resolve("chat.db")).query("SELECT * FROM oauth_tokens")).isEmpty();
        assertThat(c.server("custom-gmail").path("state").asText()).isEqualTo("needs_auth");
        assertThat(c.delete("/api/google-auth/token").statusCode()).isEqualTo(204);
    }

    @Test
    void twentyConcurrentToolCallsWithAnExpiringTokenCauseExactlyOneRefresh() throws Exception {
        GOOGLE.setAccessTtlSeconds(120); // under the 5-minute margin: the first use must refresh
        client().connect(false);
        GOOGLE.setAccessTtlSeconds(3600);
        GOOGLE.setRefreshDelayMillis(300); // keeps the refresh in flight while the other calls arrive
        int before = GOOGLE.refreshCount();
        java.util.Set<String> tokensBefore = GOOGLE.issuedRefreshTokens();
        ToolCallSpec[] calls = new ToolCallSpec[20];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = new ToolCallSpec("call_" + i, "list_gmail_labels", "{}");
        }
        OPENROUTER.enqueue(Scripts.toolCalls(calls), Scripts.text("done"));
        List<SseClient.Received> events;
        try (SseClient.Stream s = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"google-refresh\",\"messages\":[{\"role\":\"user\",\"content\":\"labels x20\"}]}")) {
            events = s.readAll();
        }
        List<JsonNode> done = events.stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json)
                .filter(t -> !t.path("status").asText().equals("started")).toList();
        assertThat(done).hasSize(20).allSatisfy(t -> {
            assertThat(t.path("status").asText()).isEqualTo("finished");
            assertThat(t.path("result").asText()).contains("Receipts (id: Label_42)");
        });
        assertThat(GOOGLE.refreshCount() - before).isEqualTo(1);
        java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        JsonNode meters = new com.fasterxml.jackson.databind.ObjectMapper().readTree(metrics.body()).path("meters");
        assertThat(meters.path("google.token.refreshes").path("count").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(meters.has("google.token.refresh_failures")).isTrue();
        // The rotated refresh token replaced the old one, and the stored one is the new one.
        java.util.Set<String> added = new java.util.HashSet<>(GOOGLE.issuedRefreshTokens());
        added.removeAll(tokensBefore);
        assertThat(added).hasSize(1);
        TokenCipher cipher = new TokenCipher(java.util.Base64.getDecoder().decode(FakeGoogle.KEY), List.of());
        String stored = (String) new Db(DIR.resolve("chat.db")).query("SELECT refresh_token_enc FROM oauth_tokens").get(0).get("refresh_token_enc");
        assertThat(cipher.decrypt(stored)).isEqualTo(added.iterator().next());
        assertNoPlaintext(GOOGLE.issuedRefreshTokens().stream().toList());
    }

    @Test
    void invalidGrantOnRefreshMovesToNeedsReauthAndGmailToNeedsAuth() throws Exception {
        GOOGLE.setAccessTtlSeconds(60);
        client().connect(false);
        GOOGLE.setInvalidGrant(true);
        OPENROUTER.enqueue(Scripts.toolCalls(new ToolCallSpec("call_x", "list_gmail_labels", "{}")), Scripts.text("ok"));
        List<SseClient.Received> events;
        try (SseClient.Stream s = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"google-reauth\",\"messages\":[{\"role\":\"user\",\"content\":\"labels\"}]}")) {
            events = s.readAll();
        }
        JsonNode result = events.stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json)
                .filter(t -> t.path("status").asText().equals("error")).findFirst().orElseThrow();
        assertThat(result.path("result").asText()).isEqualTo("Google access expired; reconnect Google in Settings");
        JsonNode status = client().getJson("/api/google-auth/status");
        assertThat(status.path("authorized").asBoolean()).isFalse();
        assertThat(status.path("needs_reauth").asBoolean()).isTrue();
        assertThat(status.path("email").asText()).isEqualTo(FakeGoogle.EMAIL);
        Map<String, Object> row = new Db(DIR.resolve("chat.db")).query("SELECT * FROM oauth_tokens").get(0);
        assertThat(row.get("access_token_enc")).isNull();
        assertThat(row.get("refresh_token_enc")).isNull();
        JsonNode gmail = client().server("custom-gmail");
        assertThat(gmail.path("state").asText()).isEqualTo("needs_auth");
        assertThat(gmail.path("last_error").asText()).isEqualTo("Google access expired; reconnect Google in Settings");
        assertThat(gmail.path("tools")).isEmpty();
    }

    @Test
    void a401ThatSurvivesARefreshMeansReconnect() throws Exception {
        client().connect(false);
        int before = GOOGLE.refreshCount();
        GOOGLE.failNext("/labels", 401, 2);
        OPENROUTER.enqueue(Scripts.toolCalls(new ToolCallSpec("call_401", "list_gmail_labels", "{}")), Scripts.text("ok"));
        List<SseClient.Received> events;
        try (SseClient.Stream s = SseClient.post(APP.getLocalPort(),
                "{\"session_id\":\"google-401\",\"messages\":[{\"role\":\"user\",\"content\":\"labels\"}]}")) {
            events = s.readAll();
        }
        JsonNode result = events.stream().filter(e -> e.name().equals("tool")).map(SseClient.Received::json)
                .filter(t -> t.path("status").asText().equals("error")).findFirst().orElseThrow();
        assertThat(result.path("result").asText()).isEqualTo("Google access expired; reconnect Google in Settings");
        assertThat(GOOGLE.refreshCount() - before).isEqualTo(1);
        assertThat(client().getJson("/api/google-auth/status").path("needs_reauth").asBoolean()).isTrue();
        assertThat(client().server("custom-gmail").path("state").asText()).isEqualTo("needs_auth");
    }

    @Test
    void badRequestsGetDetailNot500() throws Exception {
        GoogleClient c = client();
        GoogleClient.Authorized wrongRedirect = c.authorize("{\"redirect_uri\":\"https://evil.example/cb\"}");
        assertThat(wrongRedirect.status()).isEqualTo(422);
        assertThat(wrongRedirect.body().path("detail").asText()).contains("allowedRedirectUris");
        GoogleClient.Authorized badType = c.authorize("{\"write\":\"yes please\"}");
        assertThat(badType.status()).isBetween(400, 422);
        assertThat(badType.body().has("detail")).isTrue();
        GoogleClient.Authorized notJson = c.authorize("{");
        assertThat(notJson.status()).isEqualTo(400);
    }

    static void assertNoPlaintext(List<String> secrets) throws Exception {
        StringBuilder all = new StringBuilder();
        if (dev.orchat.testing.TestDatabase.postgres()) {
            // No single file to scan: every stored value of every table that OAuth writes to.
            Db db = new Db(DIR.resolve("chat.db"));
            for (String table : List.of("oauth_tokens", "oauth_flows", "settings")) {
                db.query("SELECT * FROM " + table).forEach(row -> all.append(row.values()).append('\n'));
            }
            all.append(' ');
        }
        for (Path f : List.of(DIR.resolve("chat.db"), DIR.resolve("chat.db-wal"))) {
            if (Files.exists(f)) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(all.length()).isGreaterThan(0);
        for (String secret : secrets) {
            assertThat(all.indexOf(secret)).as("plaintext secret in the database").isEqualTo(-1);
        }
    }
}
