package dev.orchat.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real jar as a child process: the benchmark measures what ships, including its JVM flags, Jetty and the
 * SQLite writes per turn, and /proc gives its resident memory and thread count without any agent.
 */
final class ServiceProcess implements AutoCloseable {
    private final Process process;
    final int port;
    final String label;

    private ServiceProcess(Process process, int port, String label) {
        this.process = process;
        this.port = port;
        this.label = label;
    }

    /**
     * Starts {@code java -jar jar server config} with {@code -Ddw.*} overrides (Dropwizard reads them over the
     * YAML), a fresh data directory, and the fake as upstream; waits for {@code /health}.
     */
    static ServiceProcess start(String label, Path javaHome, Path jar, Path config, Path workDir, String upstream,
                                Map<String, String> overrides, List<String> jvmFlags) throws Exception {
        int port = freePort();
        int adminPort = freePort();
        Path data = Files.createDirectories(workDir.resolve("data-" + label.replaceAll("\\W", "_")));
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin/java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-Ddw.server.applicationConnectors[0].port=" + port);
        cmd.add("-Ddw.server.adminConnectors[0].port=" + adminPort);
        cmd.add("-Ddw.openrouter.baseUrl=" + upstream);
        cmd.add("-Ddw.dataDir=" + data);
        cmd.add("-Ddw.attachments.dir=" + data.resolve("uploads"));
        cmd.add("-Ddw.mcp.configFile=" + data.resolve("mcp_servers.json"));
        cmd.add("-Ddw.database.url=jdbc:sqlite:" + data.resolve("chat.db"));
        overrides.forEach((k, v) -> cmd.add("-Ddw." + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.add("server");
        cmd.add(config.toString());
        Path log = workDir.resolve("service-" + label.replaceAll("\\W", "_") + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServiceProcess service = new ServiceProcess(p, port, label);
        service.awaitHealthy(Duration.ofSeconds(60), log);
        return service;
    }

    private void awaitHealthy(Duration timeout, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited with " + process.exitValue() + ", see " + log);
            }
            try {
                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("service not healthy within " + timeout + ", see " + log);
    }

    long pid() {
        return process.pid();
    }

    /** VmRSS in KiB. */
    long rssKib() throws IOException {
        return statusField("VmRSS:");
    }

    /** CPU time (user + system) the process has used so far, in ms. */
    long cpuMillis() throws IOException {
        return cpuMillis(pid());
    }

    /** CPU time of any process from {@code /proc/<pid>/stat} (fields 14 and 15, in clock ticks of 10 ms). */
    static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    long threads() throws IOException {
        return statusField("Threads:");
    }

    private long statusField(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException(name + " missing from /proc/" + pid() + "/status");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
