package dev.orchat.conversation;

import dev.orchat.web.DomainException;

/** The session named by a request does not exist (or the id is not a valid session id). */
public final class SessionNotFoundException extends DomainException {
    public SessionNotFoundException() {
        super(Kind.NOT_FOUND, "Session not found");
    }
}
