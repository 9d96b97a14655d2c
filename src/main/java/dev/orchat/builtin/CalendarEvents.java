package dev.orchat.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reading Calendar v3 event resources: timing in the user zone, range checks, ordering and de-duplication. */
final class CalendarEvents {
    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx", Locale.ROOT);

    private CalendarEvents() {
    }

    /** A calendar of the user's list, ranked for de-duplication: 0 primary, 1 owned, 2 other. */
    record Calendar(String id, String name, String accessRole, boolean primary, boolean selected, String timeZone) {
        int rank() {
            return primary ? 0 : "owner".equals(accessRole) ? 1 : 2;
        }
    }

    /** One event occurrence with the calendar it came from. */
    record Found(JsonNode event, Calendar calendar, Instant start, Instant end) {
    }

    static boolean allDay(JsonNode event) {
        return event.path("start").has("date");
    }

    /** Start and end instants; all-day dates count from midnight in the user zone, the end date exclusive. */
    static Found found(JsonNode event, Calendar calendar, ZoneId zone) {
        return new Found(event, calendar, instant(event.path("start"), zone), instant(event.path("end"), zone));
    }

    private static Instant instant(JsonNode point, ZoneId zone) {
        if (point.has("dateTime")) {
            return OffsetDateTime.parse(point.get("dateTime").asText()).toInstant();
        }
        if (point.has("date")) {
            return LocalDate.parse(point.get("date").asText()).atStartOfDay(zone).toInstant();
        }
        return Instant.EPOCH;
    }

    /**
     * Keeps occurrences overlapping [min, max], sorted by start, one per (iCalUID, start) preferring the primary
     * calendar, then owned ones; a recurring series' occurrences share the iCalUID but not the start.
     */
    static List<Found> arrange(List<Found> all, Instant min, Instant max) {
        List<Found> kept = new ArrayList<>();
        for (Found f : all) {
            if (!f.end().isBefore(min) && !f.start().isAfter(max) && (f.end().isAfter(min) || f.start().equals(min))) {
                kept.add(f);
            }
        }
        kept.sort(Comparator.comparing(Found::start).thenComparing(f -> f.calendar().rank())
                .thenComparing(f -> f.event().path("summary").asText("")));
        Set<String> seen = new HashSet<>();
        List<Found> out = new ArrayList<>();
        for (Found f : kept) {
            String uid = f.event().path("iCalUID").asText(f.event().path("id").asText());
            if (seen.add(uid + "|" + f.start())) {
                out.add(f);
            }
        }
        return out;
    }

    /** Local times with offsets; all-day ranges inclusive (the API's end date is exclusive). */
    static String timing(JsonNode event, ZoneId zone) {
        if (allDay(event)) {
            LocalDate start = LocalDate.parse(event.path("start").path("date").asText());
            LocalDate end = event.path("end").has("date")
                    ? LocalDate.parse(event.path("end").path("date").asText()).minusDays(1) : start;
            return end.isAfter(start) ? start + " to " + end + ", all day" : start + ", all day";
        }
        ZonedDateTime start = OffsetDateTime.parse(event.path("start").path("dateTime").asText()).atZoneSameInstant(zone);
        ZonedDateTime end = OffsetDateTime.parse(event.path("end").path("dateTime").asText()).atZoneSameInstant(zone);
        return LOCAL.format(start) + " to " + LOCAL.format(end);
    }

    static String line(Found f, ZoneId zone, boolean detailed) {
        JsonNode e = f.event();
        StringBuilder sb = new StringBuilder("\"").append(e.path("summary").asText("(no title)")).append("\" (")
                .append(timing(e, zone)).append(") [Calendar: ").append(f.calendar().name()).append("] ID: ")
                .append(e.path("id").asText());
        if (detailed) {
            if (e.hasNonNull("location")) {
                sb.append("\n  Location: ").append(e.get("location").asText());
            }
            if (e.hasNonNull("description")) {
                sb.append("\n  Description: ").append(e.get("description").asText().replaceAll("\\s+", " ").strip());
            }
            List<String> people = new ArrayList<>();
            e.path("attendees").forEach(a -> people.add(a.path("email").asText()
                    + (a.has("responseStatus") ? " (" + a.get("responseStatus").asText() + ")" : "")));
            if (!people.isEmpty()) {
                sb.append("\n  Attendees: ").append(String.join(", ", people));
            }
        }
        return sb.toString();
    }
}
