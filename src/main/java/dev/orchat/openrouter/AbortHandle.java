package dev.orchat.openrouter;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hc.core5.http.io.EofSensorInputStream;

/**
 * Lets another thread cut an in-flight upstream response. Closing a chunked Apache response body drains it to
 * the end to reuse the connection, which never returns on a stalled stream; {@code abort()} closes the socket
 * instead (ADR 0002: abort the connection, not just stop reading).
 */
public final class AbortHandle {
    public static final String PROPERTY = "orchat.abortHandle";
    private volatile InputStream raw;
    private volatile boolean aborted;

    void attach(InputStream stream) {
        this.raw = stream;
        if (aborted) {
            abortNow(stream);
        }
    }

    public boolean isAborted() {
        return aborted;
    }

    public void abort() {
        aborted = true;
        InputStream stream = raw;
        if (stream != null) {
            abortNow(stream);
        }
    }

    private static void abortNow(InputStream stream) {
        try {
            if (stream instanceof EofSensorInputStream sensor) {
                sensor.abort();
            } else {
                stream.close();
            }
        } catch (IOException | RuntimeException e) {
            // The connection is being discarded; a failure to close it cleanly changes nothing.
        }
    }
}
