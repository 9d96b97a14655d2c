package dev.orchat.transfer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The orchat JSON format of one session (docs/api.md "orchat JSON"): a versioned envelope around the stored
 * rows, written straight to the response so an export never builds a second copy of the session in memory.
 */
final class OrchatJson {
    static final String FORMAT = "orchat-session";
    static final int VERSION = 1;

    private final ObjectMapper mapper;

    OrchatJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void write(SessionRows rows, String exportedAt, JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("format", FORMAT);
        out.writeNumberField("version", VERSION);
        out.writeStringField("exported_at", exportedAt);
        out.writeFieldName("session");
        writeRow("sessions", rows.session(), out);
        writeRows("turns", "turns", rows.turns(), out);
        writeRows("messages", "messages", rows.messages(), out);
        writeRows("generations", "generations", rows.generations(), out);
        writeRows("message_attachments", "message_attachments", rows.messageAttachments(), out);
        writeRows("attachments", "attachments", rows.attachments(), out);
        out.writeEndObject();
        out.flush();
    }

    private void writeRows(String field, String table, List<Map<String, Object>> rows, JsonGenerator out) throws IOException {
        out.writeArrayFieldStart(field);
        for (Map<String, Object> row : rows) {
            writeRow(table, row, out);
        }
        out.writeEndArray();
    }

    private void writeRow(String table, Map<String, Object> row, JsonGenerator out) throws IOException {
        out.writeStartObject();
        for (Map.Entry<String, Object> column : row.entrySet()) {
            out.writeFieldName(column.getKey());
            Object value = column.getValue();
            if (value instanceof String text && SessionRows.isJson(table, column.getKey(), row)) {
                out.writeTree(parseOrText(text));
            } else {
                writeScalar(value, out);
            }
        }
        out.writeEndObject();
    }

    /**
     * SQLite hands back only numbers and text; PostgreSQL also BOOLEAN (written as 0/1, the documented form, so an
     * export reads the same from either database) and NUMERIC. Anything else is written as its text rather than
     * failing the export.
     */
    private static void writeScalar(Object value, JsonGenerator out) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            out.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number n) {
            out.writeNumber(n.doubleValue());
        } else if (value instanceof Boolean b) {
            out.writeNumber(b ? 1 : 0);
        } else {
            out.writeString(value.toString());
        }
    }

    /** A JSON column that does not parse is kept as its text, so nothing is lost on the way out. */
    private JsonNode parseOrText(String text) {
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            return mapper.getNodeFactory().textNode(text);
        }
    }
}
