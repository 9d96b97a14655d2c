package dev.orchat.transfer;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything stored about one session, as column maps (docs/api.md "orchat JSON"). Column maps rather than
 * typed records so the dump follows the schema: a column added by a later migration is exported and restored
 * without a change here. JSON-valued columns are listed so they travel as JSON, not as strings of JSON.
 */
record SessionRows(Map<String, Object> session, List<Map<String, Object>> turns, List<Map<String, Object>> messages,
                   List<Map<String, Object>> generations, List<Map<String, Object>> messageAttachments,
                   List<Map<String, Object>> attachments) {

    static final Set<String> MESSAGE_JSON = Set.of("tool_calls", "usage", "reasoning", "reasoning_details", "routing",
            "meta", "extra");
    static final Set<String> GENERATION_JSON = Set.of("usage", "routing", "meta");

    /** Local paths never leave the machine; files travel as ZIP entries named by attachment id. */
    static final Set<String> PRIVATE_ATTACHMENT_COLUMNS = Set.of("storage_path");

    static boolean isJson(String table, String column, Map<String, Object> row) {
        return switch (table) {
            case "messages" -> MESSAGE_JSON.contains(column)
                    || column.equals("content") && "parts".equals(row.get("content_kind"));
            case "generations" -> GENERATION_JSON.contains(column);
            default -> false;
        };
    }
}
