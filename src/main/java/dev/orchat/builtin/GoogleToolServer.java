package dev.orchat.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.db.Timestamps;
import dev.orchat.googleauth.GoogleApi;
import dev.orchat.googleauth.GoogleConnection;
import dev.orchat.googleauth.GoogleFactory;
import dev.orchat.mcp.AuthGatedServer;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import dev.orchat.mcp.ToolRegistry.ToolResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Google built-ins share (docs/operations.md, "MCP servers"): no tools without a usable connection, tools filtered by granted
 * scope and the write/send flags, the {@code <prefix>_auth_status} tool, Google failures as one-sentence error
 * results, and audit lines for side effects.
 */
abstract class GoogleToolServer implements AuthGatedServer {
    private static final Logger AUDIT = LoggerFactory.getLogger("audit");

    /** Who may see a tool: read tools need a read scope; write and send tools also need the flags (§7.4). */
    enum Access { READ, WRITE, SEND }

    @FunctionalInterface
    interface Handler {
        String run(ObjectNode args, ToolContext context) throws GoogleApi.Failure, InterruptedException;
    }

    /** One tool with the scopes that allow it (any one suffices). */
    record GoogleTool(ToolSpec spec, Set<String> scopes, Access access, Handler handler) {
    }

    protected final String id;
    protected final GoogleApi api;
    protected final Clock clock;
    private final String prefix;
    private final Runnable relay = this::notifyListener;
    private volatile Runnable listener;

    GoogleToolServer(String id, String prefix, GoogleApi api, Clock clock) {
        this.id = id;
        this.prefix = prefix;
        this.api = api;
        this.clock = clock;
        api.connection().onChange(relay);
    }

    /** Every tool the server can offer; {@link #tools()} filters it. The auth-status tool is added here. */
    abstract List<GoogleTool> catalogue();

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean authorized() {
        return api.connection().isUsable();
    }

    @Override
    public String authProblem() {
        GoogleConnection c = api.connection();
        if (c.configurationProblem().isPresent()) {
            return "Google integration is not configured: " + c.configurationProblem().get();
        }
        return c.status().needsReauth() ? GoogleConnection.RECONNECT : GoogleConnection.NOT_CONNECTED;
    }

    @Override
    public void onAuthChange(Runnable supervisorListener) {
        this.listener = supervisorListener;
    }

    @Override
    public void close() {
        listener = null;
        api.connection().removeListener(relay);
    }

    private void notifyListener() {
        Runnable l = listener;
        if (l != null) {
            l.run();
        }
    }

    @Override
    public List<ToolSpec> tools() {
        if (!authorized()) {
            return List.of();
        }
        Set<String> granted = api.connection().grantedScopes();
        List<ToolSpec> out = new ArrayList<>();
        for (GoogleTool t : all()) {
            if (exposed(t, granted)) {
                out.add(t.spec().withReadOnly(t.access() == Access.READ));
            }
        }
        return out;
    }

    /** Write tools that scope or flags keep back, listed in the status with their reason (docs/operations.md, "MCP servers"). */
    @Override
    public List<Withheld> withheld() {
        if (!authorized()) {
            return List.of();
        }
        Set<String> granted = api.connection().grantedScopes();
        // Without any read access to this service, write access is not the thing it lacks: list nothing.
        if (catalogue().stream().noneMatch(t -> t.access() == Access.READ && exposed(t, granted))) {
            return List.of();
        }
        List<Withheld> out = new ArrayList<>();
        for (GoogleTool t : all()) {
            if (t.access() == Access.READ || exposed(t, granted)) {
                continue;
            }
            boolean sendOff = t.access() == Access.SEND && !api.connection().config().isAllowSend();
            out.add(new Withheld(t.spec().withReadOnly(t.access() == Access.READ), sendOff ? "send_disabled" : "needs_write_access"));
        }
        return out;
    }

    private boolean exposed(GoogleTool tool, Set<String> granted) {
        if (tool.scopes().stream().noneMatch(granted::contains)) {
            return false;
        }
        GoogleFactory config = api.connection().config();
        return switch (tool.access()) {
            case READ -> true;
            case WRITE -> config.isEnableWrite();
            case SEND -> config.isEnableWrite() && config.isAllowSend();
        };
    }

    private List<GoogleTool> all() {
        List<GoogleTool> all = new ArrayList<>(catalogue());
        all.add(new GoogleTool(new ToolSpec(prefix + "_auth_status",
                "Show which Google account is connected, whether read or write access was granted, and when the token expires.",
                Schemas.object().build()), Set.copyOf(readScopes()), Access.READ, (args, ctx) -> authStatus()));
        return all;
    }

    /** The read scopes of this server; its auth-status tool is exposed when any of them was granted. */
    abstract List<String> readScopes();

    /** The write scopes of this server, for the auth-status answer. */
    abstract List<String> writeScopes();

    private String authStatus() {
        GoogleConnection.Status s = api.connection().status();
        if (!s.authorized()) {
            return authProblem();
        }
        boolean write = writeScopes().stream().anyMatch(s.scopes()::contains) && api.connection().config().isEnableWrite();
        return "Connected Google account: " + s.email() + "\nAccess: " + (write ? "read and write" : "read only")
                + "\nAccess token expires: " + Timestamps.format(s.expiresAt())
                + "\nGranted scopes: " + String.join(" ", s.scopes());
    }

    @Override
    public ToolResult call(String tool, ObjectNode arguments, ToolContext context) throws InterruptedException {
        if (!authorized()) {
            return new ToolResult(authProblem(), true);
        }
        Set<String> granted = api.connection().grantedScopes();
        GoogleTool match = all().stream().filter(t -> t.spec().name().equals(tool)).findFirst().orElse(null);
        if (match == null) {
            return new ToolResult("Unknown tool: " + tool, true);
        }
        if (!exposed(match, granted)) {
            return new ToolResult(GoogleApi.NO_PERMISSION, true);
        }
        try {
            return new ToolResult(match.handler().run(arguments, context), false);
        } catch (Args.Invalid e) {
            return new ToolResult(e.getMessage(), true);
        } catch (GoogleApi.Failure e) {
            return new ToolResult(e.getMessage(), true);
        }
    }

    /** docs/operations.md, "Logging": tool, session, target and outcome; never a subject, body or address list. */
    static void audit(String tool, ToolContext context, String target, String outcome) {
        AUDIT.info("google tool {} session={} target={} outcome={}", tool, context == null ? null : context.sessionId(),
                target, outcome);
    }
}
