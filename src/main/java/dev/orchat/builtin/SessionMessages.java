package dev.orchat.builtin;

import dev.orchat.conversation.MessageRow;
import java.util.List;

/**
 * The stored messages of one session in position order. Kept this narrow so the housekeeping server cannot
 * reach anything but the session the service names, and so tests can supply a lambda. The application passes
 * {@code id -> store.read(h -> h.dao(MessageDao.class).bySession(id))}.
 */
@FunctionalInterface
public interface SessionMessages {
    List<MessageRow> bySession(String sessionId);
}
