package dev.orchat.web;

/**
 * A failure a feature reports in its own terms (a session that does not exist, a turn already running). The
 * feature names what happened; {@link DomainExceptionMapper} alone decides the HTTP status, so stores and
 * services never speak HTTP (docs/architecture.md, "Errors").
 */
public abstract class DomainException extends RuntimeException {
    /** The kinds of failure the web layer knows how to answer. */
    public enum Kind {
        NOT_FOUND(404), CONFLICT(409), GONE(410), UNPROCESSABLE(422), UNAVAILABLE(503);

        final int status;

        Kind(int status) {
            this.status = status;
        }
    }

    private final Kind kind;

    protected DomainException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
