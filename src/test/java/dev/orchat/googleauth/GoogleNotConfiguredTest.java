package dev.orchat.googleauth;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.GoogleClient;
import dev.orchat.testing.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** docs/api.md §2.27: a client file without the encryption key leaves every Google route at 503 with the reason. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class GoogleNotConfiguredTest {
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(null, DIR,
            TestApp.set("google.clientSecretFile", clientFile().toString()));

    static Path clientFile() {
        try {
            return Files.writeString(DIR.resolve("client_secret_x.json"),
                    "{\"installed\":{\"client_id\":\"id.apps.googleusercontent.com\",\"client_secret\":\"shh\"}}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyRouteAnswers503WithWhatIsMissing() throws Exception {
        GoogleClient c = new GoogleClient(APP.getLocalPort(), null);
        GoogleClient.Authorized a = c.authorize("{}");
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.body().path("detail").asText())
                .isEqualTo("Google integration is not configured: security.tokenEncryptionKey is not set");
        for (String path : new String[] {"/api/google-auth/status", "/api/google-auth/status/a@b.c", "/api/google-auth/callback?state=x"}) {
            HttpResponse<String> r = c.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(503);
            assertThat(r.body()).contains("security.tokenEncryptionKey").doesNotContain("shh");
        }
        assertThat(c.delete("/api/google-auth/token").statusCode()).isEqualTo(503);
        assertThat(c.server("custom-gmail").path("state").asText()).isEqualTo("needs_auth");
        assertThat(c.server("custom-gmail").path("tools")).isEmpty();
    }

    @Test
    void clientFilesAreFoundByNameAndBothFormatsRead() throws Exception {
        Path dir = Files.createTempDirectory("creds");
        Files.writeString(dir.resolve("client_secret_b.json"), "{\"web\":{\"client_id\":\"b\",\"client_secret\":\"sb\"}}");
        Files.writeString(dir.resolve("client_secret_a.json"), "{\"installed\":{\"client_id\":\"a\",\"client_secret\":\"sa\"}}");
        Files.writeString(dir.resolve("other.json"), "{}");
        Path found = ClientSecrets.locate(null, dir).orElseThrow();
        assertThat(found.getFileName().toString()).isEqualTo("client_secret_a.json");
        ClientSecrets a = ClientSecrets.read(found, new com.fasterxml.jackson.databind.ObjectMapper());
        assertThat(a.clientId()).isEqualTo("a");
        assertThat(a.toString()).doesNotContain("sa");
        assertThat(ClientSecrets.read(dir.resolve("client_secret_b.json"), new com.fasterxml.jackson.databind.ObjectMapper()).clientSecret())
                .isEqualTo("sb");
        assertThat(ClientSecrets.locate(null, dir.resolve("missing"))).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClientSecrets.read(dir.resolve("other.json"),
                new com.fasterxml.jackson.databind.ObjectMapper())).hasMessageContaining("neither");
    }
}
