package dev.orchat.upload;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * Text of stored PDFs with Apache PDFBox (docs/api.md §2.21), for model input and the {@code pdf} built-in. Results are
 * cached per file and page range because a tool loop replays the same history on every hop.
 */
public final class PdfText {
    private static final int CACHE_ENTRIES = 64;

    /** Pages {@code first..last} (1-based, inclusive) of a document of {@code pageCount} pages. */
    public record Extract(int pageCount, int first, int last, String text) {
        public boolean isEmpty() {
            return text.isBlank();
        }
    }

    /** An encrypted or broken PDF; the message is the one-line reason shown to the model. */
    public static final class Unreadable extends Exception {
        public Unreadable(String reason) {
            super(reason);
        }
    }

    private final Map<String, Extract> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Extract> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    /** The page count, or null when PDFBox cannot open the file. */
    public static Integer pageCount(Path file) {
        try (PDDocument doc = Loader.loadPDF(file.toFile())) {
            return doc.getNumberOfPages();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Extracts pages {@code first..last} (clamped to the document). {@code cacheKey} identifies the file's
     * content (e.g. the attachment id); null disables caching.
     */
    public Extract extract(Path file, String cacheKey, int first, int last) throws Unreadable {
        String key = cacheKey == null ? null : cacheKey + ":" + first + ":" + last;
        if (key != null) {
            synchronized (cache) {
                Extract hit = cache.get(key);
                if (hit != null) {
                    return hit;
                }
            }
        }
        Extract extract = read(file, first, last);
        if (key != null) {
            synchronized (cache) {
                cache.put(key, extract);
            }
        }
        return extract;
    }

    /** Pages {@code 1..maxPages} of a PDF held in memory (e.g. a Gmail attachment, which is never written to disk). */
    public static Extract extract(byte[] pdf, int maxPages) throws Unreadable {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return strip(doc, 1, maxPages);
        } catch (InvalidPasswordException e) {
            throw new Unreadable("the PDF is password-protected");
        } catch (IOException | RuntimeException e) {
            throw new Unreadable("the file is not a readable PDF");
        }
    }

    private static Extract read(Path file, int first, int last) throws Unreadable {
        try (PDDocument doc = Loader.loadPDF(file.toFile())) {
            return strip(doc, first, last);
        } catch (InvalidPasswordException e) {
            throw new Unreadable("the PDF is password-protected");
        } catch (IOException | RuntimeException e) {
            throw new Unreadable("the file is not a readable PDF");
        }
    }

    private static Extract strip(PDDocument doc, int first, int last) throws Unreadable, IOException {
        if (doc.isEncrypted() && !doc.getCurrentAccessPermission().canExtractContent()) {
            throw new Unreadable("the PDF is encrypted and does not allow text extraction");
        }
        int pages = doc.getNumberOfPages();
        int from = Math.max(1, first);
        int to = Math.min(pages, last);
        if (pages == 0 || from > to) {
            return new Extract(pages, from, Math.max(from - 1, to), "");
        }
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setStartPage(from);
        stripper.setEndPage(to);
        return new Extract(pages, from, to, stripper.getText(doc).strip());
    }

    /** Cuts {@code text} to {@code maxChars}, appending a note that says how much was left out. */
    public static String limit(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int cut = maxChars;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "\n[… truncated: " + (text.length() - cut) + " more characters not shown]";
    }
}
