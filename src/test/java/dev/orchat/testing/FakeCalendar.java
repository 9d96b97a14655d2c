package dev.orchat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calendar v3 and Tasks v1 in Google's shapes. {@code singleEvents=true} expands recurring events (RRULE
 * FREQ=DAILY|WEEKLY with COUNT) into occurrences with {@code recurringEventId}, {@code originalStartTime} and the
 * series' iCalUID, as Google does. Lists are paged at most {@link #pageSize} items at a time.
 */
public final class FakeCalendar {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId NY = ZoneId.of("America/New_York");
    private final Map<String, ObjectNode> calendars = new LinkedHashMap<>();
    private final Map<String, Map<String, ObjectNode>> events = new LinkedHashMap<>();
    private final Map<String, ObjectNode> taskLists = new LinkedHashMap<>();
    private final Map<String, List<ObjectNode>> tasks = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile int pageSize = 4;

    FakeCalendar() {
        calendar("ada@example.com", "Ada Lovelace", "owner", true, true);
        calendar("team@group.calendar.google.com", "Team", "reader", false, true);
        calendar("holidays@group.v.calendar.google.com", "Holidays", "reader", false, false);
        calendar("broken@group.calendar.google.com", "Broken", "reader", false, true);
        ObjectNode standup = timed("standup", "Standup", "2026-11-23T09:00:00-05:00", "2026-11-23T09:15:00-05:00");
        standup.putArray("recurrence").add("RRULE:FREQ=DAILY;COUNT=5");
        standup.put("iCalUID", "standup-series@google.com");
        put("ada@example.com", standup);
        ObjectNode offsite = JSON.createObjectNode().put("id", "offsite").put("summary", "Offsite").put("status", "confirmed");
        offsite.putObject("start").put("date", "2026-11-25");
        offsite.putObject("end").put("date", "2026-11-28");
        offsite.put("iCalUID", "offsite@google.com");
        put("ada@example.com", offsite);
        ObjectNode planning = timed("planning", "Planning", "2026-11-24T15:00:00-05:00", "2026-11-24T16:00:00-05:00")
                .put("location", "Room 4").put("description", "Quarterly\nplanning").put("iCalUID", "planning@example.com");
        planning.putArray("attendees").addObject().put("email", "grace@example.com").put("responseStatus", "accepted");
        put("ada@example.com", planning);
        put("team@group.calendar.google.com", planning.deepCopy().put("id", "planning-team"));
        put("team@group.calendar.google.com", timed("lunch", "Team lunch", "2026-11-26T12:00:00-05:00", "2026-11-26T13:00:00-05:00"));
        put("team@group.calendar.google.com", timed("late", "December review", "2026-12-05T10:00:00-05:00", "2026-12-05T11:00:00-05:00"));
        put("holidays@group.v.calendar.google.com", JSON.createObjectNode().put("id", "thanks").put("summary", "Thanksgiving")
                .set("start", JSON.createObjectNode().put("date", "2026-11-26")));
        ((ObjectNode) events.get("holidays@group.v.calendar.google.com").get("thanks")).putObject("end").put("date", "2026-11-27");
        taskList("list-personal", "Personal");
        taskList("list-work", "Work");
        task("list-personal", "t-tax", "File taxes", "2020-04-15T00:00:00.000Z", "needsAction", "2026-11-01T10:00:00.000Z");
        task("list-personal", "t-milk", "Buy milk", null, "needsAction", "2026-11-20T10:00:00.000Z");
        task("list-work", "t-report", "Write report", "2099-01-10T00:00:00.000Z", "needsAction", "2026-11-02T10:00:00.000Z");
        task("list-work", "t-done", "Old done thing", "2099-01-01T00:00:00.000Z", "completed", "2026-11-03T10:00:00.000Z");
    }

    public void setPageSize(int size) { pageSize = size; }
    public ObjectNode event(String calendarId, String id) { return events.get(calendarId).get(id); }

    private void calendar(String id, String summary, String role, boolean primary, boolean selected) {
        ObjectNode c = JSON.createObjectNode().put("kind", "calendar#calendarListEntry").put("id", id).put("summary", summary)
                .put("accessRole", role).put("timeZone", "America/New_York").put("selected", selected);
        if (primary) {
            c.put("primary", true);
        }
        calendars.put(id, c);
        events.put(id, new LinkedHashMap<>());
    }

    private static ObjectNode timed(String id, String summary, String start, String end) {
        ObjectNode e = JSON.createObjectNode().put("kind", "calendar#event").put("id", id).put("status", "confirmed")
                .put("summary", summary).put("iCalUID", id + "@google.com");
        e.putObject("start").put("dateTime", start).put("timeZone", "America/New_York");
        e.putObject("end").put("dateTime", end).put("timeZone", "America/New_York");
        return e;
    }

    private void put(String calendarId, ObjectNode event) {
        event.put("htmlLink", "https://www.google.com/calendar/event?eid=" + event.path("id").asText());
        events.get(calendarId).put(event.path("id").asText(), event);
    }

    private void taskList(String id, String title) {
        taskLists.put(id, JSON.createObjectNode().put("kind", "tasks#taskList").put("id", id).put("title", title)
                .put("updated", "2026-11-01T08:00:00.000Z"));
        tasks.put(id, new ArrayList<>());
    }

    private void task(String list, String id, String title, String due, String status, String updated) {
        ObjectNode t = JSON.createObjectNode().put("kind", "tasks#task").put("id", id).put("title", title).put("status", status)
                .put("updated", updated);
        if (due != null) {
            t.put("due", due);
        }
        tasks.get(list).add(t);
    }

    FakeGoogle.Answer calendarApi(FakeGoogle.Request req, String path) {
        String[] seg = path.split("/");
        if (path.equals("/users/me/calendarList")) {
            return page(new ArrayList<>(calendars.values()), req.query(), "calendar#calendarList");
        }
        if (seg.length < 4 || !seg[1].equals("calendars") || !seg[3].equals("events")) {
            return FakeGoogle.Answer.error(404, "Not Found");
        }
        String calendarId = java.net.URLDecoder.decode(seg[2], java.nio.charset.StandardCharsets.UTF_8);
        if (calendarId.equals("primary")) {
            calendarId = "ada@example.com";
        }
        if (calendarId.startsWith("broken@")) {
            return FakeGoogle.Answer.error(500, "Backend Error");
        }
        Map<String, ObjectNode> cal = events.get(calendarId);
        if (cal == null) {
            return FakeGoogle.Answer.error(404, "Not Found");
        }
        if (seg.length == 4 && req.method().equals("GET")) {
            return list(cal, req.query());
        }
        if (seg.length == 4 && req.method().equals("POST")) {
            ObjectNode e = req.json().put("id", "ev" + ids.incrementAndGet()).put("status", "confirmed");
            e.put("iCalUID", e.path("id").asText() + "@google.com");
            put(calendarId, e);
            return FakeGoogle.Answer.json(200, e);
        }
        ObjectNode e = seg.length == 5 ? cal.get(seg[4]) : null;
        if (e == null) {
            return FakeGoogle.Answer.error(404, "Not Found");
        }
        switch (req.method()) {
            case "GET":
                return FakeGoogle.Answer.json(200, e);
            case "PATCH":
                req.json().fields().forEachRemaining(f -> e.set(f.getKey(), f.getValue()));
                return FakeGoogle.Answer.json(200, e);
            case "DELETE":
                cal.remove(seg[4]);
                return new FakeGoogle.Answer(204, new byte[0], "application/json");
            default:
                return FakeGoogle.Answer.error(405, "Method Not Allowed");
        }
    }

    private FakeGoogle.Answer list(Map<String, ObjectNode> cal, Map<String, String> q) {
        Instant min = q.containsKey("timeMin") ? OffsetDateTime.parse(q.get("timeMin")).toInstant() : Instant.MIN;
        Instant max = q.containsKey("timeMax") ? OffsetDateTime.parse(q.get("timeMax")).toInstant() : Instant.MAX;
        String text = q.getOrDefault("q", "").toLowerCase(java.util.Locale.ROOT);
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode e : cal.values()) {
            List<ObjectNode> occurrences = "true".equals(q.get("singleEvents")) ? expand(e) : List.of(e);
            for (ObjectNode o : occurrences) {
                if (start(o.path("end")).isAfter(min) && start(o.path("start")).isBefore(max)
                        && (text.isEmpty() || o.path("summary").asText().toLowerCase(java.util.Locale.ROOT).contains(text))) {
                    out.add(o);
                }
            }
        }
        out.sort(Comparator.comparing(o -> start(o.path("start"))));
        return page(out, q, "calendar#events");
    }

    private static Instant start(JsonNode point) {
        return point.has("dateTime") ? OffsetDateTime.parse(point.get("dateTime").asText()).toInstant()
                : LocalDate.parse(point.path("date").asText()).atStartOfDay(NY).toInstant();
    }

    private static List<ObjectNode> expand(ObjectNode e) {
        if (!e.has("recurrence")) {
            return List.of(e);
        }
        String rule = e.path("recurrence").get(0).asText();
        int count = Integer.parseInt(rule.replaceAll(".*COUNT=(\\d+).*", "$1"));
        int step = rule.contains("FREQ=WEEKLY") ? 7 : 1;
        List<ObjectNode> out = new ArrayList<>();
        OffsetDateTime s = OffsetDateTime.parse(e.path("start").path("dateTime").asText());
        OffsetDateTime en = OffsetDateTime.parse(e.path("end").path("dateTime").asText());
        for (int i = 0; i < count; i++) {
            OffsetDateTime os = s.plusDays((long) i * step);
            ObjectNode o = e.deepCopy();
            o.remove("recurrence");
            o.put("id", e.path("id").asText() + "_" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                    .format(os.atZoneSameInstant(java.time.ZoneOffset.UTC)));
            o.put("recurringEventId", e.path("id").asText());
            o.putObject("originalStartTime").put("dateTime", os.toString()).put("timeZone", "America/New_York");
            o.putObject("start").put("dateTime", os.toString()).put("timeZone", "America/New_York");
            o.putObject("end").put("dateTime", en.plusDays((long) i * step).toString()).put("timeZone", "America/New_York");
            out.add(o);
        }
        return out;
    }

    private FakeGoogle.Answer page(List<ObjectNode> items, Map<String, String> q, String kind) {
        int size = Math.min(pageSize, Integer.parseInt(q.getOrDefault("maxResults", "250")));
        int offset = q.containsKey("pageToken") ? Integer.parseInt(q.get("pageToken").substring(1)) : 0;
        ObjectNode out = JSON.createObjectNode().put("kind", kind);
        ArrayNode list = out.putArray("items");
        items.stream().skip(offset).limit(size).forEach(list::add);
        if (offset + size < items.size()) {
            out.put("nextPageToken", "p" + (offset + size));
        }
        return FakeGoogle.Answer.json(200, out);
    }

    FakeGoogle.Answer tasksApi(FakeGoogle.Request req, String path) {
        if (path.equals("/users/@me/lists")) {
            return page(new ArrayList<>(taskLists.values()), req.query(), "tasks#taskLists");
        }
        String[] seg = path.split("/");
        if (seg.length == 4 && seg[1].equals("lists") && seg[3].equals("tasks") && tasks.containsKey(seg[2])) {
            boolean completed = "true".equals(req.query().get("showCompleted"));
            List<ObjectNode> out = tasks.get(seg[2]).stream()
                    .filter(t -> completed || !"completed".equals(t.path("status").asText())).toList();
            return page(new ArrayList<>(out), req.query(), "tasks#tasks");
        }
        return FakeGoogle.Answer.error(404, "Not Found");
    }
}
