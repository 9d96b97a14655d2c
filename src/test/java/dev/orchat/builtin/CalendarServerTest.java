package dev.orchat.builtin;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.AuditCapture;
import dev.orchat.testing.FakeGoogle;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.GoogleClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.ToolTurns;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The calendar built-in (docs/operations.md, "MCP servers") through the chat loop against the fake Calendar and Tasks APIs. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class CalendarServerTest {
    static final FakeOpenRouter MODEL = FakeOpenRouter.start();
    static final FakeGoogle GOOGLE = FakeGoogle.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(MODEL, DIR, GOOGLE.settings(DIR,
            TestApp.set("google.enableWrite", "true"), TestApp.set("google.retryDelay", "10ms")));
    static final AtomicInteger SESSIONS = new AtomicInteger();
    static volatile ListAppender<ILoggingEvent> AUDIT;
    static volatile boolean connected;

    @AfterAll
    static void stop() {
        MODEL.close();
        GOOGLE.close();
    }

    @BeforeEach
    void connectOnce() throws Exception {
        if (!connected) {
            GOOGLE.calendar().setPageSize(2); // every list the tool reads spans several pages
            new GoogleClient(APP.getLocalPort(), GOOGLE).connect(true);
            AUDIT = AuditCapture.start();
            connected = true;
        }
    }

    static ToolTurns.Outcome call(String tool, String args) throws Exception {
        return ToolTurns.call(APP.getLocalPort(), MODEL, "cal-" + SESSIONS.incrementAndGet(), tool, args);
    }

    @Test
    void toolsFollowTheGrantedScopes() throws Exception {
        assertThat(GoogleClient.toolNames(new GoogleClient(APP.getLocalPort(), GOOGLE).server("custom-calendar")))
                .containsExactlyInAnyOrder("calendar_auth_status", "calendar_list_calendars", "calendar_get_events",
                        "calendar_create_event", "calendar_update_event", "calendar_delete_event",
                        "calendar_list_task_lists", "calendar_list_tasks");
    }

    @Test
    void calendarsAcrossPagesWithThePrimaryMarked() throws Exception {
        List<String> lines = call("calendar_list_calendars", "{}").text().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("Ada Lovelace | id: ada@example.com | access: owner | time zone: America/New_York [primary]");
        assertThat(call("calendar_list_calendars", "{\"max_results\":3}").text().lines()).hasSize(3);
    }

    @Test
    void eventsExpandRecurrenceDeduplicateByICalUidAndShowAllDayRangesInclusively() throws Exception {
        ToolTurns.Outcome r = call("calendar_get_events", "{\"time_min\":\"2026-11-23\",\"time_max\":\"2026-11-27\"}");
        assertThat(r.isError()).as(r.text()).isFalse();
        List<String> lines = r.text().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Events from 2026-11-23 00:00 -05:00 to 2026-11-27 23:59 -05:00:");
        assertThat(lines).filteredOn(l -> l.startsWith("\"Standup\"")).hasSize(5);
        assertThat(lines).contains(
                "\"Standup\" (2026-11-23 09:00 -05:00 to 2026-11-23 09:15 -05:00) [Calendar: Ada Lovelace] ID: standup_20261123T140000Z",
                "\"Planning\" (2026-11-24 15:00 -05:00 to 2026-11-24 16:00 -05:00) [Calendar: Ada Lovelace] ID: planning",
                "\"Offsite\" (2026-11-25 to 2026-11-27, all day) [Calendar: Ada Lovelace] ID: offsite",
                "\"Team lunch\" (2026-11-26 12:00 -05:00 to 2026-11-26 13:00 -05:00) [Calendar: Team] ID: lunch");
        assertThat(lines).filteredOn(l -> l.startsWith("\"Planning\"")).hasSize(1);
        assertThat(r.text()).doesNotContain("December review").doesNotContain("Thanksgiving");
        assertThat(lines.get(lines.size() - 1)).startsWith("Warning: calendar Broken could not be read: Google answered with an error (HTTP 500)");
        // Sorted by start: the Tuesday standup comes before Tuesday's planning, which precedes Wednesday.
        assertThat(r.text().indexOf("standup_20261124")).isLessThan(r.text().indexOf("ID: planning"));
        assertThat(r.text().indexOf("ID: planning")).isLessThan(r.text().indexOf("standup_20261125"));
    }

    @Test
    void aDateAsTimeMaxCoversThatWholeDayAndNoMore() throws Exception {
        String day = call("calendar_get_events", "{\"time_min\":\"2026-11-23\",\"time_max\":\"2026-11-23\",\"calendar_id\":\"primary\"}").text();
        assertThat(day.lines().filter(l -> l.startsWith("\""))).containsExactly(
                "\"Standup\" (2026-11-23 09:00 -05:00 to 2026-11-23 09:15 -05:00) [Calendar: Ada Lovelace] ID: standup_20261123T140000Z");
        String byName = call("calendar_get_events", "{\"time_min\":\"2026-11-26\",\"time_max\":\"2026-11-26\",\"calendar_id\":\"HOLIDAYS\"}").text();
        assertThat(byName).contains("\"Thanksgiving\" (2026-11-26, all day) [Calendar: Holidays]");
    }

    @Test
    void limitsQueriesAndDetails() throws Exception {
        assertThat(call("calendar_get_events", "{\"time_min\":\"2026-11-23\",\"time_max\":\"2026-11-27\",\"max_results\":2}").text())
                .startsWith("Events from 2026-11-23 00:00 -05:00 to 2026-11-27 23:59 -05:00 (showing 2 of 8):");
        String lunch = call("calendar_get_events", "{\"time_min\":\"2026-11-23\",\"time_max\":\"2026-11-27\",\"query\":\"lunch\"}").text();
        assertThat(lunch.lines().filter(l -> l.startsWith("\""))).hasSize(1);
        String detailed = call("calendar_get_events", "{\"time_min\":\"2026-11-24T14:00\",\"time_max\":\"2026-11-24T18:00\","
                + "\"calendar_id\":\"ada@example.com\",\"detailed\":true}").text();
        assertThat(detailed).contains("  Location: Room 4\n  Description: Quarterly planning\n  Attendees: grace@example.com (accepted)");
        assertThat(call("calendar_get_events", "{\"time_min\":\"soon\"}").isError()).isTrue();
        assertThat(call("calendar_get_events", "{\"time_min\":\"2026-11-23\",\"time_max\":\"2026-11-01\"}").text())
                .isEqualTo("time_max is before time_min.");
    }

    @Test
    void createTimedAndAllDayEventsInTheUserZone() throws Exception {
        ToolTurns.Outcome timed = call("calendar_create_event", "{\"summary\":\"Review\",\"start_time\":\"2026-12-01T10:00\","
                + "\"end_time\":\"2026-12-01 11:30\",\"attendees\":[\"bob@example.com\"],\"reminder_minutes\":15}");
        assertThat(timed.text()).startsWith("Created \"Review\" (2026-12-01 10:00 -05:00 to 2026-12-01 11:30 -05:00) [Calendar: primary] ID: ev");
        String id = timed.text().replaceAll("(?s).*ID: (ev\\d+).*", "$1");
        JsonNode stored = GOOGLE.calendar().event("ada@example.com", id);
        assertThat(stored.path("start").path("dateTime").asText()).isEqualTo("2026-12-01T10:00:00-05:00");
        assertThat(stored.path("start").path("timeZone").asText()).isEqualTo("America/New_York");
        assertThat(stored.path("reminders").toString()).isEqualTo("{\"useDefault\":false,\"overrides\":[{\"method\":\"popup\",\"minutes\":15}]}");
        assertThat(stored.path("attendees").get(0).path("email").asText()).isEqualTo("bob@example.com");

        ToolTurns.Outcome allDay = call("calendar_create_event", "{\"summary\":\"Holiday\",\"start_time\":\"2026-12-24\",\"end_time\":\"2026-12-26\"}");
        assertThat(allDay.text()).contains("(2026-12-24 to 2026-12-26, all day)");
        String allDayId = allDay.text().replaceAll("(?s).*ID: (ev\\d+).*", "$1");
        JsonNode day = GOOGLE.calendar().event("ada@example.com", allDayId);
        assertThat(day.path("end").path("date").asText()).as("API end date is exclusive").isEqualTo("2026-12-27");
        assertThat(day.has("reminders")).as("calendar default reminders").isFalse();
        assertThat(call("calendar_create_event", "{\"summary\":\"x\",\"start_time\":\"2026-12-01T10:00\",\"end_time\":\"2026-12-01T09:00\"}").text())
                .isEqualTo("end_time must be after start_time.");
        assertThat(AUDIT.list).anyMatch(e -> e.getFormattedMessage().contains("calendar_create_event") && e.getFormattedMessage().contains(id));
    }

    @Test
    void updateKeepsTheDurationClearsFieldsAndDeleteNamesTheEvent() throws Exception {
        ToolTurns.Outcome created = call("calendar_create_event", "{\"summary\":\"Sync\",\"start_time\":\"2026-12-02T09:00\","
                + "\"end_time\":\"2026-12-02T09:45\",\"location\":\"Room 1\"}");
        String id = created.text().replaceAll("(?s).*ID: (ev\\d+).*", "$1");
        ToolTurns.Outcome moved = call("calendar_update_event", "{\"event_id\":\"" + id + "\",\"start_time\":\"2026-12-03T14:00\",\"location\":\"\"}");
        assertThat(moved.text()).startsWith("Updated \"Sync\" (2026-12-03 14:00 -05:00 to 2026-12-03 14:45 -05:00)");
        assertThat(GOOGLE.calendar().event("ada@example.com", id).path("location").asText()).isEmpty();
        assertThat(call("calendar_update_event", "{\"event_id\":\"" + id + "\"}").text()).isEqualTo("Give at least one field to change.");
        ToolTurns.Outcome deleted = call("calendar_delete_event", "{\"event_id\":\"" + id + "\"}");
        assertThat(deleted.text()).isEqualTo("Deleted \"Sync\" (2026-12-03 14:00 -05:00 to 2026-12-03 14:45 -05:00) ID: " + id);
        assertThat(GOOGLE.calendar().event("ada@example.com", id)).isNull();
        assertThat(call("calendar_delete_event", "{\"event_id\":\"" + id + "\"}")).isEqualTo(new ToolTurns.Outcome(true, "Not found"));
        assertThat(AUDIT.list).anyMatch(e -> e.getFormattedMessage().contains("calendar_delete_event") && e.getFormattedMessage().endsWith("outcome=ok"));
    }

    @Test
    void taskListsAndTasksSortedByDueWithOverdueFlagged() throws Exception {
        assertThat(call("calendar_list_task_lists", "{}").text().lines())
                .containsExactly("Personal | id: list-personal | updated: 2026-11-01T08:00:00.000Z",
                        "Work | id: list-work | updated: 2026-11-01T08:00:00.000Z");
        assertThat(call("calendar_list_tasks", "{}").text().lines()).containsExactly(
                "- [ ] File taxes (due 2020-04-15) [OVERDUE] | list: Personal | id: t-tax",
                "- [ ] Write report (due 2099-01-10) | list: Work | id: t-report",
                "- [ ] Buy milk (no due date) | list: Personal | id: t-milk");
        assertThat(call("calendar_list_tasks", "{\"task_list_id\":\"Work\",\"show_completed\":true}").text().lines()).containsExactly(
                "- [x] Old done thing (due 2099-01-01) | list: Work | id: t-done",
                "- [ ] Write report (due 2099-01-10) | list: Work | id: t-report");
        assertThat(call("calendar_list_tasks", "{\"due_min\":\"2021-01-01\",\"include_undated\":false}").text().lines())
                .containsExactly("- [ ] Write report (due 2099-01-10) | list: Work | id: t-report");
        assertThat(call("calendar_list_tasks", "{\"max_results\":1}").text()).startsWith("Showing 1 of 3 tasks.\n- [ ] File taxes");
        assertThat(call("calendar_list_tasks", "{\"task_list_id\":\"Nope\"}").text()).isEqualTo("No task list with id or title 'Nope'.");
    }
}
