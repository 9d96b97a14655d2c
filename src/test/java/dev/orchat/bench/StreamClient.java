package dev.orchat.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Drives many SSE streams from one selector thread. A thread per stream would cost the benchmark the very
 * resources it measures in the service (the driver shares the 2 cores), and java.net.http hides when a
 * connection is really closed, which the cancel scenario needs to know to the microsecond.
 *
 * <p>Listener callbacks run on the selector thread and must be cheap.
 */
final class StreamClient implements AutoCloseable {

    /** What a caller learns about one stream. Times are {@link System#nanoTime()}. */
    interface Listener {
        default void onEvent(Stream s, String name, String data, long readNanos) { }

        /** Exactly once: {@code error} is null when the body ended normally. */
        default void onEnd(Stream s, String error, long nanos) { }
    }

    private final Selector selector;
    private final Thread loop;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private volatile boolean closed;

    StreamClient() throws IOException {
        selector = Selector.open();
        loop = new Thread(this::run, "bench-client");
        loop.setDaemon(true);
        loop.start();
    }

    /** Opens a stream; {@code request} is the full HTTP/1.1 request. The returned stream is live at once. */
    Stream open(InetSocketAddress target, byte[] request, Listener listener) {
        Stream s = new Stream(target, request, listener);
        submit(() -> s.connect());
        return s;
    }

    /** Closes the connection from the selector thread; {@code onClosed} gets the nanoTime of the close call. */
    void abort(Stream s, java.util.function.LongConsumer onClosed) {
        submit(() -> {
            long t = System.nanoTime();
            s.closeChannel();
            if (onClosed != null) {
                onClosed.accept(t);
            }
            s.finish("aborted by client", t);
        });
    }

    private void submit(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    private void run() {
        while (!closed) {
            try {
                selector.select(100);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    runQuietly(task);
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    Stream s = (Stream) key.attachment();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isConnectable()) {
                        s.finishConnect();
                    } else if (key.isReadable()) {
                        s.read();
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    e.printStackTrace();
                }
            }
        }
    }

    /** One failing callback must not delay the other streams' tasks until the next selector wake-up. */
    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        try {
            loop.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }

    /** One HTTP exchange: request out, status line and headers, chunked (or length) body split into SSE events. */
    final class Stream {
        private final InetSocketAddress target;
        private final ByteBuffer request;
        private final Listener listener;
        private final HttpBodyDecoder decoder = new HttpBodyDecoder();
        private SocketChannel channel;
        private boolean done;
        volatile long sentNanos;
        /** When the first bytes of the response (its status line and headers) were read; 0 before. */
        volatile long firstByteNanos;
        Object tag;

        private Stream(InetSocketAddress target, byte[] request, Listener listener) {
            this.target = target;
            this.request = ByteBuffer.wrap(request);
            this.listener = listener;
        }

        private void connect() {
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                sentNanos = System.nanoTime();
                if (channel.connect(target)) {
                    send();
                } else {
                    channel.register(selector, SelectionKey.OP_CONNECT, this);
                }
            } catch (IOException e) {
                fail("connect: " + e);
            }
        }

        private void finishConnect() {
            try {
                channel.finishConnect();
                send();
            } catch (IOException e) {
                fail("connect: " + e);
            }
        }

        private void send() throws IOException {
            // Requests are a few hundred bytes: one write fits the empty socket buffer of a fresh connection.
            channel.write(request);
            if (request.hasRemaining()) {
                throw new IOException("request not written in one go");
            }
            channel.register(selector, SelectionKey.OP_READ, this);
        }

        private void read() {
            readBuffer.clear();
            int n;
            try {
                n = channel.read(readBuffer);
            } catch (IOException e) {
                fail("read: " + e);
                return;
            }
            long now = System.nanoTime();
            if (n < 0) {
                fail(decoder.endOfInput() ? null : "connection closed before the end of the body");
                return;
            }
            if (firstByteNanos == 0 && n > 0) {
                firstByteNanos = now;
            }
            readBuffer.flip();
            byte[] bytes = new byte[n];
            readBuffer.get(bytes);
            String error = decoder.feed(bytes, (name, data) -> listener.onEvent(this, name, data, now));
            if (error != null) {
                fail(error);
            } else if (decoder.isComplete()) {
                closeChannel();
                finish(null, now);
            }
        }

        private void fail(String error) {
            closeChannel();
            finish(error, System.nanoTime());
        }

        private void closeChannel() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Nothing left to release.
                }
            }
        }

        private void finish(String error, long nanos) {
            if (!done) {
                done = true;
                listener.onEnd(this, error, nanos);
            }
        }

        int status() {
            return decoder.status();
        }
    }

    static byte[] chatRequest(String host, int port, String path, String apiKey) {
        return chatRequest(host, port, path, apiKey, null);
    }

    /** As above, continuing {@code sessionId} when it is not null. */
    static byte[] chatRequest(String host, int port, String path, String apiKey, String sessionId) {
        String body = "{" + (sessionId == null ? "" : "\"session_id\":\"" + sessionId + "\",")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"model\":\"openai/gpt-4o-mini\",\"stream\":true}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n"
                + "Content-Type: application/json\r\nAccept: text/event-stream\r\n"
                + (apiKey == null ? "" : "Authorization: Bearer " + apiKey + "\r\n")
                + "Content-Length: " + b.length + "\r\nConnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }
}
