package dev.orchat.upload;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.SampleFiles;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.Uploads;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The size cap while streaming (docs/api.md §2.21) and signed content URLs with bearer authentication on (§8.5). */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class UploadLimitsAndSigningTest {
    static final String TOKEN = "upload-test-token";
    static final String KEY = "signing-key-for-tests";
    static final int CAP = 1024 * 1024;
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(null, DIR,
            TestApp.set("auth.tokens", TOKEN), TestApp.set("auth.urlSigningKey", KEY),
            TestApp.set("attachments.maxSizeBytes", Integer.toString(CAP)),
            TestApp.set("attachments.signedUrlTtl", "1h"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aFileOfExactlyTheCapIsAcceptedAndOneByteMoreIsRefused() throws Exception {
        HttpResponse<String> ok = Uploads.form().field("session_id", "cap").file("max.png", "image/png", SampleFiles.png(CAP))
                .send(APP.getLocalPort(), "Authorization", "Bearer " + TOKEN);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        HttpResponse<String> over = Uploads.form().field("session_id", "cap").file("big.png", "image/png", SampleFiles.png(CAP + 1))
                .send(APP.getLocalPort(), "Authorization", "Bearer " + TOKEN);
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(over.body()).isEqualTo("{\"detail\":\"Attachment exceeded " + CAP + " bytes limit\"}");
        assertThat(partialFiles()).isEmpty();
        assertThat(filesIn(DIR.resolve("uploads/cap"))).hasSize(1);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeReading() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", APP.getLocalPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/uploads HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + Uploads.BOUNDARY + "\r\n"
                    + "Content-Length: " + (200L * 1024 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readHead(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 413");
        }
    }

    /** A 200 MB chunked upload: the server stops reading at the cap, answers 413 and keeps nothing. */
    @Test
    void aStreamedOversizeUploadIsCutOffAtTheCap() throws Exception {
        long total = 200L * 1024 * 1024;
        AtomicLong sent = new AtomicLong();
        try (Socket socket = new Socket("127.0.0.1", APP.getLocalPort())) {
            socket.setSoTimeout(30_000);
            CompletableFuture<String> response = CompletableFuture.supplyAsync(() -> {
                try {
                    return readHead(socket.getInputStream());
                } catch (Exception e) {
                    return "read failed: " + e;
                }
            });
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /api/uploads HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN + "\r\n"
                            + "Content-Type: multipart/form-data; boundary=" + Uploads.BOUNDARY + "\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    chunk(out, ("--" + Uploads.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"session_id\"\r\n\r\n"
                            + "stream\r\n--" + Uploads.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; "
                            + "filename=\"huge.png\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] block = SampleFiles.png(64 * 1024);
                    while (sent.get() < total && !response.isDone()) {
                        chunk(out, block);
                        sent.addAndGet(block.length);
                    }
                } catch (Exception e) {
                    // The server closed the connection after answering: expected.
                }
            });
            String head = response.get(60, TimeUnit.SECONDS);
            writer.get(60, TimeUnit.SECONDS);
            assertThat(head).startsWith("HTTP/1.1 413");
        }
        // Socket buffers let the client get a few MB ahead of the server, never the whole 200 MB.
        assertThat(sent.get()).isLessThan(64L * 1024 * 1024);
        assertThat(partialFiles()).isEmpty();
        assertThat(filesIn(DIR.resolve("uploads/stream"))).isEmpty();
    }

    @Test
    void signedUrlsWorkWithoutATokenAndFailWhenTamperedOrExpired() throws Exception {
        HttpResponse<String> r = Uploads.form().field("session_id", "signed").file("s.gif", "image/gif", SampleFiles.gif(400))
                .send(APP.getLocalPort(), "Authorization", "Bearer " + TOKEN);
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode a = JSON.readTree(r.body()).get("attachment");
        String id = a.get("id").asText();
        String url = a.get("displayUrl").asText();
        assertThat(url).matches("http://localhost:\\d+/api/uploads/" + id + "/content\\?exp=\\d+&sig=[A-Za-z0-9_-]{43}");
        long exp = Long.parseLong(url.replaceAll(".*exp=(\\d+).*", "$1"));
        assertThat(exp).isBetween(Instant.now().getEpochSecond() + 3500, Instant.now().getEpochSecond() + 3700);

        assertThat(status(url, null)).isEqualTo(200);
        String sig = url.substring(url.indexOf("sig=") + 4);
        String flipped = (sig.charAt(0) == 'A' ? 'B' : 'A') + sig.substring(1);
        assertThat(status(url.replace("sig=" + sig, "sig=" + flipped), null)).isEqualTo(401);
        assertThat(status(url.replace("exp=" + exp, "exp=" + (exp + 1)), null)).isEqualTo(401);
        String other = "0".repeat(32);
        assertThat(status(url.replace(id, other), null)).isEqualTo(401); // a signature is bound to its id

        // An expired but correctly signed URL: made with the same key, as a client would hold it after exp.
        long past = Instant.now().getEpochSecond() - 10;
        String expired = "http://localhost:" + APP.getLocalPort() + "/api/uploads/" + id + "/content?exp=" + past + "&sig="
                + new UrlSigner(KEY, java.time.Duration.ZERO, java.time.Clock.systemUTC()).sign(id, past);
        assertThat(status(expired, null)).isEqualTo(401);
        assertThat(status(expired, TOKEN)).isEqualTo(200); // the bearer token still works
        String unsigned = "http://localhost:" + APP.getLocalPort() + "/api/uploads/" + id + "/content";
        assertThat(status(unsigned, null)).isEqualTo(401);
        assertThat(status(unsigned, TOKEN)).isEqualTo(200);
        // Metadata is never public.
        assertThat(status("http://localhost:" + APP.getLocalPort() + "/api/uploads/" + id + "?" + url.split("\\?")[1], null))
                .isEqualTo(401);
    }

    static int status(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static void chunk(OutputStream out, byte[] data) throws Exception {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    static String readHead(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    static java.util.List<Path> partialFiles() throws Exception {
        try (Stream<Path> walk = Files.walk(DIR.resolve("uploads"))) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }

    static java.util.List<Path> filesIn(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        }
    }
}
