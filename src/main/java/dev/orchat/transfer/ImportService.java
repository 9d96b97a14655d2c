package dev.orchat.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.upload.MultipartReader;
import dev.orchat.web.ApiException;
import dev.orchat.web.LimitedInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;

/**
 * {@code POST /api/import} (docs/api.md "Import"): reads the uploaded files as they arrive, recognises each
 * conversation's format, and stores each session on its own, all or nothing. One import runs at a time.
 */
final class ImportService {
    private static final Pattern ATTACHMENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private final ImportFactory limits;
    private final BoundedJson json;
    private final OrchatFormat orchat;
    private final ImportWriter writer;
    private final Clock clock;
    private final Semaphore running = new Semaphore(1);

    ImportService(ImportFactory limits, ObjectMapper mapper, ImportWriter writer, Clock clock) {
        this.limits = limits;
        this.json = new BoundedJson(limits);
        this.orchat = new OrchatFormat(mapper);
        this.writer = writer;
        this.clock = clock;
    }

    /** State of one request: the report, the deadline and the attachment files received so far. */
    private final class Run {
        final ImportReport report = new ImportReport();
        final Instant deadline = clock.instant().plus(limits.timeLimit());
        final Map<String, ImportWriter.SpooledFile> files = new HashMap<>();
        Path spool;

        boolean late() {
            return clock.instant().isAfter(deadline);
        }

        void failed(String item, String reason) {
            report.failed().add(new ImportReport.Failed(item, reason));
        }
    }

    ImportReport run(InputStream body, String contentType, long contentLength) {
        if (contentLength > limits.maxUploadBytes()) {
            throw ApiException.tooLarge("The upload exceeds " + limits.maxUploadBytes() + " bytes");
        }
        if (!running.tryAcquire()) {
            throw ApiException.conflict("Another import is running; try again when it has finished");
        }
        Run run = new Run();
        try {
            InputStream limited = new LimitedInputStream(body, limits.maxUploadBytes(),
                    () -> new ZipReader.LimitExceeded("The upload exceeds " + limits.maxUploadBytes() + " bytes"));
            MultipartReader parts = new MultipartReader(limited, contentType);
            boolean sawFile = false;
            for (var part = parts.next(); part.isPresent(); part = parts.next()) {
                if (part.get().filename() == null) {
                    continue; // a plain form field
                }
                sawFile = true;
                String name = part.get().filename().isBlank() ? "upload" : part.get().filename();
                if (!importFile(run, name, part.get().body())) {
                    break;
                }
            }
            if (!sawFile && run.report.failed().isEmpty()) {
                throw ApiException.invalid(List.of("body", "file"), "Field required: a file part", "missing");
            }
            return run.report;
        } catch (IOException e) {
            throw ApiException.badRequest("The upload could not be read: " + e.getMessage());
        } finally {
            deleteSpool(run);
            running.release();
        }
    }

    /** @return false when nothing more should be read (a limit of the whole upload was crossed) */
    private boolean importFile(Run run, String name, InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        buffered.mark(4);
        byte[] magic = buffered.readNBytes(4);
        buffered.reset();
        try {
            if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
                importZip(run, name, buffered);
            } else {
                importJson(run, name, buffered, false);
            }
            return !run.late();
        } catch (ImportException e) {
            run.failed(name, e.getMessage());
            return true;
        } catch (ZipReader.LimitExceeded e) {
            run.failed(name, e.getMessage() + "; the rest was not imported");
            return false;
        } catch (ZipException e) {
            run.failed(name, "Not a readable ZIP: " + e.getMessage() + "; the rest was not imported");
            return true;
        }
    }

    private void importZip(Run run, String name, InputStream in) throws IOException, ImportException {
        ZipReader zip = new ZipReader(in, limits);
        for (ZipEntry entry = zip.next(); entry != null; entry = zip.next()) {
            String entryName = entry.getName();
            String item = name + ": " + entryName;
            InputStream body = zip.body();
            if (run.late()) {
                run.failed(name, "Time limit reached at " + entryName + "; the rest was not imported");
                return;
            }
            if (ZipReader.isUnsafe(entryName)) {
                run.failed(item, "Unsafe entry name (absolute, '..', '\\' or ':'): entry ignored");
                zip.skip(body);
            } else if (entry.isDirectory()) {
                zip.skip(body);
            } else if (entryName.startsWith("files/")) {
                spool(run, item, entryName.substring("files/".length()), body);
            } else if (isConversationFile(entryName)) {
                try {
                    importJson(run, item, body, true);
                } catch (ImportException e) {
                    run.failed(item, e.getMessage());
                }
                zip.skip(body);
            } else {
                zip.skip(body); // images, chat.html, user.json and the like
            }
        }
    }

    /** orchat's {@code sessions/*.json}, ChatGPT's {@code conversations*.json}, or a JSON file at the top. */
    private static boolean isConversationFile(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        return name.endsWith(".json") && (name.startsWith("sessions/") || base.startsWith("conversations")
                || !name.contains("/") && !List.of("manifest.json", "user.json", "message_feedback.json",
                "model_comparisons.json", "shared_conversations.json").contains(base));
    }

    private void importJson(Run run, String name, InputStream in, boolean inZip) throws IOException, ImportException {
        json.forEach(in, (index, node) -> {
            if (run.late()) {
                run.failed(name, "Time limit reached at item " + (index + 1) + "; the rest was not imported");
                return false;
            }
            importItem(run, name + " #" + (index + 1), node, inZip);
            return true;
        });
    }

    private void importItem(Run run, String item, JsonNode node, boolean inZip) {
        ImportedSession session;
        try {
            if (OrchatFormat.matches(node)) {
                session = orchat.read(node, limits.maxMessagesPerSession());
            } else if (ChatGptFormat.matches(node)) {
                session = ChatGptFormat.convert(node, clock, limits.maxMessagesPerSession());
            } else if (OpenWebUiFormat.matches(node)) {
                session = OpenWebUiFormat.convert(node, clock, limits.maxMessagesPerSession());
            } else if (SessionExporter.MANIFEST_FORMAT.equals(node.path("format").asText()) || inZip && node.isObject()) {
                return; // an export's manifest, or a side file of another service's export
            } else {
                run.failed(item, "Not a conversation in a known format (orchat, ChatGPT, Open WebUI)");
                return;
            }
        } catch (ImportException e) {
            run.failed(item + titleOf(node), e.getMessage());
            return;
        }
        try {
            ImportWriter.Result result = writer.write(session, run.files);
            if (result == ImportWriter.Result.SKIPPED) {
                run.report.skipped().add(new ImportReport.Skipped(item, session.sessionId(), session.title(), "already present"));
            } else {
                run.report.imported().add(new ImportReport.Imported(item, session.sessionId(), session.title(),
                        session.source(), session.rows().messages().size(), session.note()));
            }
        } catch (ImportException e) {
            run.failed(item + titleOf(node), e.getMessage());
        }
    }

    private static String titleOf(JsonNode node) {
        String title = node.path("title").isTextual() ? node.path("title").asText()
                : node.path("session").path("title").asText(null);
        return title == null ? "" : " (" + (title.length() > 80 ? title.substring(0, 80) + "…" : title) + ")";
    }

    /** An attachment file of an orchat ZIP, kept until the session that owns it arrives. */
    private void spool(Run run, String item, String attachmentId, InputStream body) throws IOException {
        if (!ATTACHMENT_ID.matcher(attachmentId).matches()) {
            run.failed(item, "Not an attachment file name: entry ignored");
            body.transferTo(OutputStream.nullOutputStream());
            return;
        }
        if (run.spool == null) {
            run.spool = Files.createTempDirectory("orchat-import");
        }
        Path file = run.spool.resolve(attachmentId);
        MessageDigest sha = sha256();
        long size = 0;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
            byte[] chunk = new byte[64 * 1024];
            for (int n = body.read(chunk); n >= 0; n = body.read(chunk)) {
                size += n;
                if (size > limits.maxFileBytes()) {
                    out.close();
                    Files.deleteIfExists(file);
                    run.failed(item, "Attachment file larger than " + limits.maxFileBytes() + " bytes: entry ignored");
                    body.transferTo(OutputStream.nullOutputStream());
                    return;
                }
                out.write(chunk, 0, n);
            }
        }
        run.files.put(attachmentId, new ImportWriter.SpooledFile(file, size, HexFormat.of().formatHex(sha.digest())));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteSpool(Run run) {
        if (run.spool == null) {
            return;
        }
        try (var files = Files.list(run.spool)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(run.spool);
        } catch (IOException e) {
            // A temporary folder; the OS cleans it eventually.
        }
    }
}
