package dev.orchat.chat;

import java.util.Optional;

/**
 * The turns other instances run (docs/operations.md, "Several instances"). The chat feature asks it when a turn
 * or a session's running turn is not in this process: to cancel it, to follow its events, to report it. The
 * cluster feature implements it on the shared database; a single instance has no peers.
 */
public interface TurnPeers {
    /** A turn running on another live instance, and where that instance can be reached. */
    record PeerTurn(String turnId, String sessionId, String ownerUrl) {
    }

    /** The turn, if another live instance runs it. */
    Optional<PeerTurn> find(String turnId);

    /** The session's running turn, if another live instance runs it. */
    Optional<PeerTurn> runningTurnOf(String sessionId);

    /** Asks the owner to cancel the turn with {@code reason}; false when the turn no longer runs. */
    boolean requestCancel(PeerTurn turn, CancelReason reason);

    /** Whether the turn is still running anywhere. */
    boolean stillRunning(String turnId);

    TurnPeers NONE = new TurnPeers() {
        @Override
        public Optional<PeerTurn> find(String turnId) {
            return Optional.empty();
        }

        @Override
        public Optional<PeerTurn> runningTurnOf(String sessionId) {
            return Optional.empty();
        }

        @Override
        public boolean requestCancel(PeerTurn turn, CancelReason reason) {
            return false;
        }

        @Override
        public boolean stillRunning(String turnId) {
            return false;
        }
    };
}
