package dev.orchat.builtin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import dev.orchat.mcp.ToolRegistry.ToolResult;
import dev.orchat.mcp.ToolServer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code housekeeping} built-in (docs/operations.md, "MCP servers"): current time, time-zone conversion, date arithmetic and the
 * current session's history. Times without an offset are read in the user time zone from the call context;
 * results are shown in that zone with their offset.
 */
public final class HousekeepingServer implements ToolServer {
    public static final String DEFAULT_ID = "housekeeping";
    private static final List<String> FORMATS = List.of("iso", "unix");
    private static final List<String> UNITS = List.of("days", "hours", "minutes");
    private static final String TIME_HELP = "YYYY-MM-DD, an ISO-8601 date-time (without offset: the user time zone),"
            + " or now, today, tomorrow, yesterday, next_week";

    private final String id;
    private final Clock clock;
    private final ChatHistoryTool history;
    private final List<ToolSpec> tools;
    // Exact decimals keep utc_unix_precise at six places; plain output keeps numbers out of scientific notation.
    private final ObjectMapper mapper = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    public HousekeepingServer(Clock clock, SessionMessages messages) {
        this(DEFAULT_ID, clock, messages);
    }

    /** For a configuration that gives the built-in another id (docs/configuration.md §4). */
    public HousekeepingServer(String id, Clock clock, SessionMessages messages) {
        this.id = id;
        this.clock = clock;
        this.history = new ChatHistoryTool(messages, mapper);
        this.tools = List.of(
                new ToolSpec("current_time", "Current date and time with calendar context for a time zone.",
                        Schemas.object()
                                .string("timezone", "IANA time zone, e.g. Europe/Paris (default: the user's).")
                                .stringEnum("format", "Form of 'value': UTC ISO-8601 or Unix seconds (default iso).",
                                        FORMATS)
                                .build()),
                new ToolSpec("convert_time", "Convert a time from one time zone to another.",
                        Schemas.object()
                                .string("time", "The time: " + TIME_HELP + ".")
                                .string("from_timezone", "IANA zone the time is in (default: the user's).")
                                .string("to_timezone", "IANA zone to convert to.")
                                .required("time", "to_timezone")
                                .build()),
                new ToolSpec("date_add", "Add an ISO-8601 period or duration to a date or time.",
                        Schemas.object()
                                .string("date", "Start: " + TIME_HELP + " (default now).")
                                .string("amount", "ISO-8601 period or duration, e.g. P3D, -P1W, PT90M, P1DT2H.")
                                .required("amount")
                                .build()),
                new ToolSpec("date_diff", "Time between two dates or times; negative when end is earlier.",
                        Schemas.object()
                                .string("start", "Start: " + TIME_HELP + ".")
                                .string("end", "End: " + TIME_HELP + ".")
                                .stringEnum("unit", "Unit of 'value' (default days).", UNITS)
                                .required("start", "end")
                                .build()),
                ChatHistoryTool.spec());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<ToolSpec> tools() {
        return tools;
    }

    @Override
    public ToolResult call(String tool, ObjectNode arguments, ToolContext context) {
        ZoneId userZone = context != null && context.timeZone() != null ? context.timeZone() : clock.getZone();
        try {
            return switch (tool) {
                case "current_time" -> json(currentTime(arguments, userZone));
                case "convert_time" -> json(convertTime(arguments, userZone));
                case "date_add" -> json(dateAdd(arguments, userZone));
                case "date_diff" -> json(dateDiff(arguments, userZone));
                case ChatHistoryTool.NAME -> history.call(arguments, context, userZone);
                default -> new ToolResult("Unknown tool: " + tool, true);
            };
        } catch (Args.Invalid | DateTimeException e) {
            return new ToolResult(e.getMessage(), true);
        } catch (ArithmeticException e) {
            // Only absurd amounts (millions of years, overflowing durations) get here.
            return new ToolResult("The result is outside the supported date range.", true);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write the result of " + tool, e);
        }
    }

    private ObjectNode currentTime(ObjectNode args, ZoneId userZone) {
        ZoneId zone = zone(args, "timezone", userZone);
        String format = Args.optionalEnum(args, "format", "iso", FORMATS);
        Instant now = clock.instant();
        ZonedDateTime local = now.atZone(zone);
        LocalDate today = local.toLocalDate();
        LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));

        List<String> lines = List.of(
                "Date: " + TimeInput.longDate(today),
                "Time: " + TimeInput.timeOfDay(local),
                "Time zone: " + zone.getId() + " (" + TimeInput.utcOffset(local.getOffset()) + ")",
                "Local ISO: " + TimeInput.localIso(local),
                "UTC ISO: " + TimeInput.utcIso(now),
                "This week: " + TimeInput.longDate(monday) + " – " + TimeInput.longDate(monday.plusDays(6)),
                "Tomorrow: " + TimeInput.longDate(today.plusDays(1)),
                "In 3 days: " + TimeInput.longDate(today.plusDays(3)),
                "Next week: " + TimeInput.longDate(monday.plusWeeks(1)) + " – "
                        + TimeInput.longDate(monday.plusWeeks(1).plusDays(6)));

        ObjectNode out = mapper.createObjectNode();
        out.put("format", format);
        out.put("value", "unix".equals(format) ? Long.toString(now.getEpochSecond()) : TimeInput.utcIso(now));
        out.put("utc_iso", TimeInput.utcIso(now));
        out.put("utc_unix", now.getEpochSecond());
        out.put("utc_unix_precise", BigDecimal.valueOf(now.getEpochSecond())
                .add(BigDecimal.valueOf(now.getNano(), 9))
                .setScale(6, RoundingMode.DOWN));
        out.put("local_iso", TimeInput.localIso(local));
        out.put("local_display", TimeInput.display(local));
        out.put("timezone", zone.getId());
        out.put("utc_offset", TimeInput.utcOffset(local.getOffset()));
        out.put("abbreviation", TimeInput.abbreviation(local));
        ArrayNode contextLines = out.putArray("context_lines");
        lines.forEach(contextLines::add);
        out.put("context_summary", String.join("\n", lines));
        return out;
    }

    private ObjectNode convertTime(ObjectNode args, ZoneId userZone) {
        String time = Args.requiredString(args, "time");
        ZoneId from = zone(args, "from_timezone", userZone);
        ZoneId to = zone(args, "to_timezone", null);
        ZonedDateTime result = TimeInput.parse(time, from, clock).withZoneSameInstant(to);
        ObjectNode out = mapper.createObjectNode();
        out.put("input", time);
        out.put("from_timezone", from.getId());
        out.put("to_timezone", to.getId());
        out.put("result_iso", TimeInput.localIso(result));
        out.put("result_display", TimeInput.display(result));
        return out;
    }

    private ObjectNode dateAdd(ObjectNode args, ZoneId userZone) {
        String date = Args.optionalString(args, "date");
        String input = date == null || date.isBlank() ? "now" : date.strip();
        String amountText = Args.requiredString(args, "amount");
        TimeInput.Amount amount = TimeInput.parseAmount(amountText);
        // Calendar amounts follow the user's calendar, so the start moves into the user zone before adding.
        ZonedDateTime start = TimeInput.parse(input, userZone, clock).withZoneSameInstant(userZone);
        ZonedDateTime result = amount.addTo(start);
        ObjectNode out = mapper.createObjectNode();
        out.put("input", input);
        out.put("amount", amountText);
        out.put("result_iso", TimeInput.localIso(result));
        out.put("weekday", TimeInput.weekday(result));
        return out;
    }

    private ObjectNode dateDiff(ObjectNode args, ZoneId userZone) {
        String startText = Args.requiredString(args, "start");
        String endText = Args.requiredString(args, "end");
        String unit = Args.optionalEnum(args, "unit", "days", UNITS);
        ZonedDateTime start = TimeInput.parse(startText, userZone, clock).withZoneSameInstant(userZone);
        ZonedDateTime end = TimeInput.parse(endText, userZone, clock).withZoneSameInstant(userZone);
        BigDecimal value = switch (unit) {
            case "hours" -> ratio(Duration.between(start, end), Duration.ofHours(1));
            case "minutes" -> ratio(Duration.between(start, end), Duration.ofMinutes(1));
            default -> {
                // Whole days count on the local calendar so a DST change does not turn 2 days into 2.041667.
                long whole = ChronoUnit.DAYS.between(start, end);
                yield BigDecimal.valueOf(whole).add(ratio(Duration.between(start.plusDays(whole), end), Duration.ofDays(1)));
            }
        };
        ObjectNode out = mapper.createObjectNode();
        out.put("start_iso", TimeInput.localIso(start));
        out.put("end_iso", TimeInput.localIso(end));
        out.put("unit", unit);
        BigDecimal plain = value.stripTrailingZeros();
        if (plain.scale() <= 0) {
            out.put("value", plain.toBigIntegerExact());
        } else {
            out.put("value", plain);
        }
        out.put("calendar_days", ChronoUnit.DAYS.between(start.toLocalDate(), end.toLocalDate()));
        return out;
    }

    private static BigDecimal ratio(Duration amount, Duration unit) {
        return BigDecimal.valueOf(amount.toMillis()).divide(BigDecimal.valueOf(unit.toMillis()), 6, RoundingMode.HALF_UP);
    }

    private static ZoneId zone(ObjectNode args, String name, ZoneId fallback) {
        String text = fallback == null ? Args.requiredString(args, name) : Args.optionalString(args, name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            throw new Args.Invalid("Unknown time zone '" + text.strip() + "'; use an IANA name such as Europe/Paris.");
        }
    }

    private ToolResult json(ObjectNode out) throws JsonProcessingException {
        return new ToolResult(mapper.writeValueAsString(out), false);
    }
}
