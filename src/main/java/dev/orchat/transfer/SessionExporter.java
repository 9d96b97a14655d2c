package dev.orchat.transfer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.web.ApiException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes exports (docs/api.md "Export"): one session as Markdown or orchat JSON, or a ZIP of sessions with
 * {@code manifest.json}, {@code sessions/<id>.json} and, when asked, {@code files/<attachment id>}. Everything is
 * written to the output as it is read, one session in memory at a time.
 */
final class SessionExporter {
    private static final Logger LOG = LoggerFactory.getLogger(SessionExporter.class);
    static final String MANIFEST_FORMAT = "orchat-export";

    private final SessionReader reader;
    private final ObjectMapper mapper;
    private final OrchatJson json;
    private final MarkdownExport markdown;
    private final Path uploadsRoot;
    private final Clock clock;

    SessionExporter(SessionReader reader, ObjectMapper mapper, Path uploadsRoot, Clock clock) {
        this.reader = reader;
        this.mapper = mapper;
        this.json = new OrchatJson(mapper);
        this.markdown = new MarkdownExport(mapper);
        this.uploadsRoot = uploadsRoot.toAbsolutePath().normalize();
        this.clock = clock;
    }

    /** 404 before any byte is written, so a missing session is an ordinary error response. */
    SessionRows require(String sessionId) {
        return reader.read(sessionId).orElseThrow(() -> ApiException.notFound("Session not found"));
    }

    void writeJson(SessionRows rows, OutputStream out) throws IOException {
        try (JsonGenerator gen = mapper.getFactory().createGenerator(unclosable(out))) {
            json.write(rows, Instant.now(clock).toString(), gen);
        }
    }

    void writeMarkdown(SessionRows rows, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(unclosable(out), StandardCharsets.UTF_8);
        markdown.write(rows, writer);
        writer.flush();
    }

    /** A ZIP of the given sessions; a session deleted while the ZIP is written is left out. */
    void writeZip(List<String> sessionIds, boolean markdownFormat, boolean includeFiles, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.putNextEntry(new ZipEntry("manifest.json"));
        mapper.writeValue(unclosable(zip), Map.of("format", MANIFEST_FORMAT, "version", OrchatJson.VERSION,
                "exported_at", Instant.now(clock).toString(), "sessions", sessionIds.size(),
                "content", markdownFormat ? "markdown" : "orchat-session"));
        zip.closeEntry();
        for (String id : sessionIds) {
            var rows = reader.read(id);
            if (rows.isEmpty()) {
                continue;
            }
            if (includeFiles && !markdownFormat) {
                writeFiles(id, zip); // before the session, so a streaming import has them when the session arrives
            }
            zip.putNextEntry(new ZipEntry("sessions/" + id + (markdownFormat ? ".md" : ".json")));
            if (markdownFormat) {
                writeMarkdown(rows.get(), zip);
            } else {
                writeJson(rows.get(), zip);
            }
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    List<String> allSessionIds() {
        return reader.allIds();
    }

    private void writeFiles(String sessionId, ZipOutputStream zip) throws IOException {
        for (Map<String, Object> file : reader.files(sessionId)) {
            Path path = uploadsRoot.resolve(String.valueOf(file.get("storage_path"))).normalize();
            if (!path.startsWith(uploadsRoot) || !Files.isRegularFile(path)) {
                LOG.warn("Export of session {}: file of attachment {} is missing", sessionId, file.get("id"));
                continue;
            }
            zip.putNextEntry(new ZipEntry("files/" + file.get("id")));
            Files.copy(path, zip);
            zip.closeEntry();
        }
    }

    /** Jackson and writers close what they wrap; the response and ZIP streams are closed by their owners. */
    private static OutputStream unclosable(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
