package dev.orchat.openrouter;

/**
 * Lets another thread cut an in-flight upstream call, from the moment it is sent: the call is aborted, which
 * closes its connection, rather than left to drain (docs/architecture.md, "Upstream": abort the connection, not
 * just stop reading). An abort before the call is attached takes effect when it is.
 */
public final class AbortHandle {
    private volatile Runnable abort;
    private volatile boolean aborted;

    void attach(Runnable abortAction) {
        this.abort = abortAction;
        if (aborted) {
            abortAction.run();
        }
    }

    public boolean isAborted() {
        return aborted;
    }

    public void abort() {
        aborted = true;
        Runnable action = abort;
        if (action != null) {
            action.run();
        }
    }
}
