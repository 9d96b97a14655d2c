package dev.orchat.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchat.web.ApiException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartReaderTest {
    static final String B = "XyZ123boundary";

    /** Hands out at most {@code step} bytes per read, so delimiters fall across every possible buffer split. */
    static InputStream trickle(byte[] data, int step) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    static byte[] body(byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("preamble to ignore\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"session_id\"\r\n\r\n"
                + "s-1\r\n--" + B + "  \r\nContent-Disposition: form-data; name=\"file\"; filename=\"na\\\"me.bin\"; "
                + "filename*=UTF-8''r%C3%A9sum%C3%A9.pdf\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes(("\r\n--" + B + "--\r\nepilogue").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 17, 4096, 1 << 20})
    void readsPartsWhateverTheReadSizes(int step) throws Exception {
        byte[] file = new byte[200_000];
        new Random(step).nextBytes(file);
        // Near-misses of the delimiter inside the data must stay data.
        byte[] nearMiss = ("\r\n--" + B.substring(0, B.length() - 1) + "!").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(nearMiss, 0, file, 1000, nearMiss.length);
        System.arraycopy(nearMiss, 0, file, file.length - nearMiss.length, nearMiss.length);

        MultipartReader reader = new MultipartReader(trickle(body(file), step), "multipart/form-data; boundary=\"" + B + "\"");
        List<String> names = new ArrayList<>();
        byte[] got = null;
        String session = null;
        for (var part = reader.next(); part.isPresent(); part = reader.next()) {
            names.add(part.get().name());
            if (part.get().name().equals("file")) {
                assertThat(part.get().filename()).isEqualTo("résumé.pdf");
                assertThat(part.get().contentType()).isEqualTo("application/pdf");
                got = part.get().body().readAllBytes();
            } else {
                session = new String(part.get().body().readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        assertThat(names).containsExactly("session_id", "file");
        assertThat(session).isEqualTo("s-1");
        assertThat(got).isEqualTo(file);
    }

    @Test
    void skipsUnreadPartsAndQuotedEscapes() throws Exception {
        byte[] data = ("--" + B + "\r\nContent-Disposition: form-data; name=\"skip\"\r\n\r\nlots of data\r\n--" + B
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\\\"b.txt\"\r\n\r\nxyz\r\n--" + B + "--")
                .getBytes(StandardCharsets.UTF_8);
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(data), "multipart/form-data; boundary=" + B);
        assertThat(reader.next().orElseThrow().name()).isEqualTo("skip");
        var file = reader.next().orElseThrow();
        assertThat(file.filename()).isEqualTo("a\"b.txt");
        assertThat(new String(file.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("xyz");
        assertThat(reader.next()).isEmpty();
    }

    @Test
    void refusesMissingBoundaryTruncatedBodiesAndHugeHeaders() {
        assertThatThrownBy(() -> new MultipartReader(new ByteArrayInputStream(new byte[0]), "multipart/form-data"))
                .isInstanceOf(ApiException.class).hasMessageContaining("boundary");
        byte[] truncated = ("--" + B + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno end").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> {
            MultipartReader reader = new MultipartReader(new ByteArrayInputStream(truncated), "multipart/form-data; boundary=" + B);
            reader.next().orElseThrow().body().readAllBytes();
        }).isInstanceOf(ApiException.class).hasMessageContaining("Malformed multipart body");
        byte[] noDelimiter = "just some bytes".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new MultipartReader(new ByteArrayInputStream(noDelimiter), "multipart/form-data; boundary=" + B).next())
                .isInstanceOf(ApiException.class);
        byte[] hugeHeader = ("--" + B + "\r\nX-Junk: " + "a".repeat(20_000) + "\r\n\r\nx\r\n--" + B + "--").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new MultipartReader(new ByteArrayInputStream(hugeHeader), "multipart/form-data; boundary=" + B).next())
                .isInstanceOf(ApiException.class).hasMessageContaining("too large");
    }
}
