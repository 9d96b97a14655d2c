package dev.orchat.mcp;

/**
 * A built-in whose tools need credentials the service holds (the Google built-ins, docs/operations.md, "MCP servers"). Without them the
 * supervisor shows it as {@code needs_auth} with no tools; when they change, the server calls the listener and the
 * supervisor re-evaluates the state and rebuilds the registry.
 */
public interface AuthGatedServer extends ToolServer {
    /** Whether usable credentials exist now. */
    boolean authorized();

    /** The one-sentence reason shown as {@code last_error} while not authorised. */
    String authProblem();

    /** Registers the supervisor's listener; a server has at most one. */
    void onAuthChange(Runnable listener);

    /** Called when the runtime stops, so the server stops notifying a supervisor that no longer owns it. */
    void close();

    /**
     * Tools the server knows but does not offer now, with the {@code reason} the status shows (docs/api.md §2.10, e.g.
     * {@code needs_write_access}). They are never part of {@link #tools()}, so the model never sees them.
     */
    default java.util.List<Withheld> withheld() {
        return java.util.List.of();
    }

    /** One withheld tool and why. */
    record Withheld(ToolSpec spec, String reason) {
    }
}
