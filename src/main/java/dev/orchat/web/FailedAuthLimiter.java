package dev.orchat.web;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** 10 failed token checks per minute from one address block that address for a minute (docs/api.md §1.1). */
public final class FailedAuthLimiter {
    private static final int MAX_FAILURES = 10;
    private static final long WINDOW_MILLIS = 60_000;
    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();
    private final Map<String, Long> blockedUntil = new ConcurrentHashMap<>();

    public FailedAuthLimiter(Clock clock) {
        this.clock = clock;
    }

    public boolean isBlocked(String address) {
        Long until = blockedUntil.get(address);
        if (until == null) {
            return false;
        }
        if (until > clock.millis()) {
            return true;
        }
        blockedUntil.remove(address, until);
        return false;
    }

    public void recordFailure(String address) {
        long now = clock.millis();
        Deque<Long> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(now);
            while (!times.isEmpty() && times.peekFirst() <= now - WINDOW_MILLIS) {
                times.removeFirst();
            }
            if (times.size() >= MAX_FAILURES) {
                blockedUntil.put(address, now + WINDOW_MILLIS);
                times.clear();
            }
        }
        if (failures.size() > 10_000) {
            failures.clear(); // bound memory under an address-spraying attack
        }
    }
}
