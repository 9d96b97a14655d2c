package dev.orchat.upload;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The accepted attachment types and how each is recognised from its first bytes (docs/api.md §2.21). The stored
 * extension always comes from here, never from the client's filename.
 */
public final class AttachmentTypes {
    /** How many leading bytes {@link #sniff} looks at. */
    public static final int HEAD_BYTES = 64 * 1024;

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    private static final Map<String, String> EXTENSIONS = Map.of(
            "image/png", ".png", "image/jpeg", ".jpg", "image/gif", ".gif", "image/webp", ".webp",
            "application/pdf", ".pdf", "text/plain", ".txt", "text/markdown", ".md", "text/csv", ".csv");
    private static final Map<String, String> ALIASES = Map.of("image/jpg", "image/jpeg",
            "text/x-markdown", "text/markdown");

    private AttachmentTypes() {
    }

    public static boolean isSupported(String mimeType) {
        return EXTENSIONS.containsKey(mimeType);
    }

    public static String extension(String mimeType) {
        return EXTENSIONS.get(mimeType);
    }

    public static boolean isImage(String mimeType) {
        return mimeType.startsWith("image/");
    }

    public static boolean isText(String mimeType) {
        return mimeType.startsWith("text/");
    }

    /** The declared part type, lower-cased, parameters removed, aliases resolved; empty for none/octet-stream. */
    public static Optional<String> normaliseDeclared(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.isEmpty() || type.equals("application/octet-stream")) {
            return Optional.empty();
        }
        return Optional.of(ALIASES.getOrDefault(type, type));
    }

    /**
     * The type the content shows, or empty when it is none of the accepted ones. Text is recognised as a family;
     * {@link #textSubtype} picks the specific type.
     */
    public static Optional<String> sniff(byte[] head, int length) {
        if (startsWith(head, length, PNG)) {
            return Optional.of("image/png");
        }
        if (length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return Optional.of("image/jpeg");
        }
        if (startsWith(head, length, ascii("GIF87a")) || startsWith(head, length, ascii("GIF89a"))) {
            return Optional.of("image/gif");
        }
        if (length >= 12 && startsWith(head, length, ascii("RIFF"))
                && Arrays.equals(head, 8, 12, ascii("WEBP"), 0, 4)) {
            return Optional.of("image/webp");
        }
        if (indexOf(head, Math.min(length, 1024), ascii("%PDF-")) >= 0) {
            return Optional.of("application/pdf");
        }
        if (isUtf8Text(head, length)) {
            return Optional.of("text/plain");
        }
        return Optional.empty();
    }

    /** The specific text type: the declared one when it is a text type, else from the filename extension. */
    public static String textSubtype(Optional<String> declared, String filename) {
        if (declared.isPresent() && isText(declared.get())) {
            return declared.get();
        }
        String name = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
        if (name.endsWith(".md") || name.endsWith(".markdown")) {
            return "text/markdown";
        }
        if (name.endsWith(".csv")) {
            return "text/csv";
        }
        return "text/plain";
    }

    /**
     * No NUL and valid UTF-8 (a BOM is fine). The head may cut a multi-byte sequence at its end; only an
     * incomplete final sequence is forgiven, and only when the head was cut short.
     */
    static boolean isUtf8Text(byte[] head, int length) {
        for (int i = 0; i < length; i++) {
            if (head[i] == 0) {
                return false;
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int end = length;
        if (length == HEAD_BYTES) {
            end = completeSequencesEnd(head, length);
        }
        try {
            decoder.decode(ByteBuffer.wrap(head, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static int completeSequencesEnd(byte[] b, int length) {
        // Walk back over at most 3 continuation bytes to the lead byte of the last sequence.
        int i = length - 1;
        int back = 0;
        while (i >= 0 && back < 3 && (b[i] & 0xC0) == 0x80) {
            i--;
            back++;
        }
        if (i < 0) {
            return length;
        }
        int lead = b[i] & 0xFF;
        int needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return length - i < needed ? i : length;
    }

    private static boolean startsWith(byte[] data, int length, byte[] prefix) {
        return length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] data, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
