package dev.orchat.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.db.Database;
import dev.orchat.conversation.MessageDao;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns canonical attachment parts into what the model receives (docs/api.md §2.21): images as {@code data:} URLs, PDFs
 * as a {@code file} part or extracted text, text files inline, and a short placeholder for anything gone.
 */
public final class ModelInputBuilder implements AttachmentInput {
    private final AttachmentService attachments;
    private final Database store;
    private final AttachmentsFactory config;
    private final PdfText pdf;
    private final ModelCapabilities capabilities;
    private final ObjectMapper mapper;

    public ModelInputBuilder(AttachmentService attachments, Database store, AttachmentsFactory config,
                             PdfText pdf, ModelCapabilities capabilities, ObjectMapper mapper) {
        this.attachments = attachments;
        this.store = store;
        this.config = config;
        this.pdf = pdf;
        this.capabilities = capabilities;
        this.mapper = mapper;
    }

    /** One hop's expansion, for {@code model}; {@code textOnly} for upstreams without file parts (generic). */
    @Override
    public Hop forHop(String model, boolean textOnly) {
        return new Hop(model, textOnly);
    }

    /** Expands parts for one payload and remembers what it used, so the caller can touch them once. */
    public final class Hop implements HopInput {
        private final String model;
        private final boolean textOnly;
        private final Set<String> used = new LinkedHashSet<>();
        private Optional<List<String>> modalities;
        private boolean pdfAsFile;

        private Hop(String model, boolean textOnly) {
            this.model = model;
            this.textOnly = textOnly;
        }

        /** Asked only when an attachment is expanded: a turn without attachments never consults the catalogue. */
        private Optional<List<String>> modalities() {
            if (modalities == null) {
                modalities = capabilities.inputModalities(model);
            }
            return modalities;
        }

        /** The wire part replacing {@code {"type": "attachment", "attachment_id": id}}. */
        @Override
        public ObjectNode expand(String attachmentId) {
            String now = attachments.now();
            Optional<AttachmentRow> found = attachments.row(attachmentId).filter(r -> !r.isExpired(now));
            Path file = found.map(r -> attachments.storage().resolve(r.storagePath())).orElse(null);
            if (found.isEmpty() || file == null || !Files.isRegularFile(file)) {
                return text("[Attachment " + snapshotName(attachmentId, found) + " is no longer available]");
            }
            AttachmentRow row = found.get();
            used.add(row.id());
            try {
                if (AttachmentTypes.isImage(row.mimeType())) {
                    return image(row, file);
                }
                if (row.mimeType().equals("application/pdf")) {
                    return pdfPart(row, file);
                }
                return textFile(row, file);
            } catch (IOException e) {
                return text("[Attachment " + row.displayName() + " could not be read: " + e.getMessage() + "]");
            }
        }

        @Override
        public Set<String> used() {
            return used;
        }

        /** Whether a PDF went as a {@code file} part, which asks for the {@code file-parser} plugin (§4.5). */
        @Override
        public boolean sentPdfAsFile() {
            return pdfAsFile;
        }

        private ObjectNode image(AttachmentRow row, Path file) throws IOException {
            if (modalities().isPresent() && !modalities().get().contains("image")) {
                return text("[Image " + row.displayName() + " not sent: the selected model does not accept images]");
            }
            ObjectNode part = mapper.createObjectNode();
            part.put("type", "image_url");
            part.putObject("image_url").put("url", dataUrl(row.mimeType(), file));
            return part;
        }

        private ObjectNode pdfPart(AttachmentRow row, Path file) throws IOException {
            boolean asFile = switch (config.getPdf().getMode()) {
                case FILE -> true;
                case TEXT -> false;
                case AUTO -> modalities().map(m -> m.contains("file")).orElse(false);
            };
            if (asFile && !textOnly) {
                pdfAsFile = true;
                ObjectNode part = mapper.createObjectNode();
                part.put("type", "file");
                ObjectNode f = part.putObject("file");
                f.put("filename", pdfName(row.displayName()));
                f.put("file_data", dataUrl("application/pdf", file));
                return part;
            }
            return text(pdfText(row, file));
        }

        private String pdfText(AttachmentRow row, Path file) {
            String name = row.displayName();
            try {
                PdfText.Extract extract = pdf.extract(file, row.id(), 1, config.getPdf().getMaxPages());
                if (extract.isEmpty()) {
                    return "[Attachment: " + name + " — the PDF contains no extractable text]";
                }
                return "[Attachment: " + name + " — PDF, " + extract.pageCount() + " pages; text of pages 1–"
                        + extract.last() + "]\n" + PdfText.limit(extract.text(), config.getPdf().getMaxChars());
            } catch (PdfText.Unreadable e) {
                return "[Attachment: " + name + " could not be read: " + e.getMessage() + "]";
            }
        }

        private ObjectNode textFile(AttachmentRow row, Path file) throws IOException {
            int maxChars = config.getText().getMaxChars();
            // Reading a little more than maxChars worth of bytes (≤ 4 per char) bounds memory for huge files.
            byte[] bytes;
            try (var in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, (long) maxChars * 4 + 4));
            }
            String content = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            if (content.startsWith("\uFEFF")) {
                content = content.substring(1);
            }
            return text("[Attachment: " + row.displayName() + "]\n" + PdfText.limit(content, maxChars));
        }

        private String snapshotName(String attachmentId, Optional<AttachmentRow> row) {
            if (row.isPresent()) {
                return row.get().displayName();
            }
            return store.read(h -> h.dao(MessageDao.class).attachmentSnapshot(attachmentId))
                    .map(s -> s.filename() == null ? attachmentId : s.filename()).orElse(attachmentId);
        }
    }

    private ObjectNode text(String text) {
        ObjectNode part = mapper.createObjectNode();
        part.put("type", "text");
        part.put("text", text);
        return part;
    }

    private static String dataUrl(String mime, Path file) throws IOException {
        return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    }

    private static String pdfName(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(".pdf") ? name : name + ".pdf";
    }
}
