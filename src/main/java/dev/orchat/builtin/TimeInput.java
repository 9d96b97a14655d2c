package dev.orchat.builtin;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The time inputs and outputs shared by the time-aware built-ins (docs/operations.md, "MCP servers"): parsing of dates, date-times and
 * keywords relative to a zone, ISO-8601 amounts, and the local/UTC renderings the tools print.
 */
public final class TimeInput {
    private static final Pattern DATE_ONLY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern SPACED_DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d.*");
    private static final DateTimeFormatter DISPLAY = DateTimeFormatter.ofPattern("EEE MMM dd uuuu h:mm:ss a zzz", Locale.US);
    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("h:mm:ss a zzz", Locale.US);
    private static final DateTimeFormatter ABBREVIATION = DateTimeFormatter.ofPattern("zzz", Locale.US);
    private static final DateTimeFormatter LONG_DATE = DateTimeFormatter.ofPattern("EEEE, MMMM d, uuuu", Locale.US);
    private static final DateTimeFormatter LOCAL_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter LOCAL_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS");
    private static final DateTimeFormatter UTC_ISO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private TimeInput() {
    }

    /** A signed ISO-8601 amount; the calendar part moves local dates, the time part moves the instant. */
    public record Amount(Period period, Duration duration) {
        public ZonedDateTime addTo(ZonedDateTime time) {
            return time.plus(period).plus(duration);
        }
    }

    /**
     * Parses {@code YYYY-MM-DD} (midnight in {@code zone}), a date-time without offset (in {@code zone}), a
     * date-time with {@code Z} or an offset (kept as given) or one of the keywords {@code now}, {@code today},
     * {@code tomorrow}, {@code yesterday}, {@code next_week} (Monday of next week, midnight).
     *
     * @throws DateTimeException with a one-sentence message when the text is none of these
     */
    public static ZonedDateTime parse(String text, ZoneId zone, Clock clock) {
        String value = text == null ? "" : text.strip();
        LocalDate today = LocalDate.now(clock.withZone(zone));
        switch (value.toLowerCase(Locale.ROOT)) {
            case "now":
                return ZonedDateTime.now(clock.withZone(zone)).truncatedTo(ChronoUnit.MILLIS);
            case "today":
                return today.atStartOfDay(zone);
            case "tomorrow":
                return today.plusDays(1).atStartOfDay(zone);
            case "yesterday":
                return today.minusDays(1).atStartOfDay(zone);
            case "next_week":
                return today.with(TemporalAdjusters.next(DayOfWeek.MONDAY)).atStartOfDay(zone);
            default:
                break;
        }
        try {
            if (DATE_ONLY.matcher(value).matches()) {
                return LocalDate.parse(value).atStartOfDay(zone);
            }
            // Models often write the space form that SQL and humans use.
            String iso = SPACED_DATE_TIME.matcher(value).matches() ? value.replaceFirst(" ", "T") : value;
            if (hasOffset(iso)) {
                return ZonedDateTime.parse(iso, DateTimeFormatter.ISO_ZONED_DATE_TIME);
            }
            return LocalDateTime.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(zone);
        } catch (DateTimeParseException e) {
            throw new DateTimeException("Unrecognised time '" + value + "'; use YYYY-MM-DD, an ISO-8601 date-time,"
                    + " or one of now, today, tomorrow, yesterday, next_week.");
        }
    }

    private static boolean hasOffset(String iso) {
        int t = iso.indexOf('T');
        if (t < 0) {
            return false;
        }
        String time = iso.substring(t);
        return time.contains("Z") || time.contains("+") || time.contains("-") || time.contains("[");
    }

    /**
     * Parses {@code P3D}, {@code -P1W}, {@code PT90M}, {@code P1DT2H} and the like.
     *
     * @throws DateTimeException with a one-sentence message when the text is not an ISO-8601 amount
     */
    public static Amount parseAmount(String text) {
        String value = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        boolean negative = value.startsWith("-");
        String body = negative || value.startsWith("+") ? value.substring(1) : value;
        try {
            // java.time splits the notation in two: Period knows no hours, Duration knows no months.
            if (!body.startsWith("P") || body.length() < 2) {
                throw new DateTimeParseException("not an amount", value, 0);
            }
            int t = body.indexOf('T');
            String datePart = t < 0 ? body : body.substring(0, t);
            Period period = "P".equals(datePart) ? Period.ZERO : Period.parse(datePart);
            Duration duration = t < 0 ? Duration.ZERO : Duration.parse("P" + body.substring(t));
            return negative ? new Amount(period.negated(), duration.negated()) : new Amount(period, duration);
        } catch (DateTimeParseException e) {
            throw new DateTimeException("Amount '" + (text == null ? "" : text.strip())
                    + "' is not an ISO-8601 period or duration such as P3D, -P1W or PT90M.");
        }
    }

    /** Local ISO-8601 with the numeric offset (never {@code Z}, so a local time always shows it is local). */
    public static String localIso(ZonedDateTime time) {
        ZonedDateTime millis = time.truncatedTo(ChronoUnit.MILLIS);
        DateTimeFormatter pattern = millis.getNano() == 0 ? LOCAL_SECONDS : LOCAL_MILLIS;
        return pattern.format(millis) + offsetText(millis.getOffset());
    }

    /** UTC with exactly three fractional digits, the service-wide instant format (docs/api.md §1). */
    public static String utcIso(Instant instant) {
        return UTC_ISO.format(instant);
    }

    /** E.g. {@code Tue Oct 21 2025 12:09:51 PM EDT}. */
    public static String display(ZonedDateTime time) {
        return DISPLAY.format(time);
    }

    /** E.g. {@code 12:09:51 PM EDT}. */
    public static String timeOfDay(ZonedDateTime time) {
        return TIME_OF_DAY.format(time);
    }

    public static String abbreviation(ZonedDateTime time) {
        return ABBREVIATION.format(time);
    }

    /** E.g. {@code UTC-04:00}; zero is {@code UTC+00:00} rather than java.time's {@code Z}. */
    public static String utcOffset(ZoneOffset offset) {
        return "UTC" + offsetText(offset);
    }

    /** E.g. {@code Tuesday, October 21, 2025}. */
    public static String longDate(LocalDate date) {
        return LONG_DATE.format(date);
    }

    public static String weekday(ZonedDateTime time) {
        return time.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US);
    }

    private static String offsetText(ZoneOffset offset) {
        return offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId();
    }
}
