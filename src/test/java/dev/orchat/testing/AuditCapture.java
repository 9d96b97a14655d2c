package dev.orchat.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Collects what the {@code audit} logger writes in this JVM, so tests can check side effects are recorded. */
public final class AuditCapture {
    private AuditCapture() {
    }

    /** Attaches a fresh in-memory appender to the {@code audit} logger (at INFO) and returns it. */
    public static ListAppender<ILoggingEvent> start() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        Logger audit = (Logger) LoggerFactory.getLogger("audit");
        audit.setLevel(Level.INFO);
        appender.start();
        audit.addAppender(appender);
        return appender;
    }
}
