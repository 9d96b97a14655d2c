package dev.orchat.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchat.web.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SearchQueryTest {
    @Test
    void wordsPhrasesPrefixesAndExclusionsBecomeQuotedFtsStrings() {
        assertThat(SearchQuery.parse("lisbon").toMatch()).isEqualTo("(\"lisbon\")");
        assertThat(SearchQuery.parse("  trip \"old town\" tram* -porto -\"rainy day\"").toMatch())
                .isEqualTo("(\"trip\" \"old town\" \"tram\"*) NOT \"porto\" NOT \"rainy day\"");
        assertThat(SearchQuery.parse("\"new yor\"*").toMatch()).isEqualTo("(\"new yor\"*)");
    }

    @Test
    void ftsOperatorsTypedByTheUserAreOnlyWords() {
        assertThat(SearchQuery.parse("a OR b NOT c").toMatch()).isEqualTo("(\"a\" \"OR\" \"b\" \"NOT\" \"c\")");
        assertThat(SearchQuery.parse("title:x NEAR(a b) ^start").toMatch())
                .isEqualTo("(\"title:x\" \"NEAR(a\" \"b)\" \"^start\")");
        assertThat(SearchQuery.parse("e-mail").toMatch()).isEqualTo("(\"e-mail\")");
    }

    @Test
    void strayPunctuationIsDroppedLikeTheTokenizerWould() {
        assertThat(SearchQuery.parse("tea & cake !!").toMatch()).isEqualTo("(\"tea\" \"cake\")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\"unbalanced", "-", "a -", "-only", "-a -b", "*", "foo*bar", "ab\"cd\"",
            "\"\"", "\"x\"y", "-!!", "!!*", "&&"})
    void badSyntaxIsA400(String q) {
        assertThatThrownBy(() -> SearchQuery.parse(q)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void sizeIsBounded() {
        assertThatThrownBy(() -> SearchQuery.parse("a".repeat(501))).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> SearchQuery.parse("w ".repeat(33))).isInstanceOf(ApiException.class);
        assertThat(SearchQuery.parse("w ".repeat(32)).include()).hasSize(32);
    }

    @Test
    void snippetsEscapeEverythingButTheMarks() {
        assertThat(Snippets.toHtml("<b>\"x\" & 'y'</b> \uE000tea\uE001 \uE000cake"))
                .isEqualTo("&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt; <mark>tea</mark> <mark>cake</mark>");
        assertThat(Snippets.toHtml("\uE001stray\uE000\uE000a")).isEqualTo("stray<mark>a</mark>");
    }

    @Test
    void postgresQueriesQuoteEveryWordAndKeepOnlyOurOperators() {
        assertThat(SearchQuery.parse("lisbon").toTsQuery()).isEqualTo("('lisbon')");
        assertThat(SearchQuery.parse("  trip \"old town\" tram* -porto -\"rainy day\"").toTsQuery())
                .isEqualTo("('trip') & ('old' <-> 'town') & ('tram':*) & !('porto') & !('rainy' <-> 'day')");
        assertThat(SearchQuery.parse("\"new yor\"*").toTsQuery()).isEqualTo("('new' <-> 'yor':*)");
        assertThat(SearchQuery.parse("it's a\\b x:* !y a|b").toTsQuery())
                .isEqualTo("('it''s') & ('a\\\\b') & ('x':*) & ('!y') & ('a|b')");
        assertThat(SearchQuery.parse("manifesto.txt <b> bob@x.org").toTsQuery())
                .isEqualTo("('manifesto' <-> 'txt') & ('b') & ('bob' <-> 'x' <-> 'org')");
        assertThat(SearchQuery.parse("x\u0000y \"a\u0001b\"").toTsQuery()).isEqualTo("('x') & ('y') & ('a' <-> 'b')");
    }

    @Test
    void postgresHeadlinesGetTheirCharactersBackAndPhrasesOneMark() {
        assertThat(PostgresSearch.snippet("The \uE000old\uE001 \uE000town\uE001 tram", "The old town tram", "The old town tram"))
                .isEqualTo("The \uE000old town\uE001 tram");
        String prepared = "trams & \u0001b\u0002x\u0001/b\u0002 a\u0003txt";
        assertThat(PostgresSearch.snippet("trams & \u0001b\u0002\uE000x\uE001\u0001/b\u0002 a\u0003txt", prepared, prepared))
                .isEqualTo("trams & <b>\uE000x\uE001</b> a.txt");
        assertThat(PostgresSearch.snippet("middle \uE000hit\uE001 here", "the start of a long text", "the end"))
                .isEqualTo("…middle \uE000hit\uE001 here…");
    }
}
