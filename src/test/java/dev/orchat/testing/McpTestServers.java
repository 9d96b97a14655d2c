package dev.orchat.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real third-party MCP servers the tests talk to (docs/architecture.md): the npm packages pinned in
 * {@code src/test/mcp-servers}, installed on first use with {@code npm ci} so a fresh clone's {@code ./mvnw test}
 * works, plus our own scripted child in {@code src/test/resources/mcp}.
 */
public final class McpTestServers {
    public static final Path SERVERS_DIR = Path.of("src", "test", "mcp-servers").toAbsolutePath();
    private static final Path PACKAGES = SERVERS_DIR.resolve(Path.of("node_modules", "@modelcontextprotocol"));

    private McpTestServers() {
    }

    /** {@code node}, as found on the PATH of the test JVM. */
    public static String node() {
        return "node";
    }

    /** Entry script of {@code @modelcontextprotocol/server-everything}; its default transport is stdio. */
    public static Path everything() {
        return installed().resolve(Path.of("server-everything", "dist", "index.js"));
    }

    /** Entry script of {@code @modelcontextprotocol/server-filesystem}; arguments are the allowed directories. */
    public static Path filesystem() {
        return installed().resolve(Path.of("server-filesystem", "dist", "index.js"));
    }

    /** Our minimal stdio server that reports its environment and cwd and has a never-answering tool. */
    public static Path envServer() {
        return Path.of("src", "test", "resources", "mcp", "env-server.js").toAbsolutePath();
    }

    /** Our minimal stdio server whose one tool, {@code echo_meta}, answers with the {@code _meta} it was sent. */
    public static Path metaServer() {
        return Path.of("src", "test", "resources", "mcp", "meta-server.js").toAbsolutePath();
    }

    /** Runs {@code npm ci} once per JVM when the packages are missing (fresh clone); offline-safe when present. */
    private static synchronized Path installed() {
        if (!Files.isRegularFile(PACKAGES.resolve(Path.of("server-everything", "dist", "index.js")))
                || !Files.isRegularFile(PACKAGES.resolve(Path.of("server-filesystem", "dist", "index.js")))) {
            try {
                Process npm = new ProcessBuilder("npm", "ci", "--prefix", SERVERS_DIR.toString(), "--no-audit",
                        "--no-fund").inheritIO().start();
                if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                    npm.destroyForcibly();
                    throw new IllegalStateException("npm ci in " + SERVERS_DIR + " failed");
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot run npm ci in " + SERVERS_DIR, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during npm ci", e);
            }
        }
        return PACKAGES;
    }

    /** Starts server-everything in streamable HTTP mode on a free loopback port; close() stops it. */
    public static HttpServer startEverythingHttp() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return startEverythingHttp(port);
    }

    /** Same, on a given port: a restart on the same port loses every session, as a real server restart does. */
    public static HttpServer startEverythingHttp(int port) throws IOException, InterruptedException {
        return startEverything(port, "streamableHttp");
    }

    /** server-everything on the older HTTP+SSE transport; its SSE endpoint is {@code /sse}. */
    public static HttpServer startEverythingSse() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return startEverything(port, "sse");
    }

    private static HttpServer startEverything(int port, String mode) throws IOException, InterruptedException {
        Path log = Files.createTempFile("mcp-everything-http", ".log");
        ProcessBuilder builder = new ProcessBuilder(node(), everything().toString(), mode)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PORT", Integer.toString(port));
        Process process = builder.start();
        HttpServer server = new HttpServer(process, port, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException("server-everything (HTTP) did not start:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        return server;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A running server-everything in streamable HTTP mode; its MCP endpoint is {@code /mcp}. */
    public static final class HttpServer implements AutoCloseable {
        private final Process process;
        public final int port;
        public final Path log;

        HttpServer(Process process, int port, Path log) {
            this.process = process;
            this.port = port;
            this.log = log;
        }

        public URI mcpUrl() {
            return URI.create("http://127.0.0.1:" + port + "/mcp");
        }

        @Override
        public void close() throws InterruptedException {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
