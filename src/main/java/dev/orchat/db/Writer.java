package dev.orchat.db;

import io.dropwizard.lifecycle.Managed;
import java.util.function.Function;

/**
 * How the store's writes reach the database (docs/architecture.md, "The store"): SQLite's one group-commit writer,
 * or PostgreSQL's concurrent transactions. Each {@link #write} is all-or-nothing and committed before it returns;
 * a write that calls {@code write} again joins the transaction it runs in.
 */
interface Writer extends Managed {
    <T> T write(Function<PinnedHandle, T> work);

    @Override
    void start();

    @Override
    void stop() throws InterruptedException;
}
