package dev.orchat.upload;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import dev.orchat.db.Database;
import dev.orchat.conversation.SessionDao;
import dev.orchat.conversation.SessionIds;
import dev.orchat.db.Timestamps;
import dev.orchat.web.ApiException;
import dev.orchat.web.LimitedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads, metadata, content, deletion and use of attachments (docs/api.md §2.21). Every rejected upload leaves nothing
 * behind: the partial file is deleted before the error leaves this class.
 */
public final class AttachmentService implements AttachmentLookup {
    private static final Logger LOG = LoggerFactory.getLogger(AttachmentService.class);
    private static final long MULTIPART_OVERHEAD = 1024 * 1024;
    private static final int MAX_FILENAME_CHARS = 255;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database store;
    private final AttachmentStorage storage;
    private final AttachmentsFactory config;
    private final Clock clock;
    private final Meter uploads;
    private final Meter rejected;
    private final Counter bytes;

    public AttachmentService(Database store, AttachmentStorage storage, AttachmentsFactory config,
                             Clock clock, MetricRegistry metrics) {
        this.store = store;
        this.storage = storage;
        this.config = config;
        this.clock = clock;
        this.uploads = metrics.meter("uploads.count");
        this.rejected = metrics.meter("uploads.rejected");
        this.bytes = metrics.counter("uploads.bytes");
    }

    public AttachmentStorage storage() {
        return storage;
    }

    /** Handles one {@code POST /api/uploads} body; returns the stored row. */
    public AttachmentRow upload(String contentType, long contentLength, InputStream body) {
        try {
            AttachmentRow row = receive(contentType, contentLength, body);
            uploads.mark();
            bytes.inc(row.sizeBytes());
            return row;
        } catch (RuntimeException e) {
            rejected.mark();
            throw e;
        }
    }

    private AttachmentRow receive(String contentType, long contentLength, InputStream body) {
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw ApiException.unsupportedMediaType("Uploads must be multipart/form-data");
        }
        long bodyLimit = config.getMaxSizeBytes() + MULTIPART_OVERHEAD;
        if (contentLength > bodyLimit) {
            throw ApiException.tooLarge("Attachment exceeded " + config.getMaxSizeBytes() + " bytes limit");
        }
        String sessionId = null;
        AttachmentStorage.Received file = null;
        String filename = null;
        String declared = null;
        try {
            MultipartReader reader = new MultipartReader(new LimitedInputStream(body, bodyLimit,
                    () -> ApiException.tooLarge("Attachment exceeded " + config.getMaxSizeBytes() + " bytes limit")),
                    contentType);
            for (var part = reader.next(); part.isPresent(); part = reader.next()) {
                var p = part.get();
                if ("session_id".equals(p.name()) && sessionId == null) {
                    sessionId = smallField(p.body());
                    if (!SessionIds.isValid(sessionId)) {
                        throw invalidSessionId();
                    }
                } else if ("file".equals(p.name()) && file == null) {
                    Path dir = sessionId != null ? storage.sessionDir(sessionId) : storage.root();
                    filename = cleanFilename(p.filename());
                    declared = p.contentType();
                    file = storage.receive(p.body(), dir, config.getMaxSizeBytes());
                }
            }
            if (file == null) {
                throw ApiException.invalid(List.of("body", "file"), "Field required", "missing");
            }
            if (sessionId == null) {
                throw ApiException.invalid(List.of("body", "session_id"), "Field required", "missing");
            }
            if (file.size() == 0) {
                throw ApiException.badRequest("Uploaded file was empty");
            }
            String mimeType = verifiedType(file, declared, filename);
            AttachmentRow row = store(sessionId, file, filename, mimeType);
            file = null; // published: no longer ours to delete
            return row;
        } catch (IOException e) {
            throw ApiException.badRequest("The upload was interrupted: " + e.getMessage());
        } finally {
            if (file != null) {
                deleteQuietly(file.partFile());
            }
        }
    }

    private static ApiException invalidSessionId() {
        return ApiException.invalid(List.of("body", "session_id"),
                "session_id must match " + SessionIds.REGEX, "value_error.str.regex");
    }

    private static String smallField(InputStream in) throws IOException {
        byte[] value = in.readNBytes(257);
        if (value.length > 256) {
            throw invalidSessionId();
        }
        return new String(value, StandardCharsets.UTF_8).strip();
    }

    private static String verifiedType(AttachmentStorage.Received file, String declaredHeader, String filename) {
        Optional<String> declared = AttachmentTypes.normaliseDeclared(declaredHeader);
        if (declared.isPresent() && !AttachmentTypes.isSupported(declared.get())) {
            throw ApiException.unsupportedMediaType("Unsupported attachment type: " + declared.get());
        }
        Optional<String> sniffed = AttachmentTypes.sniff(file.head(), file.headLength());
        if (sniffed.isEmpty()) {
            throw ApiException.unsupportedMediaType("Unsupported attachment type: " + declared.orElse("unknown"));
        }
        String actual = sniffed.get().equals("text/plain") ? AttachmentTypes.textSubtype(declared, filename) : sniffed.get();
        if (declared.isPresent() && !declared.get().equals(actual)) {
            throw ApiException.unsupportedMediaType("Declared type " + declared.get()
                    + " does not match the file content (" + sniffed.get() + ")");
        }
        return actual;
    }

    private AttachmentRow store(String sessionId, AttachmentStorage.Received file, String filename, String mimeType)
            throws IOException {
        String id = newId();
        Integer pages = mimeType.equals("application/pdf") ? PdfText.pageCount(file.partFile()) : null;
        String storagePath = storage.publish(file.partFile(), sessionId,
                AttachmentStorage.fileName(id, filename, AttachmentTypes.extension(mimeType)));
        Instant now = clock.instant();
        String at = Timestamps.format(now);
        AttachmentRow row = new AttachmentRow(id, sessionId, storagePath, mimeType, file.size(), filename,
                file.sha256(), pages, at, at, expiry(now));
        try {
            store.write(h -> {
                SessionDao sessions = h.dao(SessionDao.class);
                if (sessions.count(sessionId) == 0) {
                    sessions.insert(sessionId, null, at);
                }
                h.dao(AttachmentDao.class).insert(row);
                return null;
            });
        } catch (RuntimeException e) {
            deleteQuietly(storage.resolve(storagePath));
            throw e;
        }
        return row;
    }

    private String expiry(Instant from) {
        return config.getRetentionDays() == 0 ? null
                : Timestamps.format(from.plus(Duration.ofDays(config.getRetentionDays())));
    }

    /** Metadata: 404 unknown, 410 expired. */
    public AttachmentRow get(String id) {
        AttachmentRow row = find(id, "Attachment not found");
        if (row.isExpired(Timestamps.format(clock.instant()))) {
            throw ApiException.gone("Attachment expired");
        }
        return row;
    }

    /** The row and its file for a download; serving counts as a use (docs/api.md §2.21). */
    public Path content(AttachmentRow row) {
        Path file = storage.resolve(row.storagePath());
        if (file == null || !Files.isRegularFile(file)) {
            throw ApiException.notFound("Attachment not found");
        }
        touch(List.of(row.id()));
        return file;
    }

    public void delete(String id) {
        AttachmentRow row = find(id, "Attachment not found");
        store.write(h -> h.dao(AttachmentDao.class).delete(id));
        try {
            storage.delete(row.storagePath());
        } catch (IOException e) {
            LOG.warn("Could not delete the file of attachment {}: {} (the sweep will retry)", id, e.getMessage());
        }
    }

    /** docs/api.md §2.21: referenced, replayed, downloaded or read by a tool. */
    public void touch(Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        store.write(h -> h.dao(AttachmentDao.class).touch(ids, Timestamps.format(now), expiry(now)));
    }

    public Optional<AttachmentRow> row(String id) {
        if (id == null || !id.matches("[0-9a-f]{32}")) {
            return Optional.empty();
        }
        return store.read(h -> h.dao(AttachmentDao.class).find(id));
    }

    public List<AttachmentRow> rows(Collection<String> ids) {
        return ids.isEmpty() ? List.of() : store.read(h -> h.dao(AttachmentDao.class).findAll(ids));
    }

    /** The session's PDFs that have not expired, oldest first: the only files the pdf built-in may read. */
    public List<AttachmentRow> sessionPdfs(String sessionId) {
        String now = now();
        return store.read(h -> h.dao(AttachmentDao.class).bySessionAndType(sessionId, "application/pdf")).stream()
                .filter(r -> !r.isExpired(now)).toList();
    }

    /** The stored file of a row, when it is still there and inside the uploads folder. */
    public Optional<Path> file(AttachmentRow row) {
        Path file = storage.resolve(row.storagePath());
        return file != null && Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    public String now() {
        return Timestamps.format(clock.instant());
    }

    @Override
    public Optional<Attachment> find(String attachmentId) {
        String now = now();
        return row(attachmentId).map(r -> new Attachment(r.id(), r.sessionId(), r.filename(), r.mimeType(),
                r.isExpired(now) ? State.EXPIRED : State.AVAILABLE));
    }

    private AttachmentRow find(String id, String notFound) {
        return row(id).orElseThrow(() -> ApiException.notFound(notFound));
    }

    /** The display name only: the last path segment, no control characters, at most 255 characters. */
    static String cleanFilename(String raw) {
        if (raw == null) {
            return null;
        }
        String name = raw.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        name = name.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT
                        && c != 0x2028 && c != 0x2029)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        if (name.equals(".") || name.equals("..")) {
            name = "";
        }
        if (name.codePointCount(0, name.length()) > MAX_FILENAME_CHARS) {
            name = name.substring(0, name.offsetByCodePoints(0, MAX_FILENAME_CHARS));
        }
        return name.isEmpty() ? null : name;
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", file.getFileName(), e.getMessage());
        }
    }

    static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
