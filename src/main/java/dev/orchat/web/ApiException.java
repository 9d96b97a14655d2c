package dev.orchat.web;

import java.util.List;
import java.util.Map;

/**
 * A client-visible failure with its HTTP status. Features throw it; {@link ApiExceptionMapper} turns it into
 * the one error shape {@code {"detail": ...}} (docs/api.md §1.2).
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final Object detail;
    private final Map<String, String> headers;

    public ApiException(int status, Object detail) {
        this(status, detail, Map.of());
    }

    public ApiException(int status, Object detail, Map<String, String> headers) {
        super(detail instanceof String s ? s : String.valueOf(detail), null, false, false);
        this.status = status;
        this.detail = detail;
        this.headers = Map.copyOf(headers);
    }

    public int status() { return status; }
    public Object detail() { return detail; }
    public Map<String, String> headers() { return headers; }

    public static ApiException badRequest(String detail) { return new ApiException(400, detail); }
    public static ApiException notFound(String detail) { return new ApiException(404, detail); }
    public static ApiException conflict(String detail) { return new ApiException(409, detail); }
    public static ApiException gone(String detail) { return new ApiException(410, detail); }
    public static ApiException tooLarge(String detail) { return new ApiException(413, detail); }
    public static ApiException unsupportedMediaType(String detail) { return new ApiException(415, detail); }
    public static ApiException unavailable(String detail) { return new ApiException(503, detail); }

    public static ApiException tooMany(String detail, int retryAfterSeconds) {
        return new ApiException(429, detail, Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    /** 422 with a single-message detail (a rule, not a schema violation). */
    public static ApiException unprocessable(String detail) { return new ApiException(422, detail); }

    /** 422 with the validation-list shape: {@code [{"loc": [...], "msg", "type"}]}. */
    public static ApiException invalid(List<Object> loc, String msg, String type) {
        return new ApiException(422, List.of(Map.of("loc", loc, "msg", msg, "type", type)));
    }
}
