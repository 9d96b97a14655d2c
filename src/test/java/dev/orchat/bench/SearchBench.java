package dev.orchat.bench;

import dev.orchat.db.Migrations;
import dev.orchat.search.SearchBenchAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Search benchmark (docs/performance.md "Search"): generates a history into a temp SQLite file through the real
 * migrations (so the FTS5 triggers index every message as it is inserted), then measures
 * (1) query latency of {@code GET /api/search}'s code path (parse, rank, page of 20 with snippets and joins) on a
 * query mix, and (2) what the index adds to the insert transaction of a message.
 *
 * <p>Not a test. Run: {@code bench/search.sh [sessions] [messagesPerSession]} (default 10000 × 100). With
 * {@code BENCH_DATABASE_URL=jdbc:postgresql://…} (an empty database) it runs on PostgreSQL and its tsvector index
 * (migration 008) instead.
 */
public final class SearchBench {
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "ta", "so", "vi", "pe", "do", "ga",
            "ri", "mu", "ze", "bo", "la", "fi", "no", "ser", "tan", "vel", "mor", "kin", "dra", "pol", "est", "ion"};

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int perSession = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        // A third argument names the database file: generated there when missing, else reused as it is (an earlier
        // run with the same sizes) and only measured.
        Path file = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("orchat-search-bench").resolve("bench.db");
        boolean reuse = args.length > 2 && Files.exists(file);
        String pgUrl = System.getenv("BENCH_DATABASE_URL");
        boolean postgres = pgUrl != null && pgUrl.startsWith("jdbc:postgresql:");
        DataSource ds;
        if (postgres) {
            org.postgresql.ds.PGSimpleDataSource pg = new org.postgresql.ds.PGSimpleDataSource();
            pg.setUrl(pgUrl);
            ds = pg;
        } else {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.enforceForeignKeys(true);
            config.setBusyTimeout(5000);
            SQLiteDataSource sqlite = new SQLiteDataSource(config);
            sqlite.setUrl("jdbc:sqlite:" + file);
            ds = sqlite;
        }
        Migrations.apply(ds);

        String[] vocabulary = vocabulary(20_000, new Random(7));
        double[] zipf = zipfCumulative(vocabulary.length, 1.0);
        if (!reuse) {
            long t0 = System.nanoTime();
            generate(ds, sessions, perSession, vocabulary, zipf, new Random(42));
            double genSeconds = (System.nanoTime() - t0) / 1e9;
            long messages = (long) sessions * perSession;
            System.out.printf(Locale.ROOT, "generated %d sessions / %d messages in %.1f s (%.0f messages/s, index kept by triggers); db %d MB%n",
                    sessions, messages, genSeconds, messages / genSeconds, size(ds, file, postgres) >> 20);
        }
        // PostgreSQL: a pool as the service has (a fresh backend per query would measure connection setup and the
        // first load of the unaccent rules, ~10 ms, instead of the search). SQLite opens a file: no pool needed.
        Jdbi jdbi = Jdbi.create(postgres ? pooled(pgUrl) : ds);
        { // messages inserted by the generator (or an older run) wait in the indexer's queue; index them before the
          // statistics are taken
            long t0 = System.nanoTime();
            SearchBenchAccess access = new SearchBenchAccess(jdbi, postgres);
            int indexed = access.catchUp();
            access.close();
            System.out.printf(Locale.ROOT, "indexed %d queued messages in %.1f s%n", indexed, (System.nanoTime() - t0) / 1e9);
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(postgres ? "VACUUM ANALYZE" : "PRAGMA wal_checkpoint(TRUNCATE)");
            st.execute("ANALYZE");
        }
        System.out.printf(Locale.ROOT, "db after checkpoint: %d MB; %s, Java %s, %d cores, load average %.2f%n", size(ds, file, postgres) >> 20,
                java.time.Instant.now(), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        queries(jdbi, postgres, vocabulary, new Random(99));
        insertOverhead(ds, jdbi, postgres, sessions, vocabulary, zipf, new Random(5));
        System.out.println(postgres ? "database kept at " + pgUrl : "db file kept at " + file);
    }

    private static DataSource pooled(String url) {
        org.apache.tomcat.jdbc.pool.PoolProperties properties = new org.apache.tomcat.jdbc.pool.PoolProperties();
        properties.setUrl(url);
        properties.setDriverClassName("org.postgresql.Driver");
        properties.setInitialSize(1);
        properties.setMaxActive(2);
        return new org.apache.tomcat.jdbc.pool.DataSource(properties);
    }

    private static long size(DataSource ds, Path file, boolean postgres) throws Exception {
        if (!postgres) {
            return Files.size(file);
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void generate(DataSource ds, int sessions, int perSession, String[] vocabulary, double[] zipf,
                                 Random random) throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            PreparedStatement session = c.prepareStatement("INSERT INTO sessions (id, title, title_source, created_at,"
                    + " updated_at, message_count, next_position) VALUES (?, ?, 'auto', ?, ?, ?, ?)");
            PreparedStatement turn = c.prepareStatement("INSERT INTO turns (id, session_id, seq, status, started_at)"
                    + " VALUES (?, ?, ?, 'complete', ?)");
            PreparedStatement message = c.prepareStatement("INSERT INTO messages (session_id, turn_id, position, role,"
                    + " content, content_kind, created_at) VALUES (?, ?, ?, ?, ?, 'text', ?)");
            String at = "2026-01-01T00:00:00.000Z";
            long count = 0;
            for (int s = 0; s < sessions; s++) {
                String id = String.format(Locale.ROOT, "bench-%06d", s);
                session.setString(1, id);
                session.setString(2, sentence(random, vocabulary, zipf, 3 + random.nextInt(5)));
                session.setString(3, at);
                session.setString(4, at);
                session.setInt(5, perSession);
                session.setInt(6, perSession + 1);
                session.executeUpdate();
                String turnId = null;
                for (int p = 1; p <= perSession; p++) {
                    boolean user = p % 2 == 1;
                    if (user) {
                        turnId = id + "-t" + p;
                        turn.setString(1, turnId);
                        turn.setString(2, id);
                        turn.setInt(3, p);
                        turn.setString(4, at);
                        turn.addBatch();
                    }
                    message.setString(1, id);
                    message.setString(2, turnId);
                    message.setInt(3, p);
                    message.setString(4, user ? "user" : "assistant");
                    message.setString(5, sentence(random, vocabulary, zipf, user ? 8 + random.nextInt(25) : 30 + random.nextInt(90)));
                    message.setString(6, at);
                    message.addBatch();
                    if (user) {
                        turn.executeBatch();
                    }
                    count++;
                }
                message.executeBatch();
                if (s % 100 == 99) {
                    c.commit();
                }
                if (s % 1000 == 999) {
                    System.out.printf(Locale.ROOT, "  %d messages…%n", count);
                }
            }
            c.commit();
        }
    }

    private record QueryClass(String name, List<String> queries) {
    }

    private static void queries(Jdbi jdbi, boolean postgres, String[] vocabulary, Random random) throws InterruptedException {
        List<QueryClass> classes = List.of(
                new QueryClass("rare word (rank 2000-20000)", pick(random, 60, () -> vocabulary[2000 + random.nextInt(18000)])),
                new QueryClass("medium word (rank 200-2000)", pick(random, 60, () -> vocabulary[200 + random.nextInt(1800)])),
                new QueryClass("two words (rank 100-1000)", pick(random, 40, () -> vocabulary[100 + random.nextInt(900)] + " "
                        + vocabulary[100 + random.nextInt(900)])),
                new QueryClass("phrase (rank 20-500)", pick(random, 40, () -> "\"" + vocabulary[20 + random.nextInt(480)] + " "
                        + vocabulary[20 + random.nextInt(480)] + "\"")),
                new QueryClass("prefix (4 letters of rank 200-2000)", pick(random, 40, () -> prefix(vocabulary[200 + random.nextInt(1800)]))),
                new QueryClass("word minus word (rank 100-1000)", pick(random, 40, () -> vocabulary[100 + random.nextInt(900)]
                        + " -" + vocabulary[100 + random.nextInt(900)])),
                new QueryClass("very common word (rank 5-50), worst case", pick(random, 20, () -> vocabulary[5 + random.nextInt(45)])));
        SearchBenchAccess search = new SearchBenchAccess(jdbi, postgres);
        for (QueryClass qc : classes) { // warm-up: page cache and statement caches
            for (String q : qc.queries().subList(0, Math.min(5, qc.queries().size()))) {
                search.search(q, 20);
            }
        }
        List<Double> mix = new ArrayList<>();
        System.out.println();
        System.out.println("| Query class | n | hits/page | p50 ms | p95 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|");
        for (QueryClass qc : classes) {
            List<Double> times = new ArrayList<>();
            long hits = 0;
            for (String q : qc.queries()) {
                long start = System.nanoTime();
                hits += search.search(q, 20);
                times.add((System.nanoTime() - start) / 1e6);
            }
            if (!qc.name().contains("worst")) {
                mix.addAll(times);
            }
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f |%n", qc.name(), times.size(),
                    hits / (double) times.size(), pct(times, 50), pct(times, 95), pct(times, 100));
        }
        System.out.printf(Locale.ROOT, "| **mix (all but the worst case)** | %d | | **%.1f** | **%.1f** | %.1f |%n",
                mix.size(), pct(mix, 50), pct(mix, 95), pct(mix, 100));
        search.close(); // its pinned connections go back to the pool of 2
    }

    /**
     * What keeping the index adds to a turn: a turn's two message-insert transactions (the user message, 8-32 words,
     * then the answer, 30-119 words), as the store runs them, without an index trigger, with the shipped one (the
     * id queued for {@code MessageIndexer}, migration 010) and with the text indexed inside the transaction (the
     * triggers of migrations 005 and 008). Alternating blocks on the full database. Also times the background
     * catch-up of the queued messages (per message).
     */
    private static void insertOverhead(DataSource ds, Jdbi jdbi, boolean postgres, int sessions, String[] vocabulary,
                                       double[] zipf, Random random) throws Exception {
        // Each variant's statements, run in order before its block; the first one of each drops or disables the trigger.
        String[] names = {"no index trigger", "id queued for the indexer (shipped, migration 010)",
                "text indexed in the transaction (before migration 010)"};
        String[][] setups;
        String[] restore;
        if (postgres) {
            String disable = "ALTER TABLE messages DISABLE TRIGGER search_message_insert";
            String enable = "ALTER TABLE messages ENABLE TRIGGER search_message_insert";
            String queue = pgInsertFunction("INSERT INTO search_pending (message_id) VALUES (NEW.id);");
            String inline = pgInsertFunction("INSERT INTO search_index (doc, vector)"
                    + " VALUES (NEW.id, orchat_search_vector(orchat_search_text(NEW.content_kind, NEW.content), 'D'));");
            setups = new String[][]{{disable}, {disable, queue, enable}, {disable, inline, enable}};
            restore = new String[]{disable, queue, enable};
        } else {
            String shipped;
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 var rs = st.executeQuery("SELECT sql FROM sqlite_master WHERE name = 'search_message_insert'")) {
                rs.next();
                shipped = rs.getString(1);
            }
            String drop = "DROP TRIGGER IF EXISTS search_message_insert";
            String inline = "CREATE TRIGGER search_message_insert AFTER INSERT ON messages BEGIN"
                    + " INSERT INTO search_fts (rowid, title, body) VALUES (NEW.id, NULL, NEW.content); END";
            setups = new String[][]{{drop}, {drop, shipped}, {drop, inline}};
            restore = new String[]{drop, shipped};
        }
        List<List<Double>> turns = new ArrayList<>();
        for (int v = 0; v < names.length; v++) {
            turns.add(new ArrayList<>());
        }
        List<Double> catchUpPerMessage = new ArrayList<>();
        SearchBenchAccess access = new SearchBenchAccess(jdbi, postgres);
        try (Connection c = ds.getConnection()) {
            PreparedStatement position = c.prepareStatement("UPDATE sessions SET next_position = next_position + 1"
                    + " WHERE id = ? RETURNING next_position - 1");
            PreparedStatement insert = c.prepareStatement("INSERT INTO messages (session_id, turn_id, position, role,"
                    + " content, content_kind, created_at) VALUES (?, ?, ?, ?, ?, 'text', '2026-01-02T00:00:00.000Z')"
                    + " RETURNING id");
            for (int round = 0; round < 12; round++) {
                for (int v = 0; v < names.length; v++) {
                    run(c, setups[v]);
                    for (int i = 0; i < 150; i++) {
                        String session = String.format(Locale.ROOT, "bench-%06d", random.nextInt(sessions));
                        double turn = 0;
                        for (int m = 0; m < 2; m++) {
                            String text = sentence(random, vocabulary, zipf, m == 0 ? 8 + random.nextInt(25) : 30 + random.nextInt(90));
                            long start = System.nanoTime();
                            c.setAutoCommit(false);
                            position.setString(1, session);
                            int pos;
                            try (var rs = position.executeQuery()) {
                                rs.next();
                                pos = rs.getInt(1);
                            }
                            insert.setString(1, session);
                            insert.setString(2, session + "-t1");
                            insert.setInt(3, pos);
                            insert.setString(4, m == 0 ? "user" : "assistant");
                            insert.setString(5, text);
                            try (var rs = insert.executeQuery()) {
                                rs.next();
                            }
                            c.commit();
                            c.setAutoCommit(true);
                            turn += (System.nanoTime() - start) / 1e6;
                        }
                        if (round >= 2) { // the first two rounds warm up the JIT and the caches
                            turns.get(v).add(turn);
                        }
                    }
                    if (v == 1) {
                        long start = System.nanoTime();
                        int indexed = access.catchUp();
                        if (round >= 2 && indexed > 0) {
                            catchUpPerMessage.add((System.nanoTime() - start) / 1e6 / indexed);
                        }
                    }
                }
            }
            run(c, restore); // leave the shipped trigger in place, and nothing queued
            access.catchUp();
        } finally {
            access.close();
        }
        System.out.println();
        System.out.println("| A turn's two message-insert transactions | n | p50 ms | p95 ms | p50 over no trigger |");
        System.out.println("|---|---|---|---|---|");
        double base = pct(turns.get(0), 50);
        for (int v = 0; v < names.length; v++) {
            List<Double> t = turns.get(v);
            System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %s |%n", names[v], t.size(), pct(t, 50), pct(t, 95),
                    v == 0 ? "" : String.format(Locale.ROOT, "**%+.3f**", pct(t, 50) - base));
        }
        if (!catchUpPerMessage.isEmpty()) {
            System.out.printf(Locale.ROOT, "%nBackground catch-up (batches of %d turns' messages): %.4f ms per message p50, %.4f p95%n",
                    150, pct(catchUpPerMessage, 50), pct(catchUpPerMessage, 95));
        }
    }

    private static String pgInsertFunction(String body) {
        return "CREATE OR REPLACE FUNCTION orchat_search_message_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + body + " RETURN NULL; END $$";
    }

    private static void run(Connection c, String[] statements) throws Exception {
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    private static List<String> pick(Random random, int n, java.util.function.Supplier<String> query) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(query.get());
        }
        return out;
    }

    private static String prefix(String word) {
        return word.substring(0, Math.min(4, word.length())) + "*";
    }

    private static double pct(List<Double> values, int p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String[] vocabulary(int size, Random random) {
        java.util.LinkedHashSet<String> words = new java.util.LinkedHashSet<>();
        while (words.size() < size) {
            int syllables = 2 + random.nextInt(3);
            StringBuilder w = new StringBuilder();
            for (int i = 0; i < syllables; i++) {
                w.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            words.add(w.toString());
        }
        return words.toArray(String[]::new);
    }

    private static double[] zipfCumulative(int n, double s) {
        double[] cumulative = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1 / Math.pow(i + 1, s);
            cumulative[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= sum;
        }
        return cumulative;
    }

    private static String sentence(Random random, String[] vocabulary, double[] zipf, int words) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words; i++) {
            int index = Arrays.binarySearch(zipf, random.nextDouble());
            index = index < 0 ? -index - 1 : index;
            out.append(i == 0 ? "" : (random.nextInt(12) == 0 ? ". " : " ")).append(vocabulary[Math.min(index, vocabulary.length - 1)]);
        }
        return out.append('.').toString();
    }
}
