package dev.orchat.chat;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * Writes SSE events exactly as docs/api.md §3.1 shows them: {@code id:}, {@code event:}, one {@code data:} line per
 * payload line, LF endings; comments as {@code : text}. The terminating blank line is the sink's chunk delimiter. Replaces Jersey's writer so the byte
 * layout is ours and upstream chunks pass through unchanged.
 */
@Provider
@Produces(MediaType.SERVER_SENT_EVENTS)
public final class SseEventWriter implements MessageBodyWriter<OutboundSseEvent> {
    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return OutboundSseEvent.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(OutboundSseEvent event, Class<?> type, Type genericType, Annotation[] annotations,
                        MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
            throws IOException, WebApplicationException {
        out.write(format(event).getBytes(StandardCharsets.UTF_8));
    }

    static String format(OutboundSseEvent event) {
        String comment = event.getComment();
        String id = event.getId();
        String name = event.getName();
        String data = event.getData() == null ? null : String.valueOf(event.getData());
        // Sized for the whole event, so a relayed chunk is copied once (docs/performance.md, turn engine).
        StringBuilder sb = new StringBuilder(32 + length(comment) + length(id) + length(name) + length(data));
        if (comment != null) {
            appendLines(sb, comment, true);
        }
        if (id != null) {
            sb.append("id: ").append(id).append('\n');
        }
        if (name != null) {
            sb.append("event: ").append(name).append('\n');
        }
        if (data != null) {
            appendLines(sb, data, false);
        }
        // No blank line here: Jersey's event sink writes one "\n" delimiter after every event it sends.
        return sb.toString();
    }

    /**
     * One field line per line of {@code text}, split at CRLF, CR or LF and keeping empty lines, as
     * {@code split("\r\n|\r|\n", -1)} would, without compiling that pattern for every event.
     */
    private static void appendLines(StringBuilder sb, String text, boolean comment) {
        int start = 0;
        int n = text.length();
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : '\n';
            if (c != '\n' && c != '\r') {
                continue;
            }
            if (comment) {
                sb.append(':');
                if (i > start) {
                    sb.append(' ').append(text, start, i);
                }
            } else {
                sb.append("data: ").append(text, start, i);
            }
            sb.append('\n');
            if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                i++;
            }
            start = i + 1;
        }
    }

    private static int length(String s) {
        return s == null ? 0 : s.length() + 8;
    }
}
