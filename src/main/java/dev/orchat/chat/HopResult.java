package dev.orchat.chat;

import dev.orchat.conversation.ToolCall;
import dev.orchat.openrouter.UpstreamException;
import java.util.List;

/** How one hop ended, as the turn loop needs it. */
record HopResult(Status status, List<ToolCall> toolCalls, Integer errorStatus, String errorDetail, boolean retryable) {
    enum Status { COMPLETE, FAILED, CANCELLED, RETRY_WITHOUT_TOOLS }

    static HopResult complete(List<ToolCall> calls) {
        return new HopResult(Status.COMPLETE, calls, null, null, false);
    }

    static HopResult failed(UpstreamException e) {
        return failed(e.status(), e.detail(), e.retryable());
    }

    static HopResult failed(int status, String detail, boolean retryable) {
        return new HopResult(Status.FAILED, List.of(), status, detail, retryable);
    }

    static HopResult cancelled() {
        return new HopResult(Status.CANCELLED, List.of(), null, null, false);
    }

    static HopResult retryWithoutTools() {
        return new HopResult(Status.RETRY_WITHOUT_TOOLS, List.of(), null, null, false);
    }
}
