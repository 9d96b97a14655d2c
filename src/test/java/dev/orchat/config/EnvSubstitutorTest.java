package dev.orchat.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/configuration.md §1: {@code .env} parsing and {@code ${NAME:-default}} substitution in config.yml. */
class EnvSubstitutorTest {

    private static EnvSubstitutor substitutor(Map<String, String> env, String... dotEnvLines) {
        return new EnvSubstitutor(env::get, DotEnv.parse(List.of(dotEnvLines)));
    }

    // ---- DotEnv ------------------------------------------------------------------------------

    @Test
    void parsesPlainKeyValueLines() {
        DotEnv env = DotEnv.parse(List.of("A=1", "B = two ", "  C=three"));

        assertThat(env.get("A")).contains("1");
        assertThat(env.get("B")).contains("two");
        assertThat(env.get("C")).contains("three");
        assertThat(env.get("D")).isEmpty();
    }

    @Test
    void skipsCommentsBlankLinesAndLinesWithoutKey() {
        DotEnv env = DotEnv.parse(List.of("# A=commented", "   # B=also", "", "   ", "NOEQUALS", "=orphan", "C=ok"));

        assertThat(env.get("A")).isEmpty();
        assertThat(env.get("B")).isEmpty();
        assertThat(env.get("NOEQUALS")).isEmpty();
        assertThat(env.get("")).isEmpty();
        assertThat(env.get("C")).contains("ok");
    }

    @Test
    void exportPrefixIsOptional() {
        DotEnv env = DotEnv.parse(List.of("export A=1", "export   B=2"));

        assertThat(env.get("A")).contains("1");
        assertThat(env.get("B")).contains("2");
        assertThat(env.get("export A")).isEmpty();
    }

    @Test
    void singleAndDoubleQuotesAreRemoved() {
        DotEnv env = DotEnv.parse(List.of("A=\"double quoted\"", "B='single quoted'", "C=\"\"", "D=''"));

        assertThat(env.get("A")).contains("double quoted");
        assertThat(env.get("B")).contains("single quoted");
        assertThat(env.get("C")).contains("");
        assertThat(env.get("D")).contains("");
    }

    @Test
    void quotedValuesKeepHashesAndSpaces() {
        DotEnv env = DotEnv.parse(List.of("A=\"value # not a comment\"", "B='  padded  '"));

        assertThat(env.get("A")).contains("value # not a comment");
        assertThat(env.get("B")).contains("  padded  ");
    }

    @Test
    void mismatchedQuotesAreKept() {
        DotEnv env = DotEnv.parse(List.of("A=\"open", "B='mixed\"", "C=\""));

        assertThat(env.get("A")).contains("\"open");
        assertThat(env.get("B")).contains("'mixed\"");
        assertThat(env.get("C")).contains("\"");
    }

    @Test
    void unquotedValueDropsTrailingComment() {
        DotEnv env = DotEnv.parse(List.of("A=value # note", "B=pass#word"));

        assertThat(env.get("A")).contains("value");
        assertThat(env.get("B")).contains("pass#word");
    }

    @Test
    void valueMayContainEqualsSigns() {
        DotEnv env = DotEnv.parse(List.of("URL=https://x.example/?a=b&c=d"));

        assertThat(env.get("URL")).contains("https://x.example/?a=b&c=d");
    }

    @Test
    void emptyValueIsPresentButEmpty() {
        assertThat(DotEnv.parse(List.of("KEY=")).get("KEY")).contains("");
    }

    @Test
    void laterLineWins() {
        assertThat(DotEnv.parse(List.of("A=1", "A=2")).get("A")).contains("2");
    }

    @Test
    void loadReadsFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(".env");
        Files.writeString(file, "# settings\nexport OPENROUTER_API_KEY='sk-or-123'\nPORT=8080 # http\n",
                StandardCharsets.UTF_8);

        DotEnv env = DotEnv.load(file);

        assertThat(env.get("OPENROUTER_API_KEY")).contains("sk-or-123");
        assertThat(env.get("PORT")).contains("8080");
    }

    @Test
    void missingFileOrDirectoryIsEmpty(@TempDir Path dir) {
        assertThat(DotEnv.load(dir.resolve("absent.env")).get("A")).isEmpty();
        assertThat(DotEnv.load(dir).get("A")).isEmpty();
        assertThat(DotEnv.empty().get("A")).isEmpty();
    }

    // ---- substitution --------------------------------------------------------------------------

    @Test
    void substitutesFromEnvironment() {
        EnvSubstitutor s = substitutor(Map.of("PORT", "9000"));

        assertThat(s.replace("port: ${PORT}")).isEqualTo("port: 9000");
    }

    @Test
    void substitutesFromDotEnvWhenEnvironmentLacksKey() {
        EnvSubstitutor s = substitutor(Map.of(), "PORT=7000");

        assertThat(s.replace("port: ${PORT:-8080}")).isEqualTo("port: 7000");
    }

    @Test
    void environmentWinsOverDotEnv() {
        EnvSubstitutor s = substitutor(Map.of("PORT", "9000"), "PORT=7000");

        assertThat(s.replace("${PORT:-8080}")).isEqualTo("9000");
    }

    @Test
    void emptyEnvironmentValueFallsBackToDotEnv() {
        EnvSubstitutor s = substitutor(Map.of("PORT", ""), "PORT=7000");

        assertThat(s.replace("${PORT:-8080}")).isEqualTo("7000");
    }

    @Test
    void defaultUsedWhenUnset() {
        assertThat(substitutor(Map.of()).replace("${PORT:-8080}")).isEqualTo("8080");
    }

    @Test
    void emptyDotEnvValueFallsBackToDefault() {
        EnvSubstitutor s = substitutor(Map.of(), "PORT=", "TITLE=\"\"");

        assertThat(s.replace("${PORT:-8080}")).isEqualTo("8080");
        assertThat(s.replace("${TITLE:-orchat}")).isEqualTo("orchat");
    }

    @Test
    void emptyEnvironmentValueFallsBackToDefault() {
        assertThat(substitutor(Map.of("PORT", "")).replace("${PORT:-8080}")).isEqualTo("8080");
    }

    @Test
    void emptyDefaultGivesEmptyString() {
        assertThat(substitutor(Map.of()).replace("key: '${API_KEY:-}'")).isEqualTo("key: ''");
    }

    @Test
    void nestedDefaultsChainLegacyNames() {
        String template = "${OPENROUTER_APP_URL:-${HTTP_REFERER:-${REFERER:-}}}";

        assertThat(substitutor(Map.of()).replace(template)).isEmpty();
        assertThat(substitutor(Map.of("REFERER", "r")).replace(template)).isEqualTo("r");
        assertThat(substitutor(Map.of("REFERER", "r"), "HTTP_REFERER=h").replace(template)).isEqualTo("h");
        assertThat(substitutor(Map.of("REFERER", "r", "OPENROUTER_APP_URL", "o"), "HTTP_REFERER=h")
                .replace(template)).isEqualTo("o");
    }

    @Test
    void nestedDefaultReachesLiteral() {
        assertThat(substitutor(Map.of()).replace("${A:-${B:-x}}")).isEqualTo("x");
        assertThat(substitutor(Map.of("B", "b")).replace("${A:-${B:-x}}")).isEqualTo("b");
        assertThat(substitutor(Map.of("A", "a", "B", "b")).replace("${A:-${B:-x}}")).isEqualTo("a");
        assertThat(substitutor(Map.of("A", ""), "B=").replace("${A:-${B:-x}}")).isEqualTo("x");
    }

    @Test
    void unsetReferenceWithoutDefaultStaysInText() {
        assertThat(substitutor(Map.of()).replace("key: ${MISSING}")).isEqualTo("key: ${MISSING}");
    }

    @Test
    void multipleReferencesInOneLine() {
        EnvSubstitutor s = substitutor(Map.of("HOST", "example.com"), "PORT=81");

        assertThat(s.replace("http://${HOST:-localhost}:${PORT:-80}/${PATH_PREFIX:-api}"))
                .isEqualTo("http://example.com:81/api");
    }

    @Test
    void ofUsesOnlyTheGivenMap() {
        assertThat(EnvSubstitutor.of(Map.of("X", "1")).replace("${X}-${Y:-2}")).isEqualTo("1-2");
    }

    @Test
    void dotEnvValuesAreNotExportedToTheProcessEnvironment() {
        String key = "ORCHAT_TEST_ONLY_" + System.nanoTime();
        substitutor(Map.of(), key + "=secret").replace("${" + key + ":-x}");

        assertThat(System.getenv(key)).isNull();
    }
}
