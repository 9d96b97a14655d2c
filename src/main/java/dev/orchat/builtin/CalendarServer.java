package dev.orchat.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.googleauth.GoogleApi;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import java.net.URI;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The {@code calendar} built-in (docs/operations.md, "MCP servers"): Calendar v3 events and calendars, Tasks v1 lists and tasks. */
public final class CalendarServer extends GoogleToolServer {
    public static final String DEFAULT_ID = "custom-calendar";
    static final String READ = "https://www.googleapis.com/auth/calendar.readonly";
    static final String EVENTS = "https://www.googleapis.com/auth/calendar.events";
    static final String TASKS_READ = "https://www.googleapis.com/auth/tasks.readonly";
    static final String TASKS = "https://www.googleapis.com/auth/tasks";
    private static final int MAX_PAGES = 20;

    private final List<GoogleTool> catalogue;
    private final CalendarWrites writes;
    private final TasksReader tasks;

    public CalendarServer(String id, GoogleApi api, Clock clock) {
        super(id, "calendar", api, clock);
        this.writes = new CalendarWrites(this);
        this.tasks = new TasksReader(api, clock);
        Set<String> tasksRead = Set.of(TASKS_READ, TASKS);
        this.catalogue = List.of(
                new GoogleTool(new ToolSpec("calendar_list_calendars", "List the user's Google calendars.",
                        Schemas.object().integer("max_results", "Maximum calendars.", 1, 250, 100).build()),
                        Set.of(READ), Access.READ, (a, c) -> listCalendars(a)),
                new GoogleTool(new ToolSpec("calendar_get_events",
                        "List events in a time range (recurring events expanded), across the selected calendars by default.",
                        Schemas.object()
                                .string("calendar_id", "Calendar id, 'primary', a calendar name, or 'all' (default: all selected calendars).")
                                .string("time_min", "Start of the range (default today). YYYY-MM-DD, ISO date-time or now/today/tomorrow/next_week.")
                                .string("time_max", "End of the range, inclusive for a date (default time_min + 7 days).")
                                .string("query", "Free-text filter.")
                                .integer("max_results", "Maximum events.", 1, 250, 25)
                                .bool("detailed", "Add description, location and attendees.", false).build()),
                        Set.of(READ), Access.READ, this::events),
                new GoogleTool(new ToolSpec("calendar_create_event",
                        "Create a calendar event; a date-only start makes an all-day event (end date inclusive).",
                        Schemas.object().string("summary", "Title.").string("start_time", "Start (date or date-time).")
                                .string("end_time", "End (date or date-time; a date is the last day, inclusive).")
                                .string("calendar_id", "Calendar id (default primary).").string("description", "Description.")
                                .string("location", "Location.").stringArray("attendees", "Attendee e-mail addresses.")
                                .integer("reminder_minutes", "Popup reminder this many minutes before.", 0, 40320, 10)
                                .required("summary", "start_time", "end_time").build()),
                        Set.of(EVENTS), Access.WRITE, writes::create),
                new GoogleTool(new ToolSpec("calendar_update_event",
                        "Change fields of a calendar event; a new start without an end keeps the duration; \"\" clears description or location.",
                        Schemas.object().string("event_id", "Event id.").string("calendar_id", "Calendar id (default primary).")
                                .string("summary", "Title.").string("start_time", "New start.").string("end_time", "New end.")
                                .string("description", "Description.").string("location", "Location.")
                                .stringArray("attendees", "Attendee e-mail addresses (replaces the list).")
                                .required("event_id").build()),
                        Set.of(EVENTS), Access.WRITE, writes::update),
                new GoogleTool(new ToolSpec("calendar_delete_event", "Delete a calendar event.",
                        Schemas.object().string("event_id", "Event id.").string("calendar_id", "Calendar id (default primary).")
                                .required("event_id").build()),
                        Set.of(EVENTS), Access.WRITE, writes::delete),
                new GoogleTool(new ToolSpec("calendar_list_task_lists", "List the user's Google Tasks lists.",
                        Schemas.object().integer("max_results", "Maximum lists.", 1, 100, 100).build()),
                        tasksRead, Access.READ, (a, c) -> tasks.lists(a)),
                new GoogleTool(new ToolSpec("calendar_list_tasks",
                        "List Google Tasks sorted by due date (undated last); overdue tasks are flagged.",
                        Schemas.object().string("task_list_id", "Task list id or exact title (default: all lists).")
                                .string("due_min", "Earliest due date.").string("due_max", "Latest due date (inclusive).")
                                .bool("show_completed", "Include completed tasks.", false)
                                .bool("include_undated", "Include tasks without a due date.", true)
                                .integer("max_results", "Maximum tasks.", 1, 100, 50).build()),
                        tasksRead, Access.READ, tasks::tasks));
    }

    @Override
    List<GoogleTool> catalogue() {
        return catalogue;
    }

    @Override
    List<String> readScopes() {
        return List.of(READ, EVENTS, TASKS_READ, TASKS);
    }

    @Override
    List<String> writeScopes() {
        return List.of(EVENTS);
    }

    URI calendar(String path, Map<String, ?> query) {
        return GoogleApi.url(api.connection().config().calendarBase(), path, query);
    }

    GoogleApi api() {
        return api;
    }

    Clock clock() {
        return clock;
    }

    static ZonedDateTime time(ObjectNode args, String name, ZoneId zone, Clock clock, String fallback) {
        String text = Args.optionalString(args, name);
        try {
            return TimeInput.parse(text == null || text.isBlank() ? fallback : text, zone, clock);
        } catch (DateTimeException e) {
            throw new Args.Invalid("Argument '" + name + "': " + e.getMessage());
        }
    }

    static boolean dateOnly(String text) {
        return text != null && (text.strip().matches("\\d{4}-\\d{2}-\\d{2}")
                || List.of("today", "tomorrow", "yesterday", "next_week").contains(text.strip().toLowerCase(Locale.ROOT)));
    }

    /** The user's calendar list (all pages up to {@code max}). */
    List<CalendarEvents.Calendar> calendars(int max) throws GoogleApi.Failure, InterruptedException {
        List<CalendarEvents.Calendar> out = new ArrayList<>();
        String page = null;
        for (int i = 0; i < MAX_PAGES && out.size() < max; i++) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("maxResults", Math.min(250, max));
            q.put("pageToken", page);
            JsonNode list = api.getJson(calendar("/users/me/calendarList", q));
            for (JsonNode c : list.path("items")) {
                out.add(new CalendarEvents.Calendar(c.path("id").asText(),
                        c.path("summaryOverride").asText(c.path("summary").asText(c.path("id").asText())),
                        c.path("accessRole").asText(""), c.path("primary").asBoolean(false),
                        c.path("selected").asBoolean(false), c.path("timeZone").asText("")));
            }
            page = list.path("nextPageToken").asText(null);
            if (page == null) {
                break;
            }
        }
        return out.size() > max ? out.subList(0, max) : out;
    }

    private String listCalendars(ObjectNode args) throws GoogleApi.Failure, InterruptedException {
        List<CalendarEvents.Calendar> all = calendars(Args.optionalInt(args, "max_results", 100, 1, 250));
        StringBuilder out = new StringBuilder();
        for (CalendarEvents.Calendar c : all) {
            out.append(c.name()).append(" | id: ").append(c.id()).append(" | access: ").append(c.accessRole())
                    .append(" | time zone: ").append(c.timeZone()).append(c.primary() ? " [primary]" : "").append('\n');
        }
        return all.isEmpty() ? "No calendars." : out.toString().strip();
    }

    /** Resolves an id, {@code primary}, a name or {@code all} against the user's calendar list. */
    List<CalendarEvents.Calendar> resolve(String wanted, List<CalendarEvents.Calendar> all) {
        String w = wanted == null || wanted.isBlank() ? "all" : wanted.strip();
        if (w.equalsIgnoreCase("all")) {
            return all.stream().filter(c -> c.selected() || c.primary()).toList();
        }
        if (w.equalsIgnoreCase("primary")) {
            return all.stream().filter(CalendarEvents.Calendar::primary).findFirst().map(List::of)
                    .orElse(List.of(new CalendarEvents.Calendar("primary", "primary", "owner", true, true, "")));
        }
        for (CalendarEvents.Calendar c : all) {
            if (c.id().equals(w)) {
                return List.of(c);
            }
        }
        List<CalendarEvents.Calendar> named = all.stream().filter(c -> c.name().equalsIgnoreCase(w)).toList();
        if (named.isEmpty()) {
            // Maybe a calendar that is not in the user's list; let Google decide.
            return List.of(new CalendarEvents.Calendar(w, w, "", false, true, ""));
        }
        return named.subList(0, 1);
    }

    private String events(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        ZoneId zone = ctx.timeZone();
        ZonedDateTime min = time(args, "time_min", zone, clock, "today");
        String maxText = Args.optionalString(args, "time_max");
        ZonedDateTime max = maxText == null || maxText.isBlank() ? min.plusDays(7) : time(args, "time_max", zone, clock, null);
        if (dateOnly(maxText)) {
            max = max.plusDays(1).minusNanos(1_000_000); // a date as the end means the whole day (inclusive)
        }
        if (max.isBefore(min)) {
            throw new Args.Invalid("time_max is before time_min.");
        }
        int limit = Args.optionalInt(args, "max_results", 25, 1, 250);
        boolean detailed = Args.optionalBoolean(args, "detailed", false);
        String query = Args.optionalString(args, "query");
        List<CalendarEvents.Calendar> targets = resolve(Args.optionalString(args, "calendar_id"), calendars(250));
        List<CalendarEvents.Found> found = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (CalendarEvents.Calendar c : targets) {
            try {
                for (JsonNode e : eventsOf(c.id(), min.toInstant(), max.toInstant(), query)) {
                    if (!"cancelled".equals(e.path("status").asText())) {
                        found.add(CalendarEvents.found(e, c, zone));
                    }
                }
            } catch (GoogleApi.Failure e) {
                if (e.status() == 401) {
                    throw e;
                }
                warnings.add("Warning: calendar " + c.name() + " could not be read: " + e.getMessage());
            }
        }
        List<CalendarEvents.Found> arranged = CalendarEvents.arrange(found, min.toInstant(), max.toInstant());
        StringBuilder out = new StringBuilder();
        out.append("Events from ").append(CalendarEvents.LOCAL.format(min)).append(" to ").append(CalendarEvents.LOCAL.format(max));
        out.append(arranged.size() > limit ? " (showing " + limit + " of " + arranged.size() + ")" : "").append(":\n");
        arranged.stream().limit(limit).forEach(f -> out.append(CalendarEvents.line(f, zone, detailed)).append('\n'));
        if (arranged.isEmpty()) {
            out.append("No events.\n");
        }
        warnings.forEach(w -> out.append(w).append('\n'));
        return out.toString().strip();
    }

    private List<JsonNode> eventsOf(String calendarId, Instant min, Instant max, String query)
            throws GoogleApi.Failure, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        String page = null;
        for (int i = 0; i < MAX_PAGES; i++) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("timeMin", min.toString());
            q.put("timeMax", max.plusMillis(1).toString());
            q.put("singleEvents", "true"); // Google expands recurring events into their occurrences
            q.put("orderBy", "startTime");
            q.put("maxResults", 250);
            q.put("q", query == null || query.isBlank() ? null : query.strip());
            q.put("pageToken", page);
            JsonNode list = api.getJson(calendar("/calendars/" + GoogleApi.segment(calendarId) + "/events", q));
            list.path("items").forEach(out::add);
            page = list.path("nextPageToken").asText(null);
            if (page == null) {
                break;
            }
        }
        return out;
    }
}
