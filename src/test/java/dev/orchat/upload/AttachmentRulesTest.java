package dev.orchat.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchat.testing.SampleFiles;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure rules of docs/api.md §2.21, §8.2, §8.4 and §8.5. */
class AttachmentRulesTest {

    static Optional<String> sniff(byte[] data) {
        return AttachmentTypes.sniff(data, data.length);
    }

    @Test
    void sniffsEachAcceptedTypeByItsMagicBytes() {
        assertThat(sniff(SampleFiles.png(100))).contains("image/png");
        assertThat(sniff(SampleFiles.jpeg(100))).contains("image/jpeg");
        assertThat(sniff(SampleFiles.gif(100))).contains("image/gif");
        assertThat(sniff("GIF87a....".getBytes(StandardCharsets.US_ASCII))).contains("image/gif");
        assertThat(sniff(SampleFiles.webp(100))).contains("image/webp");
        assertThat(sniff("RIFF\0\0\0\0WAVE".getBytes(StandardCharsets.ISO_8859_1))).isEmpty();
        byte[] latePdf = new byte[1100];
        System.arraycopy("%PDF-1.7".getBytes(StandardCharsets.US_ASCII), 0, latePdf, 500, 8);
        assertThat(sniff(latePdf)).contains("application/pdf"); // within the first 1,024 bytes
        byte[] tooLate = new byte[1100];
        System.arraycopy("%PDF-1.7".getBytes(StandardCharsets.US_ASCII), 0, tooLate, 1020, 8);
        assertThat(sniff(tooLate)).isEmpty();
        assertThat(sniff("\uFEFFplain ✓".getBytes(StandardCharsets.UTF_8))).contains("text/plain");
        assertThat(sniff(new byte[] {'a', (byte) 0xC3, (byte) 0x28})).isEmpty();
        assertThat(sniff(new byte[] {'a', 0, 'b'})).isEmpty();
    }

    @Test
    void aMultiByteCharacterCutByTheSniffWindowIsStillText() {
        byte[] head = new byte[AttachmentTypes.HEAD_BYTES];
        java.util.Arrays.fill(head, (byte) 'a');
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        head[head.length - 2] = euro[0];
        head[head.length - 1] = euro[1];
        assertThat(AttachmentTypes.sniff(head, head.length)).contains("text/plain");
        assertThat(AttachmentTypes.sniff(head, head.length - 1)).isEmpty(); // a complete file may not end mid-character
    }

    @Test
    void normalisesDeclaredTypesAndPicksTheTextSubtype() {
        assertThat(AttachmentTypes.normaliseDeclared("Image/JPG; q=1")).contains("image/jpeg");
        assertThat(AttachmentTypes.normaliseDeclared("text/x-markdown")).contains("text/markdown");
        assertThat(AttachmentTypes.normaliseDeclared("application/octet-stream")).isEmpty();
        assertThat(AttachmentTypes.normaliseDeclared(null)).isEmpty();
        assertThat(AttachmentTypes.textSubtype(Optional.empty(), "Notes.MARKDOWN")).isEqualTo("text/markdown");
        assertThat(AttachmentTypes.textSubtype(Optional.empty(), "x.csv")).isEqualTo("text/csv");
        assertThat(AttachmentTypes.textSubtype(Optional.empty(), "x.log")).isEqualTo("text/plain");
        assertThat(AttachmentTypes.textSubtype(Optional.of("text/csv"), "x.md")).isEqualTo("text/csv");
    }

    @Test
    void slugsAndStoredNames() {
        assertThat(AttachmentStorage.slug("Quarterly Report 2024.pdf")).isEqualTo("quarterly-report-2024");
        assertThat(AttachmentStorage.slug("../../etc/passwd")).isEqualTo("passwd");
        assertThat(AttachmentStorage.slug("漢字.png")).isEmpty();
        assertThat(AttachmentStorage.slug("a".repeat(59) + " b c.txt")).isEqualTo("a".repeat(59));
        assertThat(AttachmentStorage.fileName("abc", "漢字.png", ".png")).isEqualTo("abc.png");
        assertThat(AttachmentStorage.fileName("abc", "My File.PDF", ".pdf")).isEqualTo("abc__my-file.pdf");
        assertThat(AttachmentService.cleanFilename("C:\\Users\\me\\a\u0000b.txt")).isEqualTo("ab.txt");
        assertThat(AttachmentService.cleanFilename("..")).isNull();
        assertThat(AttachmentService.cleanFilename("x".repeat(300)).length()).isEqualTo(255);
    }

    @Test
    void contentDispositionHasASafeFallbackAndAnEncodedName() {
        assertThat(UploadResource.contentDisposition("Résumé \"final\".pdf"))
                .isEqualTo("inline; filename=\"Rsum final.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf");
        assertThat(UploadResource.contentDisposition("漢字.png")).isEqualTo("inline; filename=\".png\"; filename*=UTF-8''%E6%BC%A2%E5%AD%97.png");
        assertThat(UploadResource.contentDisposition("漢字")).startsWith("inline; filename=\"attachment\"");
    }

    @Test
    void signaturesBindIdAndExpiryAndExpire() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        UrlSigner signer = new UrlSigner("k", Duration.ofHours(24), clock);
        String query = signer.query("abc");
        String exp = query.replaceAll("exp=(\\d+)&.*", "$1");
        String sig = query.replaceAll(".*sig=", "");
        assertThat(Long.parseLong(exp)).isEqualTo(Instant.parse("2026-01-02T00:00:00Z").getEpochSecond());
        assertThat(sig).doesNotContain("=").matches("[A-Za-z0-9_-]{43}");
        assertThat(signer.verify("abc", exp, sig)).isTrue();
        assertThat(signer.verify("abd", exp, sig)).isFalse();
        assertThat(signer.verify("abc", Long.toString(Long.parseLong(exp) + 1), sig)).isFalse();
        assertThat(signer.verify("abc", "x", sig)).isFalse();
        assertThat(new UrlSigner("other", Duration.ofHours(24), clock).verify("abc", exp, sig)).isFalse();
        UrlSigner later = new UrlSigner("k", Duration.ofHours(24), Clock.offset(clock, Duration.ofHours(25)));
        assertThat(later.verify("abc", exp, sig)).isFalse();
    }
}
