package dev.orchat.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;

/**
 * Every way an upstream call can fail, classified here and nowhere else (docs/api.md, "Upstream errors"), with
 * the status the contract assigns: the upstream's HTTP status, 502 for transport failures and broken streams,
 * 504 for silence past the timeout.
 */
public abstract sealed class UpstreamException extends Exception
        permits UpstreamException.Refused, UpstreamException.Transport, UpstreamException.Broken {
    private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);
    private final int status;
    private final String detail;

    private UpstreamException(int status, String detail, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.detail = detail;
    }

    public int status() { return status; }
    public String detail() { return detail; }

    /** Seconds the upstream asked us to wait before retrying, when it said so. */
    public Integer retryAfterSeconds() { return null; }

    /** True when the failure happened before any response body was read (the hop never streamed). */
    public abstract boolean beforeStream();

    public boolean retryable() {
        return RETRYABLE.contains(status);
    }

    public static boolean isRetryableStatus(int status) {
        return RETRYABLE.contains(status);
    }

    /** The upstream answered with an HTTP error status instead of a stream. */
    public static final class Refused extends UpstreamException {
        private final Integer retryAfterSeconds;

        Refused(int status, String detail, Integer retryAfterSeconds) {
            super(status, detail, null);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        @Override
        public Integer retryAfterSeconds() { return retryAfterSeconds; }

        @Override
        public boolean beforeStream() { return true; }

        /**
         * The model's providers cannot use tools: OpenRouter says so with a 404 whose message mentions tool use
         * and support. The turn may then retry the hop without tools.
         */
        public boolean toolsUnsupported() {
            String lower = detail() == null ? "" : detail().toLowerCase(Locale.ROOT);
            return status() == 404 && lower.contains("tool") && lower.contains("support") && lower.contains("tool use");
        }
    }

    /** The connection could not be made, broke, or stayed silent past the timeout (504). */
    public static final class Transport extends UpstreamException {
        private final boolean beforeStream;

        Transport(int status, String detail, boolean beforeStream, Throwable cause) {
            super(status, detail, cause);
            this.beforeStream = beforeStream;
        }

        @Override
        public boolean beforeStream() { return beforeStream; }
    }

    /** The stream opened, then went wrong: an in-band error, an early end, or an answer we cannot read. */
    public static final class Broken extends UpstreamException {
        private final boolean beforeStream;

        Broken(int status, String detail, boolean beforeStream) {
            super(status, detail, null);
            this.beforeStream = beforeStream;
        }

        @Override
        public boolean beforeStream() { return beforeStream; }
    }

    public static Refused refused(int status, String detail, Integer retryAfterSeconds) {
        return new Refused(status, detail, retryAfterSeconds);
    }

    public static Transport unreachable(String detail, boolean beforeStream, Throwable cause) {
        return new Transport(502, detail, beforeStream, cause);
    }

    public static Transport timedOut(String detail, boolean beforeStream, Throwable cause) {
        return new Transport(504, detail, beforeStream, cause);
    }

    /** The body ended without {@code [DONE]} or a finish reason. */
    public static Broken cutShort() {
        return new Broken(502, "Upstream stream ended unexpectedly", false);
    }

    /** An answer that is not what the API promises (invalid JSON, a model list that is not a list). */
    public static Broken invalid(String detail, boolean beforeStream) {
        return new Broken(502, detail, beforeStream);
    }

    /** An {@code {"error": …}} chunk inside the stream: its {@code code} when it is an HTTP error status. */
    public static Broken inBand(JsonNode error) {
        JsonNode code = error.get("code");
        int status = code != null && code.isIntegralNumber() && code.canConvertToInt()
                && code.asInt() >= 400 && code.asInt() <= 599 ? code.asInt() : 502;
        String detail = error.path("message").isTextual() ? error.get("message").asText() : error.toString();
        return new Broken(status, detail, false);
    }
}
