package dev.orchat.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a long response that its client left without waiting for a write to fail (docs/architecture.md,
 * "Keep-alive and disconnect detection").
 *
 * <p>Jetty reports a failed request (a stream reset, a read failure) to the request's failure listeners, but on
 * HTTP/1.1 it notices a closed connection only when it reads, and it does not read while a response streams. So
 * for HTTP/1.x this registers its own read interest on the connection once the request body has been read: the
 * client sends nothing more while the answer streams, so the connection becoming readable means end-of-stream
 * (the client closed it). The interest must be withdrawn before the response completes, or Jetty could not
 * register its own for the next request on the kept-alive connection: call {@link Watch#stop()} before closing
 * the response. The write probe stays as the fallback for anything this misses.
 */
public final class ClientDisconnects {
    private static final Logger LOG = LoggerFactory.getLogger(ClientDisconnects.class);
    private static final Exception STOPPED = new Exception("watch stopped") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    private ClientDisconnects() {
    }

    /** A running watch; {@link #stop()} is idempotent and must run before the response completes. */
    public interface Watch {
        void stop();
    }

    public static Watch watch(HttpServletRequest servletRequest, Runnable onGone) {
        Request request;
        try {
            request = ServletContextRequest.getServletContextRequest(servletRequest);
        } catch (RuntimeException e) {
            request = null;
        }
        if (request == null) {
            return () -> { }; // not served by Jetty: the write probe alone notices
        }
        request.addFailureListener(failure -> onGone.run());
        HttpVersion version = request.getConnectionMetaData().getHttpVersion();
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        if ((version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0)
                || !(endPoint instanceof AbstractEndPoint)) {
            return () -> { };
        }
        EofWatch watch = new EofWatch((AbstractEndPoint) endPoint, onGone);
        watch.arm();
        return watch;
    }

    private static final class EofWatch implements Callback, Watch {
        private final AbstractEndPoint endPoint;
        private final Runnable onGone;
        private boolean stopped;
        private boolean armed;

        EofWatch(AbstractEndPoint endPoint, Runnable onGone) {
            this.endPoint = endPoint;
            this.onGone = onGone;
        }

        synchronized void arm() {
            // False when Jetty itself is reading this connection; then the write probe is the only watch.
            armed = !stopped && endPoint.tryFillInterested(this);
        }

        @Override
        public void succeeded() {
            boolean gone;
            synchronized (this) {
                armed = false;
                if (stopped) {
                    return;
                }
                ByteBuffer buffer = BufferUtil.allocate(64);
                int n;
                try {
                    n = endPoint.fill(buffer);
                } catch (IOException e) {
                    n = -1;
                }
                if (n == 0) {
                    arm();
                    return;
                }
                if (n > 0) {
                    // A client that pipelines a request while a stream is open: not ours to read, stop watching.
                    LOG.warn("Client sent {} bytes during an event stream; disconnect watch stopped", n);
                    stopped = true;
                    return;
                }
                gone = true;
            }
            if (gone) {
                onGone.run();
            }
        }

        @Override
        public void failed(Throwable cause) {
            synchronized (this) {
                armed = false;
                if (stopped || cause == STOPPED) {
                    return;
                }
            }
            onGone.run(); // the connection failed or closed under us
        }

        @Override
        public void stop() {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                stopped = true;
                if (armed) {
                    armed = false;
                    endPoint.getFillInterest().onFail(STOPPED);
                }
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.BLOCKING;
        }
    }
}
