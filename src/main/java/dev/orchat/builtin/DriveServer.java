package dev.orchat.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.googleauth.GoogleApi;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import dev.orchat.upload.PdfText;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The read-only {@code gdrive} built-in (docs/operations.md, "MCP servers") over the Drive v3 API, shared drives included. */
public final class DriveServer extends GoogleToolServer {
    public static final String DEFAULT_ID = "custom-gdrive";
    static final String READ = "https://www.googleapis.com/auth/drive.readonly";
    static final long MAX_DOWNLOAD = 20L * 1024 * 1024;
    static final String FOLDER = "application/vnd.google-apps.folder";
    private static final String LIST_FIELDS = "nextPageToken,files(id,name,mimeType,size,modifiedTime,webViewLink)";
    private static final List<String> SYNTAX = List.of("name ", "mimetype", "modifiedtime", "fulltext", "parents", " and ", " or ", "'");
    private static final Map<String, String> EXPORTS = Map.of(
            "application/vnd.google-apps.document", "text/plain",
            "application/vnd.google-apps.spreadsheet", "text/csv",
            "application/vnd.google-apps.presentation", "text/plain");

    private final int pdfMaxPages;
    private final List<GoogleTool> catalogue;

    public DriveServer(String id, GoogleApi api, Clock clock, int pdfMaxPages) {
        super(id, "gdrive", api, clock);
        this.pdfMaxPages = pdfMaxPages;
        Set<String> read = Set.of(READ);
        this.catalogue = List.of(
                new GoogleTool(new ToolSpec("gdrive_search_files",
                        "Search Google Drive (plain words search the full text; Drive query syntax is used as given). Newest first.",
                        Schemas.object().string("query", "Words to find, or a Drive query such as name contains 'plan'.")
                                .integer("page_size", "Files per page.", 1, 50, 10)
                                .string("page_token", "next_page_token from a previous search.")
                                .string("drive_id", "Only this shared drive.")
                                .bool("include_items_from_all_drives", "Include shared drives.", true)
                                .required("query").build()),
                        read, Access.READ, this::search),
                new GoogleTool(new ToolSpec("gdrive_list_folder", "List the files in a Drive folder (by id or by path such as Reports/2024).",
                        Schemas.object().string("folder_id", "Folder id (default root).")
                                .string("folder_path", "Folder path from My Drive, e.g. Reports/2024.")
                                .integer("page_size", "Files per page.", 1, 100, 50)
                                .string("page_token", "next_page_token from a previous listing.").build()),
                        read, Access.READ, this::listFolder),
                new GoogleTool(new ToolSpec("gdrive_get_file_content",
                        "Read a Drive file as text (Docs, Sheets as CSV, Slides, PDF, text, JSON, Office documents).",
                        Schemas.object().string("file_id", "File id.")
                                .integer("max_chars", "Maximum characters of text.", 1, 200_000, 20_000)
                                .required("file_id").build()),
                        read, Access.READ, this::content),
                new GoogleTool(new ToolSpec("gdrive_get_file_metadata", "Show a Drive file's metadata and sharing summary.",
                        Schemas.object().string("file_id", "File id.").required("file_id").build()),
                        read, Access.READ, (a, c) -> metadata(a, c)));
    }

    @Override
    List<GoogleTool> catalogue() {
        return catalogue;
    }

    @Override
    List<String> readScopes() {
        return List.of(READ);
    }

    @Override
    List<String> writeScopes() {
        return List.of();
    }

    private URI drive(String path, Map<String, ?> query) {
        return GoogleApi.url(api.connection().config().driveBase(), path, query);
    }

    /** Drive query syntax is passed through; anything else becomes a full-text search with quotes escaped. */
    static String driveQuery(String query) {
        String lower = query.toLowerCase(Locale.ROOT);
        if (SYNTAX.stream().anyMatch(lower::contains)) {
            return query;
        }
        return "fullText contains '" + quote(query) + "'";
    }

    static String quote(String text) {
        return text.replace("\\", "\\\\").replace("'", "\\'");
    }

    private JsonNode list(String q, int pageSize, String pageToken, String driveId, boolean allDrives)
            throws GoogleApi.Failure, InterruptedException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("q", q);
        p.put("pageSize", pageSize);
        p.put("pageToken", pageToken);
        p.put("orderBy", "modifiedTime desc");
        p.put("fields", LIST_FIELDS);
        p.put("supportsAllDrives", "true");
        if (driveId != null && !driveId.isBlank()) {
            p.put("corpora", "drive");
            p.put("driveId", driveId.strip());
            p.put("includeItemsFromAllDrives", "true");
        } else if (allDrives) {
            p.put("corpora", "allDrives");
            p.put("includeItemsFromAllDrives", "true");
        }
        return api.getJson(drive("/files", p));
    }

    private static String line(JsonNode f, ZoneId zone) {
        String modified = f.hasNonNull("modifiedTime")
                ? CalendarEvents.LOCAL.format(OffsetDateTime.parse(f.get("modifiedTime").asText()).atZoneSameInstant(zone)) : "";
        return f.path("name").asText() + " | id: " + f.path("id").asText() + " | type: " + f.path("mimeType").asText()
                + (f.has("size") ? " | size: " + f.get("size").asText() + " bytes" : "") + " | modified: " + modified
                + " | " + f.path("webViewLink").asText("");
    }

    private static String render(JsonNode answer, ZoneId zone, String empty) {
        StringBuilder out = new StringBuilder();
        answer.path("files").forEach(f -> out.append(line(f, zone)).append('\n'));
        if (out.length() == 0) {
            out.append(empty).append('\n');
        }
        if (answer.hasNonNull("nextPageToken")) {
            out.append("next_page_token: ").append(answer.get("nextPageToken").asText()).append('\n');
        }
        return out.toString().strip();
    }

    private String search(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        String query = Args.requiredString(args, "query");
        JsonNode answer = list(driveQuery(query), Args.optionalInt(args, "page_size", 10, 1, 50),
                Args.optionalString(args, "page_token"), Args.optionalString(args, "drive_id"),
                Args.optionalBoolean(args, "include_items_from_all_drives", true));
        return render(answer, ctx.timeZone(), "No files match.");
    }

    private String listFolder(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        String folder = Args.optionalString(args, "folder_id");
        folder = folder == null || folder.isBlank() ? "root" : folder.strip();
        String path = Args.optionalString(args, "folder_path");
        StringBuilder notes = new StringBuilder();
        if (path != null && !path.isBlank()) {
            for (String segment : path.strip().split("/")) {
                if (segment.isBlank()) {
                    continue;
                }
                JsonNode matches = list("'" + quote(folder) + "' in parents and name = '" + quote(segment)
                        + "' and mimeType = '" + FOLDER + "' and trashed = false", 10, null, null, true).path("files");
                if (matches.isEmpty()) {
                    throw new Args.Invalid("No folder named '" + segment + "' in the path " + path.strip() + ".");
                }
                // Newest first: the most recently modified folder of that name wins; the others are mentioned.
                folder = matches.get(0).path("id").asText();
                for (int i = 1; i < matches.size(); i++) {
                    notes.append("Note: another folder named '").append(segment).append("' exists (id: ")
                            .append(matches.get(i).path("id").asText()).append(").\n");
                }
            }
        }
        JsonNode answer = list("'" + quote(folder) + "' in parents and trashed = false",
                Args.optionalInt(args, "page_size", 50, 1, 100), Args.optionalString(args, "page_token"), null, true);
        return (notes + "Folder " + folder + ":\n" + render(answer, ctx.timeZone(), "The folder is empty.")).strip();
    }

    private JsonNode file(String id, String fields) throws GoogleApi.Failure, InterruptedException {
        return api.getJson(drive("/files/" + GoogleApi.segment(id), Map.of("fields", fields, "supportsAllDrives", "true")));
    }

    private String content(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        String id = Args.requiredString(args, "file_id");
        int max = Args.optionalInt(args, "max_chars", 20_000, 1, 200_000);
        JsonNode f = file(id, "id,name,mimeType,size,webViewLink");
        String mime = f.path("mimeType").asText("");
        if (f.has("size") && f.get("size").asLong() > MAX_DOWNLOAD) {
            throw new Args.Invalid("The file is larger than 20 MiB and is not downloaded.");
        }
        String text;
        String export = EXPORTS.get(mime);
        if (export != null) {
            text = utf8(api.getBytes(drive("/files/" + GoogleApi.segment(id) + "/export", Map.of("mimeType", export)), MAX_DOWNLOAD));
        } else if (mime.equals("application/pdf")) {
            try {
                text = PdfText.extract(media(id), pdfMaxPages).text();
            } catch (PdfText.Unreadable e) {
                throw new Args.Invalid("The PDF could not be read: " + e.getMessage() + ".");
            }
        } else if (mime.startsWith("text/") || mime.equals("application/json")) {
            text = utf8(media(id));
        } else if (OfficeText.handles(mime)) {
            text = OfficeText.extract(media(id));
        } else {
            throw new Args.Invalid("File type not readable as text");
        }
        return "Name: " + f.path("name").asText() + "\nID: " + id + "\nType: " + mime + "\nLink: " + f.path("webViewLink").asText("")
                + "\n\n" + PdfText.limit(text.strip(), max);
    }

    private byte[] media(String id) throws GoogleApi.Failure, InterruptedException {
        try {
            return api.getBytes(drive("/files/" + GoogleApi.segment(id), Map.of("alt", "media", "supportsAllDrives", "true")), MAX_DOWNLOAD);
        } catch (GoogleApi.Failure e) {
            if (e.status() == 413) {
                throw new Args.Invalid("The file is larger than 20 MiB and is not downloaded.");
            }
            throw e;
        }
    }

    private static String utf8(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    private String metadata(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        String id = Args.requiredString(args, "file_id");
        JsonNode f = file(id, "id,name,mimeType,size,createdTime,modifiedTime,owners(displayName,emailAddress),parents,"
                + "webViewLink,shared,permissions(type,role,emailAddress)");
        ZoneId zone = ctx.timeZone();
        List<String> owners = new ArrayList<>();
        f.path("owners").forEach(o -> owners.add(o.path("displayName").asText() + " <" + o.path("emailAddress").asText() + ">"));
        List<String> parents = new ArrayList<>();
        f.path("parents").forEach(p -> parents.add(p.asText()));
        String anyone = null;
        int users = 0;
        int groups = 0;
        for (JsonNode p : f.path("permissions")) {
            switch (p.path("type").asText()) {
                case "anyone" -> anyone = p.path("role").asText();
                case "user" -> users++;
                case "group" -> groups++;
                default -> { }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("Name: ").append(f.path("name").asText()).append("\nID: ").append(f.path("id").asText())
                .append("\nMIME type: ").append(f.path("mimeType").asText());
        if (f.has("size")) {
            out.append("\nSize: ").append(f.get("size").asText()).append(" bytes");
        }
        out.append("\nCreated: ").append(local(f, "createdTime", zone)).append("\nModified: ").append(local(f, "modifiedTime", zone))
                .append("\nOwners: ").append(owners.isEmpty() ? "(shared drive)" : String.join(", ", owners))
                .append("\nParents: ").append(String.join(", ", parents))
                .append("\nLink: ").append(f.path("webViewLink").asText(""))
                .append("\nSharing: ").append(anyone == null ? "not shared by link" : "anyone with the link (" + anyone + ")")
                .append("; ").append(users).append(users == 1 ? " user" : " users").append(", ")
                .append(groups).append(groups == 1 ? " group" : " groups").append(" with access");
        return out.toString();
    }

    private static String local(JsonNode f, String field, ZoneId zone) {
        return f.hasNonNull(field) ? CalendarEvents.LOCAL.format(OffsetDateTime.parse(f.get(field).asText()).atZoneSameInstant(zone)) : "";
    }
}
