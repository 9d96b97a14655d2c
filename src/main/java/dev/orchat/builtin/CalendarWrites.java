package dev.orchat.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.googleauth.GoogleApi;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** The event-changing tools of the calendar built-in (docs/operations.md, "MCP servers"); every call leaves an audit line. */
final class CalendarWrites {
    private final CalendarServer server;

    CalendarWrites(CalendarServer server) {
        this.server = server;
    }

    private GoogleApi api() {
        return server.api();
    }

    private static String calendarId(ObjectNode args) {
        String id = Args.optionalString(args, "calendar_id");
        return id == null || id.isBlank() ? "primary" : id.strip();
    }

    private String eventPath(String calendarId, String eventId) {
        return "/calendars/" + GoogleApi.segment(calendarId) + "/events" + (eventId == null ? "" : "/" + GoogleApi.segment(eventId));
    }

    /** start/end objects for a new or moved event. */
    private record Span(ObjectNode start, ObjectNode end) {
    }

    private Span span(ObjectNode args, ZoneId zone) {
        String startText = Args.requiredString(args, "start_time");
        String endText = Args.requiredString(args, "end_time");
        ZonedDateTime start = CalendarServer.time(args, "start_time", zone, server.clock(), null);
        ZonedDateTime end = CalendarServer.time(args, "end_time", zone, server.clock(), null);
        if (CalendarServer.dateOnly(startText)) {
            LocalDate first = start.toLocalDate();
            // The model gives the last day; the Calendar API wants the day after it.
            LocalDate after = end.withZoneSameInstant(zone).toLocalDate().plusDays(1);
            if (!after.isAfter(first)) {
                throw new Args.Invalid("end_time is before start_time.");
            }
            return new Span(date(first), date(after));
        }
        if (!end.isAfter(start)) {
            throw new Args.Invalid("end_time must be after start_time.");
        }
        return new Span(dateTime(start, zone), dateTime(end, zone));
    }

    private ObjectNode date(LocalDate day) {
        return api().mapper().createObjectNode().put("date", day.toString());
    }

    private ObjectNode dateTime(ZonedDateTime time, ZoneId zone) {
        return api().mapper().createObjectNode()
                .put("dateTime", time.truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("timeZone", zone.getId());
    }

    String create(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        ZoneId zone = ctx.timeZone();
        String calendarId = calendarId(args);
        ObjectNode body = api().mapper().createObjectNode().put("summary", Args.requiredString(args, "summary"));
        Span span = span(args, zone);
        body.set("start", span.start());
        body.set("end", span.end());
        putIfGiven(args, body, "description");
        putIfGiven(args, body, "location");
        List<String> attendees = Args.optionalStringList(args, "attendees");
        if (!attendees.isEmpty()) {
            attendees.forEach(a -> body.withArray("attendees").addObject().put("email", a));
        }
        if (Args.present(args, "reminder_minutes") != null) {
            ObjectNode reminders = body.putObject("reminders").put("useDefault", false);
            reminders.putArray("overrides").addObject().put("method", "popup")
                    .put("minutes", Args.optionalInt(args, "reminder_minutes", 10, 0, 40320));
        }
        try {
            JsonNode created = api().sendJson("POST", server.calendar(eventPath(calendarId, null), Map.of()), body);
            GoogleToolServer.audit("calendar_create_event", ctx, created.path("id").asText(), "ok");
            return "Created \"" + created.path("summary").asText() + "\" (" + CalendarEvents.timing(created, zone)
                    + ") [Calendar: " + calendarId + "] ID: " + created.path("id").asText() + "\nLink: "
                    + created.path("htmlLink").asText();
        } catch (GoogleApi.Failure e) {
            GoogleToolServer.audit("calendar_create_event", ctx, calendarId, "error " + e.status());
            throw e;
        }
    }

    private static void putIfGiven(ObjectNode args, ObjectNode body, String field) {
        String value = Args.optionalString(args, field);
        if (value != null) {
            body.put(field, value);
        }
    }

    String update(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        ZoneId zone = ctx.timeZone();
        String calendarId = calendarId(args);
        String eventId = Args.requiredString(args, "event_id");
        JsonNode current = api().getJson(server.calendar(eventPath(calendarId, eventId), Map.of()));
        ObjectNode patch = api().mapper().createObjectNode();
        String summary = Args.optionalString(args, "summary");
        if (summary != null && !summary.isBlank()) {
            patch.put("summary", summary);
        }
        putIfGiven(args, patch, "description"); // "" clears the field
        putIfGiven(args, patch, "location");
        if (Args.present(args, "attendees") != null) {
            patch.putArray("attendees");
            Args.optionalStringList(args, "attendees").forEach(a -> patch.withArray("attendees").addObject().put("email", a));
        }
        String startText = Args.optionalString(args, "start_time");
        String endText = Args.optionalString(args, "end_time");
        if (startText != null && !startText.isBlank()) {
            ObjectNode withEnd = args.deepCopy();
            if (endText == null || endText.isBlank()) {
                withEnd.put("end_time", keptEnd(current, startText, zone));
            }
            Span span = span(withEnd, zone);
            patch.set("start", span.start());
            patch.set("end", span.end());
        } else if (endText != null && !endText.isBlank()) {
            ObjectNode withStart = args.deepCopy();
            withStart.put("start_time", CalendarEvents.allDay(current) ? current.path("start").path("date").asText()
                    : current.path("start").path("dateTime").asText());
            Span span = span(withStart, zone);
            patch.set("end", span.end());
        }
        if (patch.isEmpty()) {
            throw new Args.Invalid("Give at least one field to change.");
        }
        try {
            JsonNode updated = api().sendJson("PATCH", server.calendar(eventPath(calendarId, eventId), Map.of()), patch);
            GoogleToolServer.audit("calendar_update_event", ctx, eventId, "ok");
            return "Updated \"" + updated.path("summary").asText() + "\" (" + CalendarEvents.timing(updated, zone) + ") ID: "
                    + eventId + "\nChanged: " + String.join(", ", (Iterable<String>) patch::fieldNames);
        } catch (GoogleApi.Failure e) {
            GoogleToolServer.audit("calendar_update_event", ctx, eventId, "error " + e.status());
            throw e;
        }
    }

    /** The end that keeps the event's duration when only the start moves (inclusive last day for all-day). */
    private String keptEnd(JsonNode current, String newStart, ZoneId zone) {
        ZonedDateTime start = TimeInput.parse(newStart, zone, server.clock());
        if (CalendarEvents.allDay(current)) {
            long days = ChronoUnit.DAYS.between(LocalDate.parse(current.path("start").path("date").asText()),
                    LocalDate.parse(current.path("end").path("date").asText()));
            return start.toLocalDate().plusDays(Math.max(1, days) - 1).toString();
        }
        Duration length = Duration.between(OffsetDateTime.parse(current.path("start").path("dateTime").asText()),
                OffsetDateTime.parse(current.path("end").path("dateTime").asText()));
        return start.plus(length).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    String delete(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        String calendarId = calendarId(args);
        String eventId = Args.requiredString(args, "event_id");
        JsonNode current = api().getJson(server.calendar(eventPath(calendarId, eventId), Map.of()));
        try {
            api().sendJson("DELETE", server.calendar(eventPath(calendarId, eventId), Map.of()), null);
            GoogleToolServer.audit("calendar_delete_event", ctx, eventId, "ok");
        } catch (GoogleApi.Failure e) {
            GoogleToolServer.audit("calendar_delete_event", ctx, eventId, "error " + e.status());
            throw e;
        }
        return "Deleted \"" + current.path("summary").asText("(no title)") + "\" ("
                + CalendarEvents.timing(current, ctx.timeZone()) + ") ID: " + eventId;
    }
}
