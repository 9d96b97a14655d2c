package dev.orchat.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every event of one turn, numbered 1..n, kept (up to {@code chat.replayBufferBytes}) so that clients can attach,
 * leave and resume (docs/api.md §3.6). Appending hands the event to every attached client; a client whose write
 * fails is detached. When the last client leaves a running turn, the {@link DetachPolicy} decides what happens.
 * Attaching replays what the client missed under the same lock as appending, so no event is lost or doubled.
 */
final class TurnEventLog {
    /** One numbered event as it goes on the wire. */
    record Entry(int id, String name, String data) {
        /** Roughly what the entry holds in memory (characters, not encoded bytes; plus the record itself). */
        int bytes() {
            return name.length() + data.length() + 32;
        }
    }

    /** What happens when a running turn is left without clients, and when a turn ends. */
    interface DetachPolicy {
        void lastClientLeft(TurnEventLog log);

        void turnEnded(TurnEventLog log);
    }

    private final RunningTurn turn;
    private final long capBytes;
    private final DetachPolicy policy;
    private final ReplaySnapshot snapshot;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Entry> retained = new ArrayDeque<>();
    /**
     * Copy-on-write: a failed write can make Jetty report the connection's failure on this very thread, and its
     * listener detaches the client while {@link #append} is still going through the list.
     */
    private final List<EventStream> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long retainedBytes;
    private int lastId;
    private volatile boolean ended;
    private volatile long endedNanos;

    TurnEventLog(RunningTurn turn, long capBytes, DetachPolicy policy, ReplaySnapshot snapshot) {
        this.turn = turn;
        this.capBytes = capBytes;
        this.policy = policy;
        this.snapshot = snapshot;
    }

    RunningTurn turn() {
        return turn;
    }

    /** Numbers the event, keeps it, and sends it to every attached client; returns its id. */
    int append(TurnEvents.Encoded encoded, ChatStreamEvent source) {
        List<EventStream> gone = new ArrayList<>();
        boolean nobodyLeft;
        int id;
        lock.lock();
        try {
            id = ++lastId;
            Entry entry = new Entry(id, encoded.name(), encoded.data());
            retained.addLast(entry);
            retainedBytes += entry.bytes();
            while (retainedBytes > capBytes && retained.size() > 1) {
                retainedBytes -= retained.removeFirst().bytes();
            }
            snapshot.accept(source, id);
            for (EventStream client : clients) {
                if (!client.send(entry)) {
                    gone.add(client);
                }
            }
            clients.removeAll(gone);
            nobodyLeft = !gone.isEmpty() && clients.isEmpty() && !ended;
        } finally {
            lock.unlock();
        }
        // The detach policy goes first: cancelling the upstream must not wait for the gone clients' responses to
        // complete (docs/architecture.md, "Keep-alive and disconnect detection").
        if (nobodyLeft) {
            policy.lastClientLeft(this);
        }
        gone.forEach(EventStream::close);
        return id;
    }

    /** The first client, attached as the turn starts: nothing to replay. */
    void attachLive(EventStream client) {
        lock.lock();
        try {
            clients.add(client);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends what came after {@code afterId} (or a snapshot, when those events were dropped), then keeps the client
     * attached until the turn ends. A finished turn's client is closed after the replay.
     *
     * @return false when the client left during the replay
     */
    boolean attach(EventStream client, int afterId) {
        boolean keep;
        lock.lock();
        try {
            int firstRetained = retained.isEmpty() ? lastId + 1 : retained.getFirst().id();
            boolean sent = true;
            if (afterId < lastId && afterId + 1 < firstRetained) {
                sent = client.send(new Entry(lastId, "snapshot", snapshot.json(lastId, turn)));
            } else {
                for (Entry entry : retained) {
                    if (entry.id() > afterId && !(sent = client.send(entry))) {
                        break;
                    }
                }
            }
            keep = sent && !ended;
            if (keep) {
                clients.add(client);
            }
        } finally {
            lock.unlock();
        }
        if (!keep) {
            client.close();
        }
        return keep || ended;
    }

    /** A client left (its connection closed, or a probe failed). */
    void detach(EventStream client) {
        boolean nobodyLeft;
        lock.lock();
        try {
            nobodyLeft = clients.remove(client) && clients.isEmpty() && !ended;
        } finally {
            lock.unlock();
        }
        if (nobodyLeft) {
            policy.lastClientLeft(this);
        }
        client.close();
    }

    /**
     * The turn stopped waiting for the person: if no client is attached, the detach policy starts counting now
     * (docs/api.md §3.7).
     */
    void decisionsSettled() {
        if (!ended && !hasClients()) {
            policy.lastClientLeft(this);
        }
    }

    /** The turn ended: every client's stream is closed; the events stay for {@code chat.replayRetention}. */
    void end() {
        List<EventStream> closing;
        lock.lock();
        try {
            ended = true;
            endedNanos = System.nanoTime();
            closing = List.copyOf(clients);
            clients.clear();
        } finally {
            lock.unlock();
        }
        closing.forEach(EventStream::close);
        policy.turnEnded(this);
    }

    /** What the kept events hold, roughly (see {@link Entry#bytes()}). */
    long retainedBytes() {
        lock.lock();
        try {
            return retainedBytes;
        } finally {
            lock.unlock();
        }
    }

    boolean hasClients() {
        lock.lock();
        try {
            return !clients.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    List<EventStream> clients() {
        lock.lock();
        try {
            return List.copyOf(clients);
        } finally {
            lock.unlock();
        }
    }

    int lastId() {
        lock.lock();
        try {
            return lastId;
        } finally {
            lock.unlock();
        }
    }

    boolean isEnded() {
        return ended;
    }

    long endedNanos() {
        return endedNanos;
    }
}
