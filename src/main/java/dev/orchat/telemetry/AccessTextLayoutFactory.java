package dev.orchat.telemetry;

import ch.qos.logback.access.common.spi.IAccessEvent;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import io.dropwizard.request.logging.layout.LogbackAccessRequestLayout;
import java.util.TimeZone;

/**
 * The plain-text request log as a named layout type, the counterpart of Dropwizard's {@code access-json}:
 * {@code layout.type: access-${LOG_FORMAT:-text}} picks one or the other (docs/operations.md, "Logging").
 */
@JsonTypeName("access-text")
public class AccessTextLayoutFactory implements DiscoverableLayoutFactory<IAccessEvent> {
    /** The path without the query string (%U): OAuth codes and states and signed-URL sig values are never logged. */
    public static final String PATTERN =
            "%h %l %u [%t{dd/MMM/yyyy:HH:mm:ss Z,UTC}] \"%m %U %H\" %s %b \"%i{Referer}\" \"%i{User-Agent}\" %D";

    @JsonProperty
    private String pattern = PATTERN;

    @Override
    public LayoutBase<IAccessEvent> build(LoggerContext context, TimeZone timeZone) {
        LogbackAccessRequestLayout layout = new LogbackAccessRequestLayout(context, timeZone);
        layout.setPattern(pattern);
        return layout;
    }
}
