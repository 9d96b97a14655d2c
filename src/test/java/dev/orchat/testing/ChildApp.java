package dev.orchat.testing;

import java.io.File;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The application in its own JVM, configured only through the environment, as an operator would run it. */
public final class ChildApp implements AutoCloseable {
    private final Process process;
    private final Path log;
    public final int port;
    public final int adminPort;

    private ChildApp(Process process, Path log, int port, int adminPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.adminPort = adminPort;
    }

    /** Runs a command (e.g. {@code check config.yml}) to completion and returns its exit code and output. */
    public static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("orchat-cmd", ".log");
        Process p = builder(env, args).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("command did not finish: " + List.of(args));
        }
        return new Result(p.exitValue(), Files.readString(out));
    }

    public record Result(int exitCode, String output) {
    }

    public static ChildApp start(Map<String, String> env) throws Exception {
        int port = freePort();
        int admin = freePort();
        Map<String, String> all = new HashMap<>(env);
        all.put("PORT", Integer.toString(port));
        all.put("ADMIN_PORT", Integer.toString(admin));
        Path log = Files.createTempFile("orchat-child", ".log");
        Process p = builder(all, "server", "config.yml").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ChildApp app = new ChildApp(p, log, port, admin);
        app.awaitHealthy();
        return app;
    }

    private static ProcessBuilder builder(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classPath(), "dev.orchat.OrchatApplication"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(new File(System.getProperty("user.dir")));
        pb.environment().putAll(env);
        return pb;
    }

    private void awaitHealthy() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("child exited: " + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("child did not become healthy: " + Files.readString(log));
    }

    /** SIGKILL: no shutdown hooks, no cleanup, like a power cut. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The test classpath without the working directory, which would make the changelog appear twice. */
    private static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank() && !Path.of(entry).toAbsolutePath().normalize().equals(Path.of("").toAbsolutePath())) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
