package dev.orchat.stt;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;

/** Service-wide sliding window of token mints (docs/api.md §2.20): at most {@code perMinute} in any 60 s. */
final class MintRateLimiter {
    private static final long WINDOW_MILLIS = 60_000;
    private final int perMinute;
    private final Clock clock;
    private final Deque<Long> mints = new ArrayDeque<>();

    MintRateLimiter(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Takes a slot, or returns the seconds until one frees up (for {@code Retry-After}). */
    synchronized OptionalLong tryAcquire() {
        long now = clock.millis();
        while (!mints.isEmpty() && mints.peekFirst() <= now - WINDOW_MILLIS) {
            mints.removeFirst();
        }
        if (mints.size() >= perMinute) {
            long waitMillis = mints.peekFirst() + WINDOW_MILLIS - now;
            return OptionalLong.of(Math.max(1, (waitMillis + 999) / 1000));
        }
        mints.addLast(now);
        return OptionalLong.empty();
    }
}
