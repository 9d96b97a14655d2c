package dev.orchat.builtin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Plain text of Office Open XML documents (docx, xlsx, pptx) from their XML parts, with the JDK's zip reader
 * instead of a document library: the model needs the words, not the layout (docs/operations.md, "MCP servers" leaves the choice open).
 */
final class OfficeText {
    private static final Map<String, String> PARTS = Map.of(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/document.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/sharedStrings.xml",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/slides/slide");
    private static final Pattern BREAKS = Pattern.compile("</(w:p|a:p|si)>");
    private static final Pattern TAGS = Pattern.compile("<[^>]+>");
    private static final long MAX_XML = 50L * 1024 * 1024; // a zip bomb stops here

    private OfficeText() {
    }

    static boolean handles(String mime) {
        return PARTS.containsKey(mime);
    }

    static String extract(byte[] zip) {
        // Slides come as slide1.xml, slide2.xml …: collect them in number order.
        Map<Integer, String> parts = new TreeMap<>();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                String name = e.getName();
                if (PARTS.values().stream().anyMatch(p -> p.endsWith(".xml") ? name.equals(p) : name.startsWith(p) && name.endsWith(".xml"))) {
                    byte[] xml = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_XML - total));
                    total += xml.length;
                    if (total >= MAX_XML) {
                        throw new Args.Invalid("The document is too large to read.");
                    }
                    parts.put(number(name), text(new String(xml, StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException ex) {
            throw new Args.Invalid("The Office document could not be read.");
        }
        if (parts.isEmpty()) {
            throw new Args.Invalid("The Office document contains no readable text.");
        }
        return String.join("\n\n", parts.values());
    }

    private static int number(String name) {
        String digits = name.replaceAll("\\D", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits.length() > 9 ? digits.substring(0, 9) : digits);
    }

    private static String text(String xml) {
        String t = BREAKS.matcher(xml).replaceAll("\n");
        t = TAGS.matcher(t).replaceAll("");
        return t.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&").replaceAll("[ \\t]+\\n", "\n").strip();
    }
}
