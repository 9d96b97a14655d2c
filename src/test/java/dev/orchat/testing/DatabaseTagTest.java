package dev.orchat.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every test class that uses the database (starts the app, reads its store, builds a store by hand) carries
 * {@code @Tag("database")}, so the PostgreSQL pass of pom.xml runs it too; a new test cannot silently be SQLite-only.
 */
class DatabaseTagTest {
    private static final Pattern USES_DATABASE = Pattern.compile(
            "TestApp\\.create\\(|new Db\\(|TestDatabase\\.|ChildApp\\.start\\(|Migrations\\.apply\\(");

    @Test
    void everyDatabaseTestClassRunsOnBothDatabases() throws IOException {
        List<Path> untagged;
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            untagged = files.filter(f -> f.toString().endsWith("Test.java"))
                    .filter(f -> !f.getFileName().toString().equals("DatabaseTagTest.java"))
                    .filter(f -> read(f).contains("@Test") && USES_DATABASE.matcher(read(f)).find())
                    .filter(f -> !read(f).contains("@Tag(\"database\")"))
                    .toList();
        }
        assertThat(untagged).as("test classes that use the database but would not run on PostgreSQL").isEmpty();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
