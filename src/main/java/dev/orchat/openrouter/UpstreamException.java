package dev.orchat.openrouter;

import java.util.Set;

/**
 * An upstream failure with the status the contract assigns to it (SPEC §4.6, §4.13): the upstream's HTTP status,
 * 502 for transport failures and unexpected ends, 504 for silence past the timeout.
 */
public class UpstreamException extends Exception {
    private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);
    private final int status;
    private final String detail;
    private final Integer retryAfterSeconds;
    private final boolean beforeStream;

    public UpstreamException(int status, String detail, Integer retryAfterSeconds, boolean beforeStream, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.detail = detail;
        this.retryAfterSeconds = retryAfterSeconds;
        this.beforeStream = beforeStream;
    }

    public int status() { return status; }
    public String detail() { return detail; }
    public Integer retryAfterSeconds() { return retryAfterSeconds; }

    /** True when the failure happened before any response body was read (the hop never streamed). */
    public boolean beforeStream() { return beforeStream; }

    public boolean retryable() {
        return RETRYABLE.contains(status);
    }

    public static boolean isRetryableStatus(int status) {
        return RETRYABLE.contains(status);
    }
}
