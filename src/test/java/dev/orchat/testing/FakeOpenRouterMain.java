package dev.orchat.testing;

import java.util.concurrent.CountDownLatch;

/**
 * A standalone fake upstream for manual runs and benchmarks: {@code [port [chunks [intervalMillis]]]}, defaults
 * {@code 0 20 20}. Prints {@code FAKE_OPENROUTER_URL=<baseUrl>} once listening, then runs until killed.
 */
public final class FakeOpenRouterMain {
    private FakeOpenRouterMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int chunks = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long interval = args.length > 2 ? Long.parseLong(args[2]) : 20;
        FakeOpenRouter fake = FakeOpenRouter.start(port);
        fake.setRecording(false);
        fake.setDefaultScript(Scripts.paced(chunks, interval));
        System.out.println("FAKE_OPENROUTER_URL=" + fake.baseUrl());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
