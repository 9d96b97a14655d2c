package dev.orchat.conversation;

import dev.orchat.web.DomainException;

/** Invariant I1 of docs/architecture.md: a session has at most one running turn. */
public final class TurnInProgressException extends DomainException {
    public TurnInProgressException() {
        super(Kind.CONFLICT, "A turn is already in progress for this session");
    }
}
