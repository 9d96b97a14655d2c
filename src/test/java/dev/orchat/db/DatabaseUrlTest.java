package dev.orchat.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** DATABASE_URL forms (docs/configuration.md, "database"): credentials never stay in the URL. */
class DatabaseUrlTest {
    @Test
    void libpqFormBecomesAJdbcUrlWithoutCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://chat:p%40ss%3Aw0rd@db.internal:5433/orchat?sslmode=require",
                null, null);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/orchat?sslmode=require");
        assertThat(url.user()).isEqualTo("chat");
        assertThat(url.password()).isEqualTo("p@ss:w0rd");
        assertThat(url.postgres()).isTrue();
        assertThat(url.toString()).doesNotContain("w0rd");
    }

    @Test
    void herokuSchemeAndNoPortWork() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://u:secret@localhost/app", "ignored", "ignored");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/app");
        assertThat(url.user()).isEqualTo("u");
        assertThat(url.password()).isEqualTo("secret");
    }

    @Test
    void jdbcFormLosesItsPasswordParameterToThePool() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://h/db?user=x&password=top%26secret&ssl=true", null, null);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h/db?ssl=true");
        assertThat(url.user()).isEqualTo("x");
        assertThat(url.password()).isEqualTo("top&secret");
    }

    @Test
    void sqliteAndConfiguredCredentialsAreLeftAlone() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:sqlite:data/chat.db", "a", "b");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:data/chat.db");
        assertThat(url.user()).isEqualTo("a");
        assertThat(url.postgres()).isFalse();
    }

    @Test
    void redactHidesPasswordsInAnyUrlForm() {
        assertThat(DatabaseUrl.redact("failed: postgresql://u:hunter2@h/db and jdbc:postgresql://h/db?password=hunter3&a=1"))
                .doesNotContain("hunter2").doesNotContain("hunter3").contains("u:***@").contains("password=***");
    }
}
