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
        StringBuilder sb = new StringBuilder(64);
        if (event.getComment() != null) {
            for (String line : event.getComment().split("\r\n|\r|\n", -1)) {
                sb.append(':');
                if (!line.isEmpty()) {
                    sb.append(' ').append(line);
                }
                sb.append('\n');
            }
        }
        if (event.getId() != null) {
            sb.append("id: ").append(event.getId()).append('\n');
        }
        if (event.getName() != null) {
            sb.append("event: ").append(event.getName()).append('\n');
        }
        if (event.getData() != null) {
            for (String line : String.valueOf(event.getData()).split("\r\n|\r|\n", -1)) {
                sb.append("data: ").append(line).append('\n');
            }
        }
        // No blank line here: Jersey's event sink writes one "\n" delimiter after every event it sends.
        return sb.toString();
    }
}
