package dev.orchat.web;

import java.util.regex.Pattern;

/**
 * The detail text of an error Jetty produces itself, before Jersey sees the request (docs/api.md §1.2): Jetty's
 * reason ("Ambiguous URI path separator", "Bad HostPort") when it is plain words, the status's own phrase otherwise,
 * so a reason that quotes the offending input never reaches the body.
 */
final class JettyErrors {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9 .,:()!=/_-]{1,120}");

    private JettyErrors() {
    }

    /** An unknown HTTP version is the client's fault like any other malformed request line: 400, not 505. */
    static int status(int code) {
        return code == 505 ? 400 : code;
    }

    static String detail(int status, String message) {
        if (message != null && PLAIN.matcher(message).matches() && !message.matches("\\d{3}")) {
            return message;
        }
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 413 -> "Request body too large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 431 -> "Request Header Fields Too Large";
            default -> status >= 500 ? "Internal error" : "Error";
        };
    }
}
