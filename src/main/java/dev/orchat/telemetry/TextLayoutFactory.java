package dev.orchat.telemetry;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.DropwizardLayout;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import java.util.TimeZone;

/**
 * The plain-text log layout as a named layout type, so that one key picks the format: {@code layout.type:
 * ${LOG_FORMAT:-text}} selects this or Dropwizard's {@code json} (docs/operations.md, "Logging"). Dropwizard's own
 * text layout has no type name; it is only the fallback of an appender without a layout.
 */
@JsonTypeName("text")
public class TextLayoutFactory implements DiscoverableLayoutFactory<ILoggingEvent> {
    /** Request, session and turn ids on every line (docs/operations.md, "Logging"). */
    public static final String PATTERN =
            "%-5level [%d{ISO8601,UTC}] [%X{request_id}] [%X{session_id} %X{turn_id}] %logger{36}: %msg%n";

    @JsonProperty
    private String pattern = PATTERN;

    @Override
    public LayoutBase<ILoggingEvent> build(LoggerContext context, TimeZone timeZone) {
        DropwizardLayout layout = new DropwizardLayout(context, timeZone);
        layout.setPattern(pattern);
        return layout;
    }
}
