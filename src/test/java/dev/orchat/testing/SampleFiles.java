package dev.orchat.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Files made in the test: real headers for each accepted image type, PDFs with known text, random tails. */
public final class SampleFiles {
    private SampleFiles() {
    }

    public static byte[] png(int size) {
        return withHead(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, size, 1);
    }

    public static byte[] jpeg(int size) {
        return withHead(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, size, 2);
    }

    public static byte[] gif(int size) {
        return withHead("GIF89a".getBytes(StandardCharsets.US_ASCII), size, 3);
    }

    public static byte[] webp(int size) {
        byte[] head = new byte[12];
        System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, head, 0, 4);
        head[4] = (byte) (size - 8);
        System.arraycopy("WEBP".getBytes(StandardCharsets.US_ASCII), 0, head, 8, 4);
        return withHead(head, size, 4);
    }

    /** A PDF with one page per entry of {@code pageTexts}, each page showing its text. */
    public static byte[] pdf(String... pageTexts) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (String text : pageTexts) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.beginText();
                    content.setFont(font, 12);
                    content.newLineAtOffset(72, 700);
                    content.showText(text);
                    content.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] withHead(byte[] head, int size, long seed) {
        byte[] data = new byte[Math.max(size, head.length)];
        new Random(seed).nextBytes(data);
        System.arraycopy(head, 0, data, 0, head.length);
        return data;
    }
}
