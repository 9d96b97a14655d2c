package dev.orchat.chat;

import dev.orchat.web.ApiException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Running turns of this process: one per session (I1, backed by the database index) and at most
 * {@code chat.maxConcurrentTurns} in all (docs/architecture.md §8).
 */
public final class TurnRegistry {
    private final Map<String, RunningTurn> bySession = new ConcurrentHashMap<>();
    private final Semaphore slots;

    public TurnRegistry(int maxConcurrentTurns) {
        this.slots = new Semaphore(maxConcurrentTurns);
    }

    RunningTurn reserve(String sessionId, String turnId) {
        RunningTurn turn = new RunningTurn(sessionId, turnId);
        if (bySession.putIfAbsent(sessionId, turn) != null) {
            throw ApiException.conflict("A turn is already in progress for this session");
        }
        if (!slots.tryAcquire()) {
            bySession.remove(sessionId, turn);
            throw ApiException.tooMany("Too many concurrent chat turns; try again shortly", 1);
        }
        return turn;
    }

    void release(RunningTurn turn) {
        if (bySession.remove(turn.sessionId(), turn)) {
            slots.release();
        }
    }

    public Optional<RunningTurn> find(String sessionId) {
        return Optional.ofNullable(bySession.get(sessionId));
    }

    public Collection<RunningTurn> all() {
        return List.copyOf(bySession.values());
    }

    public int active() {
        return bySession.size();
    }
}
