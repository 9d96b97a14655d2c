package dev.orchat.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 7: one 200 MB upload as a chunked multipart stream, accepted (the cap raised above it) and refused
 * (the default 10 MiB cap), while the jar's RSS is sampled every 20 ms. Shows that the upload path streams to
 * disk instead of buffering, and how fast it writes.
 */
final class UploadScenario {
    static final String BOUNDARY = "----orchat-bench-boundary";

    record Result(String label, int status, long bytesSent, long millis, long rssBeforeKib, long rssPeakKib) {
        double mibPerSecond() {
            return millis == 0 ? 0 : bytesSent / 1048576.0 / (millis / 1000.0);
        }
    }

    private UploadScenario() {
    }

    static Result run(ServiceProcess svc, String label, long totalBytes) throws Exception {
        Thread.sleep(500);
        long before = svc.rssKib();
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    peak.accumulateAndGet(svc.rssKib(), Math::max);
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long sent = 0;
        long start = System.nanoTime();
        int status;
        try (Socket socket = new Socket("127.0.0.1", svc.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/uploads HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary="
                    + BOUNDARY + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            chunk(out, ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"session_id\"\r\n\r\nbench-upload\r\n--"
                    + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] block = new byte[256 * 1024];
            new Random(7).nextBytes(block);
            byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
            System.arraycopy(png, 0, block, 0, png.length);
            try {
                while (sent < totalBytes) {
                    chunk(out, block);
                    sent += block.length;
                    block[0] = 0; // only the first block carries the PNG signature
                }
                chunk(out, ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // Refused: the server answered and closed while we were still sending.
            }
            status = readStatus(socket.getInputStream());
        } finally {
            sampler.interrupt();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Result(label, status, sent, millis, before, peak.get());
    }

    private static void chunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static int readStatus(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        String[] parts = line.toString(StandardCharsets.US_ASCII).split(" ");
        return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
    }
}
