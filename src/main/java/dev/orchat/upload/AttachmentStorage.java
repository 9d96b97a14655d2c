package dev.orchat.upload;

import dev.orchat.conversation.SessionIds;
import dev.orchat.web.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The uploads folder (docs/api.md §2.21): every path is resolved inside the canonical root, bytes arrive in a
 * {@code .part} file and become visible only by an atomic rename, so a reader never sees a half-written file.
 */
public final class AttachmentStorage {
    private static final int SLUG_MAX = 60;
    private final Path root;

    public AttachmentStorage(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot use the uploads folder " + root + ": " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    /** What {@link #receive} wrote: a temporary file, its size, its leading bytes and its SHA-256. */
    public record Received(Path partFile, long size, byte[] head, int headLength, String sha256) {
    }

    /** The session's folder, created owner-only; a session id that would leave the root is refused (400). */
    public Path sessionDir(String sessionId) throws IOException {
        Path dir = confined(sessionId);
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Created concurrently by another upload of the same session.
            }
        }
        if (!root.equals(dir.toRealPath().getParent())) {
            throw ApiException.badRequest("Invalid attachment path"); // e.g. a symlink planted in the root
        }
        return dir;
    }

    /**
     * Copies {@code body} into a new {@code .part} file in {@code dir}, hashing as it goes. Over {@code cap}
     * bytes the partial file is deleted and 413 is thrown before the rest of the body is read.
     */
    public Received receive(InputStream body, Path dir, long cap) throws IOException {
        Path part = Files.createTempFile(dir, "upload-", ".part");
        boolean kept = false;
        try {
            MessageDigest sha = sha256();
            byte[] head = new byte[AttachmentTypes.HEAD_BYTES];
            int headLength = 0;
            long size = 0;
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(part)) {
                int n;
                while ((n = body.read(chunk)) >= 0) {
                    size += n;
                    if (size > cap) {
                        throw ApiException.tooLarge("Attachment exceeded " + cap + " bytes limit");
                    }
                    if (headLength < head.length) {
                        int copy = Math.min(n, head.length - headLength);
                        System.arraycopy(chunk, 0, head, headLength, copy);
                        headLength += copy;
                    }
                    sha.update(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
            kept = true;
            return new Received(part, size, head, headLength, HexFormat.of().formatHex(sha.digest()));
        } finally {
            if (!kept) {
                Files.deleteIfExists(part);
            }
        }
    }

    /** Moves a received file to its final name in the session folder; returns the path relative to the root. */
    public String publish(Path partFile, String sessionId, String fileName) throws IOException {
        Path dir = sessionDir(sessionId);
        Path target = dir.resolve(fileName).normalize();
        if (!dir.equals(target.getParent())) {
            throw ApiException.badRequest("Invalid attachment path");
        }
        try {
            Files.move(partFile, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partFile, target);
        }
        return sessionId + "/" + fileName;
    }

    /** The absolute file of a stored relative path, or null when the path would leave the root. */
    public Path resolve(String storagePath) {
        Path file = root.resolve(storagePath).normalize();
        return file.startsWith(root) && !file.equals(root) ? file : null;
    }

    /** Deletes a stored file; returns its size, 0 when it was already gone. */
    public long delete(String storagePath) throws IOException {
        Path file = resolve(storagePath);
        if (file == null || !Files.isRegularFile(file)) {
            return 0;
        }
        long size = Files.size(file);
        Files.deleteIfExists(file);
        return size;
    }

    /** {@code <id>__<slug><ext>}, or {@code <id><ext>} when the filename gives no slug (docs/api.md §2.21). */
    public static String fileName(String attachmentId, String filename, String extension) {
        String slug = slug(filename);
        return slug.isEmpty() ? attachmentId + extension : attachmentId + "__" + slug + extension;
    }

    static String slug(String filename) {
        if (filename == null) {
            return "";
        }
        String base = filename.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        String stem = dot > 0 ? base.substring(0, dot) : base;
        String slug = stem.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-+|-+$", "").toLowerCase(Locale.ROOT);
        if (slug.length() > SLUG_MAX) {
            slug = slug.substring(0, SLUG_MAX);
        }
        return slug.replaceAll("-+$", "");
    }

    private Path confined(String sessionId) {
        if (!SessionIds.isValid(sessionId)) {
            throw ApiException.badRequest("Invalid session id for storage");
        }
        Path dir = root.resolve(sessionId).normalize();
        if (!root.equals(dir.getParent())) {
            throw ApiException.badRequest("Invalid attachment path");
        }
        return dir;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
