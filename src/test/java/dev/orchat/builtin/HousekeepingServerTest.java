package dev.orchat.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import dev.orchat.mcp.ToolRegistry.ToolResult;
import dev.orchat.mcp.ToolServer.ToolSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.orchat.conversation.MessageRow;
import org.junit.jupiter.api.Test;

/** The housekeeping built-in against a fixed clock and an in-memory message source. */
class HousekeepingServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ToolContext CONTEXT = new ToolContext("s1", "t1", NEW_YORK);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-10-21T16:09:51.678Z"), ZoneOffset.UTC);

    private final HousekeepingServer server = new HousekeepingServer(CLOCK, id -> List.of());

    private ToolResult call(HousekeepingServer target, String tool, String arguments) throws Exception {
        return target.call(tool, (ObjectNode) JSON.readTree(arguments), CONTEXT);
    }

    private JsonNode ok(String tool, String arguments) throws Exception {
        ToolResult result = call(server, tool, arguments);
        assertThat(result.isError()).as(result.text()).isFalse();
        return JSON.readTree(result.text());
    }

    private String error(String tool, String arguments) throws Exception {
        ToolResult result = call(server, tool, arguments);
        assertThat(result.isError()).as(result.text()).isTrue();
        return result.text();
    }

    @Test
    void listsTheFiveToolsWithObjectSchemas() {
        assertThat(server.id()).isEqualTo("housekeeping");
        assertThat(server.tools()).extracting(ToolSpec::name)
                .containsExactly("current_time", "convert_time", "date_add", "date_diff", "chat_history");
        for (ToolSpec spec : server.tools()) {
            assertThat(spec.inputSchema().path("type").asText()).isEqualTo("object");
            assertThat(spec.inputSchema().path("properties").isObject()).isTrue();
        }
        assertThat(server.tools().get(1).inputSchema().path("required").toString())
                .isEqualTo("[\"time\",\"to_timezone\"]");
        assertThat(server.tools().get(4).inputSchema().path("properties").has("session_id")).isFalse();
    }

    @Test
    void currentTimeInTheUserZone() throws Exception {
        ToolResult result = call(server, "current_time", "{}");
        assertThat(result.text()).contains("\"utc_unix_precise\":1761062991.678000");
        JsonNode out = JSON.readTree(result.text());
        assertThat(fieldNames(out)).containsExactly("format", "value", "utc_iso", "utc_unix", "utc_unix_precise",
                "local_iso", "local_display", "timezone", "utc_offset", "abbreviation", "context_lines",
                "context_summary");
        assertThat(out.path("format").asText()).isEqualTo("iso");
        assertThat(out.path("value").asText()).isEqualTo("2025-10-21T16:09:51.678Z");
        assertThat(out.path("utc_iso").asText()).isEqualTo("2025-10-21T16:09:51.678Z");
        assertThat(out.path("utc_unix").asLong()).isEqualTo(1761062991L);
        assertThat(out.path("local_iso").asText()).isEqualTo("2025-10-21T12:09:51.678-04:00");
        assertThat(out.path("local_display").asText()).isEqualTo("Tue Oct 21 2025 12:09:51 PM EDT");
        assertThat(out.path("timezone").asText()).isEqualTo("America/New_York");
        assertThat(out.path("utc_offset").asText()).isEqualTo("UTC-04:00");
        assertThat(out.path("abbreviation").asText()).isEqualTo("EDT");
        List<String> lines = List.of(
                "Date: Tuesday, October 21, 2025",
                "Time: 12:09:51 PM EDT",
                "Time zone: America/New_York (UTC-04:00)",
                "Local ISO: 2025-10-21T12:09:51.678-04:00",
                "UTC ISO: 2025-10-21T16:09:51.678Z",
                "This week: Monday, October 20, 2025 – Sunday, October 26, 2025",
                "Tomorrow: Wednesday, October 22, 2025",
                "In 3 days: Friday, October 24, 2025",
                "Next week: Monday, October 27, 2025 – Sunday, November 2, 2025");
        assertThat(JSON.convertValue(out.path("context_lines"), List.class)).isEqualTo(lines);
        assertThat(out.path("context_summary").asText()).isEqualTo(String.join("\n", lines));
    }

    @Test
    void currentTimeInAnotherZoneAndUnixFormat() throws Exception {
        JsonNode out = ok("current_time", "{\"timezone\":\"Asia/Kolkata\",\"format\":\"unix\"}");
        assertThat(out.path("value").isTextual()).isTrue();
        assertThat(out.path("value").asText()).isEqualTo("1761062991");
        assertThat(out.path("local_display").asText()).isEqualTo("Tue Oct 21 2025 9:39:51 PM IST");
        assertThat(out.path("utc_offset").asText()).isEqualTo("UTC+05:30");
        assertThat(out.path("timezone").asText()).isEqualTo("Asia/Kolkata");

        JsonNode utc = ok("current_time", "{\"timezone\":\"UTC\"}");
        assertThat(utc.path("utc_offset").asText()).isEqualTo("UTC+00:00");
        assertThat(utc.path("local_iso").asText()).isEqualTo("2025-10-21T16:09:51.678+00:00");
    }

    @Test
    void currentTimeRejectsUnknownZonesAndFormats() throws Exception {
        assertThat(error("current_time", "{\"timezone\":\"Mars/Olympus\"}"))
                .isEqualTo("Unknown time zone 'Mars/Olympus'; use an IANA name such as Europe/Paris.");
        assertThat(error("current_time", "{\"format\":\"rfc\"}")).isEqualTo("Argument 'format' must be one of: iso, unix.");
        assertThat(error("current_time", "{\"timezone\":5}")).isEqualTo("Argument 'timezone' must be a string.");
    }

    @Test
    void convertTime() throws Exception {
        JsonNode out = ok("convert_time", "{\"time\":\"2025-10-21 09:00\",\"to_timezone\":\"Europe/London\"}");
        assertThat(fieldNames(out)).containsExactly("input", "from_timezone", "to_timezone", "result_iso", "result_display");
        assertThat(out.path("input").asText()).isEqualTo("2025-10-21 09:00");
        assertThat(out.path("from_timezone").asText()).isEqualTo("America/New_York");
        assertThat(out.path("to_timezone").asText()).isEqualTo("Europe/London");
        assertThat(out.path("result_iso").asText()).isEqualTo("2025-10-21T14:00:00+01:00");
        assertThat(out.path("result_display").asText()).isEqualTo("Tue Oct 21 2025 2:00:00 PM BST");

        JsonNode tokyo = ok("convert_time", "{\"time\":\"2025-10-21T09:00:00\",\"from_timezone\":\"Europe/Paris\","
                + "\"to_timezone\":\"Asia/Tokyo\"}");
        assertThat(tokyo.path("result_iso").asText()).isEqualTo("2025-10-21T16:00:00+09:00");

        // An explicit offset wins over from_timezone.
        JsonNode given = ok("convert_time", "{\"time\":\"2025-10-21T09:00:00Z\",\"from_timezone\":\"Europe/Paris\","
                + "\"to_timezone\":\"America/New_York\"}");
        assertThat(given.path("result_iso").asText()).isEqualTo("2025-10-21T05:00:00-04:00");
        assertThat(given.path("result_display").asText()).isEqualTo("Tue Oct 21 2025 5:00:00 AM EDT");

        JsonNode now = ok("convert_time", "{\"time\":\"now\",\"to_timezone\":\"Asia/Tokyo\"}");
        assertThat(now.path("result_iso").asText()).isEqualTo("2025-10-22T01:09:51.678+09:00");
    }

    @Test
    void convertTimeErrors() throws Exception {
        assertThat(error("convert_time", "{\"time\":\"now\"}")).isEqualTo("Argument 'to_timezone' is required.");
        assertThat(error("convert_time", "{\"to_timezone\":\"UTC\"}")).isEqualTo("Argument 'time' is required.");
        assertThat(error("convert_time", "{\"time\":\"now\",\"to_timezone\":\"Nowhere\"}")).startsWith("Unknown time zone");
        assertThat(error("convert_time", "{\"time\":\"soon\",\"to_timezone\":\"UTC\"}"))
                .isEqualTo("Unrecognised time 'soon'; use YYYY-MM-DD, an ISO-8601 date-time, or one of now, today,"
                        + " tomorrow, yesterday, next_week.");
        assertThat(error("convert_time", "{\"time\":\"2025-02-30\",\"to_timezone\":\"UTC\"}")).startsWith("Unrecognised time");
    }

    @Test
    void dateAdd() throws Exception {
        JsonNode out = ok("date_add", "{\"date\":\"2025-10-21\",\"amount\":\"P3D\"}");
        assertThat(fieldNames(out)).containsExactly("input", "amount", "result_iso", "weekday");
        assertThat(out.path("input").asText()).isEqualTo("2025-10-21");
        assertThat(out.path("amount").asText()).isEqualTo("P3D");
        assertThat(out.path("result_iso").asText()).isEqualTo("2025-10-24T00:00:00-04:00");
        assertThat(out.path("weekday").asText()).isEqualTo("Friday");

        JsonNode back = ok("date_add", "{\"amount\":\"-P1W\"}");
        assertThat(back.path("input").asText()).isEqualTo("now");
        assertThat(back.path("result_iso").asText()).isEqualTo("2025-10-14T12:09:51.678-04:00");
        assertThat(back.path("weekday").asText()).isEqualTo("Tuesday");

        assertThat(ok("date_add", "{\"amount\":\"PT90M\"}").path("result_iso").asText())
                .isEqualTo("2025-10-21T13:39:51.678-04:00");
        assertThat(ok("date_add", "{\"date\":\"2025-10-21T08:00\",\"amount\":\"P1DT2H\"}").path("result_iso").asText())
                .isEqualTo("2025-10-22T10:00:00-04:00");
        assertThat(ok("date_add", "{\"date\":\"2025-01-31\",\"amount\":\"P1M\"}").path("result_iso").asText())
                .isEqualTo("2025-02-28T00:00:00-05:00");
        // Input with an offset is read as given and shown in the user zone.
        assertThat(ok("date_add", "{\"date\":\"2025-10-21T10:00:00Z\",\"amount\":\"PT1H\"}").path("result_iso").asText())
                .isEqualTo("2025-10-21T07:00:00-04:00");
    }

    @Test
    void dateAddAcrossDaylightSavingKeepsCalendarDaysButNotHours() throws Exception {
        assertThat(ok("date_add", "{\"date\":\"2025-11-01T12:00\",\"amount\":\"P1D\"}").path("result_iso").asText())
                .isEqualTo("2025-11-02T12:00:00-05:00");
        assertThat(ok("date_add", "{\"date\":\"2025-11-01T12:00\",\"amount\":\"PT24H\"}").path("result_iso").asText())
                .isEqualTo("2025-11-02T11:00:00-05:00");
    }

    @Test
    void keywords() throws Exception {
        assertThat(resultOf("today")).isEqualTo("2025-10-21T00:00:00-04:00");
        assertThat(resultOf("TOMORROW")).isEqualTo("2025-10-22T00:00:00-04:00");
        assertThat(resultOf("yesterday")).isEqualTo("2025-10-20T00:00:00-04:00");
        assertThat(resultOf("next_week")).isEqualTo("2025-10-27T00:00:00-04:00");
        assertThat(ok("date_add", "{\"date\":\"next_week\",\"amount\":\"P0D\"}").path("weekday").asText()).isEqualTo("Monday");
    }

    @Test
    void nextWeekFromMondayAndSunday() throws Exception {
        Clock monday = Clock.fixed(Instant.parse("2025-10-27T15:00:00Z"), ZoneOffset.UTC);
        Clock sunday = Clock.fixed(Instant.parse("2025-10-26T15:00:00Z"), ZoneOffset.UTC);
        String args = "{\"date\":\"next_week\",\"amount\":\"P0D\"}";
        assertThat(JSON.readTree(call(new HousekeepingServer(monday, id -> List.of()), "date_add", args).text())
                .path("result_iso").asText()).isEqualTo("2025-11-03T00:00:00-05:00");
        assertThat(JSON.readTree(call(new HousekeepingServer(sunday, id -> List.of()), "date_add", args).text())
                .path("result_iso").asText()).isEqualTo("2025-10-27T00:00:00-04:00");
    }

    @Test
    void dateAddErrors() throws Exception {
        assertThat(error("date_add", "{}")).isEqualTo("Argument 'amount' is required.");
        assertThat(error("date_add", "{\"amount\":\"3 days\"}"))
                .isEqualTo("Amount '3 days' is not an ISO-8601 period or duration such as P3D, -P1W or PT90M.");
        assertThat(error("date_add", "{\"amount\":\"PT\"}")).startsWith("Amount 'PT' is not");
        assertThat(error("date_add", "{\"amount\":\"P1D\",\"date\":\"someday\"}")).startsWith("Unrecognised time 'someday'");
        assertThat(error("date_add", "{\"amount\":\"PT9223372036854775807S\"}")).isNotBlank();
        assertThat(error("date_diff", "{\"start\":\"-999999999-01-01\",\"end\":\"+999999999-12-31\",\"unit\":\"minutes\"}"))
                .isNotBlank();
    }

    @Test
    void dateDiff() throws Exception {
        JsonNode out = ok("date_diff", "{\"start\":\"2025-10-25\",\"end\":\"2025-10-21\"}");
        assertThat(fieldNames(out)).containsExactly("start_iso", "end_iso", "unit", "value", "calendar_days");
        assertThat(out.path("start_iso").asText()).isEqualTo("2025-10-25T00:00:00-04:00");
        assertThat(out.path("end_iso").asText()).isEqualTo("2025-10-21T00:00:00-04:00");
        assertThat(out.path("unit").asText()).isEqualTo("days");
        assertThat(out.path("value").toString()).isEqualTo("-4");
        assertThat(out.path("calendar_days").asLong()).isEqualTo(-4);

        JsonNode hours = ok("date_diff", "{\"start\":\"2025-10-21T10:00\",\"end\":\"2025-10-21T11:30\",\"unit\":\"hours\"}");
        assertThat(hours.path("value").toString()).isEqualTo("1.5");
        assertThat(hours.path("calendar_days").asLong()).isZero();

        JsonNode minutes = ok("date_diff", "{\"start\":\"now\",\"end\":\"2025-10-21T16:00:00Z\",\"unit\":\"minutes\"}");
        assertThat(minutes.path("value").toString()).isEqualTo("-9.8613");
        assertThat(minutes.path("end_iso").asText()).isEqualTo("2025-10-21T12:00:00-04:00");

        assertThat(ok("date_diff", "{\"start\":\"2025-10-21T00:00\",\"end\":\"2025-10-21T12:00\"}").path("value").toString())
                .isEqualTo("0.5");
        assertThat(ok("date_diff", "{\"start\":\"2025-10-22T12:00\",\"end\":\"2025-10-21T00:00\"}").path("value").toString())
                .isEqualTo("-1.5");
        JsonNode late = ok("date_diff", "{\"start\":\"2025-10-21T23:00\",\"end\":\"2025-10-22T01:00\"}");
        assertThat(late.path("calendar_days").asLong()).isEqualTo(1);
        assertThat(late.path("value").toString()).isEqualTo("0.083333");
    }

    @Test
    void dateDiffAcrossDaylightSaving() throws Exception {
        assertThat(ok("date_diff", "{\"start\":\"2025-11-01\",\"end\":\"2025-11-03\"}").path("value").toString())
                .isEqualTo("2");
        assertThat(ok("date_diff", "{\"start\":\"2025-11-01\",\"end\":\"2025-11-03\",\"unit\":\"hours\"}")
                .path("value").toString()).isEqualTo("49");
    }

    @Test
    void dateDiffErrors() throws Exception {
        assertThat(error("date_diff", "{\"start\":\"today\"}")).isEqualTo("Argument 'end' is required.");
        assertThat(error("date_diff", "{\"start\":\"today\",\"end\":\"today\",\"unit\":\"weeks\"}"))
                .isEqualTo("Argument 'unit' must be one of: days, hours, minutes.");
    }

    @Test
    void unknownToolAndUnknownArguments() throws Exception {
        assertThat(call(server, "sleep", "{}")).isEqualTo(new ToolResult("Unknown tool: sleep", true));
        assertThat(ok("date_add", "{\"date\":\"2025-10-21\",\"amount\":\"P3D\",\"timezone\":\"Asia/Tokyo\"}")
                .path("result_iso").asText()).isEqualTo("2025-10-24T00:00:00-04:00");
    }

    // ---- chat_history ----

    private String resultOf(String date) throws Exception {
        return ok("date_add", "{\"date\":\"" + date + "\",\"amount\":\"P0D\"}").path("result_iso").asText();
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
