package dev.orchat.testing;

import java.io.IOException;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Serves the sequence of requests that arrive on one (possibly keep-alive) socket. */
final class Connection implements Runnable {

    private static final String API = "/api/v1";

    private final FakeOpenRouter fake;
    private final Socket socket;

    Connection(FakeOpenRouter fake, Socket socket) {
        this.fake = fake;
        this.socket = socket;
    }

    @Override
    public void run() {
        try (socket) {
            socket.setTcpNoDelay(true);
            HttpInput in = new HttpInput(socket);
            HttpOutput out = new HttpOutput(socket.getOutputStream());
            serve(in, out);
        } catch (IOException e) {
            // The peer vanished between requests or mid-response; nothing useful to report.
        } finally {
            fake.forget(socket);
        }
    }

    private void serve(HttpInput in, HttpOutput out) throws IOException {
        while (!fake.isClosed()) {
            HttpInput.Request request;
            try {
                request = in.readRequest(method -> continueQuietly(out));
            } catch (HttpInput.BadRequest e) {
                out.fixed(400, json(), Endpoints.error(400, e.getMessage()), true);
                return;
            }
            if (request == null) {
                return;
            }
            boolean close = request.wantsClose();
            if (!handle(request, in, out, close) || close) {
                return;
            }
        }
    }

    /** Returns whether the connection can stay open for another request. */
    private boolean handle(HttpInput.Request request, HttpInput in, HttpOutput out, boolean close)
            throws IOException {
        String target = request.target();
        int q = target.indexOf('?');
        String path = q >= 0 ? target.substring(0, q) : target;
        String query = q >= 0 ? target.substring(q + 1) : null;
        String body = new String(request.body(), StandardCharsets.UTF_8);
        fake.record(new RecordedRequest(request.method(), path, query, request.headers(), body, Instant.now()));

        String method = request.method();
        if (path.equals(API + "/chat/completions")) {
            if (!method.equals("POST")) {
                return notAllowed(out, close);
            }
            if (FakeCompletions.isNonStreaming(body)) {
                FakeCompletions.Answer answer = fake.completions().answerRequest();
                return reply(out, answer.status(), answer.body(), close);
            }
            fake.countChatRequest();
            ScriptRunner runner = new ScriptRunner(fake, in, out, close);
            return runner.run(fake.nextScript()) == ScriptRunner.Outcome.KEEP_ALIVE;
        }
        if (path.equals(API + "/models")) {
            if (!method.equals("GET")) {
                return notAllowed(out, close);
            }
            fake.catalog().countModelsRequest();
            int status = fake.catalog().modelsStatus;
            return status == 200 ? reply(out, 200, fake.catalog().modelsJson, close)
                    : reply(out, status, Endpoints.error(status, HttpOutput.reason(status)), close);
        }
        if (path.equals(API + "/providers")) {
            int status = fake.catalog().providersStatus;
            return status == 200 ? reply(out, 200, fake.catalog().providersJson, close)
                    : reply(out, status, Endpoints.error(status, HttpOutput.reason(status)), close);
        }
        if (path.startsWith(API + "/models/") && path.endsWith("/endpoints")) {
            String id = path.substring((API + "/models/").length(), path.length() - "/endpoints".length());
            String endpoints = fake.catalog().endpointsJson.get(id);
            return endpoints == null ? reply(out, 404, Endpoints.error(404, "Model not found"), close)
                    : reply(out, 200, endpoints, close);
        }
        if (path.equals(API + "/generation")) {
            return method.equals("GET") ? generation(out, query, close) : notAllowed(out, close);
        }
        if (path.equals(API + "/key") || path.equals(API + "/auth/key")) {
            return method.equals("GET") ? key(out, request, close) : notAllowed(out, close);
        }
        return reply(out, 404, Endpoints.error(404, "Not Found"), close);
    }

    private boolean generation(HttpOutput out, String query, boolean close) throws IOException {
        String id = queryParam(query, "id");
        if (id == null || id.isEmpty()) {
            return reply(out, 400, Endpoints.error(400, "Missing generation id"), close);
        }
        int status = fake.isKnownGeneration(id) ? 200 : fake.generationStatus();
        if (status == 200) {
            return reply(out, 200, Endpoints.generation(id), close);
        }
        String message = status == 404 ? "Generation not found" : HttpOutput.reason(status);
        return reply(out, status, Endpoints.error(status, message), close);
    }

    private boolean key(HttpOutput out, HttpInput.Request request, boolean close) throws IOException {
        String expected = fake.expectedApiKey();
        if (expected != null && !("Bearer " + expected).equals(request.header("authorization"))) {
            return reply(out, 401, Endpoints.error(401, "No auth credentials found"), close);
        }
        return reply(out, 200, Endpoints.key(), close);
    }

    private boolean notAllowed(HttpOutput out, boolean close) throws IOException {
        return reply(out, 405, Endpoints.error(405, "Method Not Allowed"), close);
    }

    private static boolean reply(HttpOutput out, int status, String body, boolean close) throws IOException {
        out.fixed(status, json(), body, close);
        return !close;
    }

    private static Map<String, String> json() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        return headers;
    }

    private static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq >= 0 ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq >= 0 ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "";
            }
        }
        return null;
    }

    private static void continueQuietly(HttpOutput out) {
        try {
            out.continue100();
        } catch (IOException ignored) {
            // The body read that follows will fail and end the connection anyway.
        }
    }
}
