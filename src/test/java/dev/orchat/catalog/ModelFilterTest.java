package dev.orchat.catalog;

import static dev.orchat.catalog.CatalogFixtures.MAPPER;
import static dev.orchat.catalog.CatalogFixtures.SNAPSHOT;
import static dev.orchat.catalog.CatalogFixtures.decimal;
import static dev.orchat.catalog.CatalogFixtures.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.web.ApiException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The filter language of docs/api.md §2.16 over the committed catalogue fixture. Each row pairs a filter with an oracle
 * written directly against the model JSON; the row also says whether the answer must be a proper, non-empty
 * subset, so a filter that silently matches everything or nothing fails.
 */
class ModelFilterTest {
    private static final BigDecimal MICRO = new BigDecimal("0.000001");

    enum Size { SOME, NONE, ALL }

    static Stream<Arguments> cases() {
        return Stream.of(
                row("max on a string price", "{\"pricing.prompt\": {\"max\": 0.000001}}", Size.SOME,
                        m -> le(decimal(m.path("pricing").get("prompt")), MICRO)),
                row("lte alias, numeric-string operand", "{\"pricing.prompt\": {\"lte\": \"0.000001\"}}", Size.SOME,
                        m -> le(decimal(m.path("pricing").get("prompt")), MICRO)),
                row("min on an integer", "{\"context_length\": {\"min\": 128000}}", Size.SOME,
                        m -> ge(decimal(m.get("context_length")), new BigDecimal(128000))),
                row("gte and lte together", "{\"context_length\": {\"gte\": 100000, \"lte\": 200000}}", Size.SOME,
                        m -> ge(decimal(m.get("context_length")), new BigDecimal(100000))
                                && le(decimal(m.get("context_length")), new BigDecimal(200000))),
                row("array criterion on enriched list", "{\"input_modalities\": [\"image\"]}", Size.SOME,
                        m -> strings(m.get("input_modalities")).contains("image")),
                row("array criterion, any of several", "{\"input_modalities\": [\"audio\", \"file\"]}", Size.SOME,
                        m -> strings(m.get("input_modalities")).contains("audio") || strings(m.get("input_modalities")).contains("file")),
                row("scalar criterion trimmed and case-blind", "{\"architecture.input_modalities\": \" IMAGE \"}", Size.SOME,
                        m -> strings(m.path("architecture").get("input_modalities")).stream().anyMatch(s -> s.equalsIgnoreCase("image"))),
                row("boolean scalar", "{\"supports_tools\": true}", Size.SOME, m -> m.get("supports_tools").booleanValue()),
                row("boolean against the string true", "{\"supports_tools\": \"TRUE\"}", Size.SOME, m -> m.get("supports_tools").booleanValue()),
                row("eq", "{\"top_provider.is_moderated\": {\"eq\": false}}", Size.SOME,
                        m -> m.path("top_provider").path("is_moderated").isBoolean() && !m.path("top_provider").get("is_moderated").booleanValue()),
                row("equals alias", "{\"top_provider.is_moderated\": {\"equals\": true}}", Size.SOME,
                        m -> m.path("top_provider").path("is_moderated").asBoolean(false)),
                row("neq", "{\"provider_prefix\": {\"neq\": \"OpenAI\"}}", Size.SOME, m -> !m.get("provider_prefix").asText().equals("openai")),
                row("not with an array operand", "{\"provider_prefix\": {\"not\": [\"openai\", \"anthropic\"]}}", Size.SOME,
                        m -> !List.of("openai", "anthropic").contains(m.get("provider_prefix").asText())),
                row("contains is case-blind", "{\"name\": {\"contains\": \"CLAUDE\"}}", Size.SOME,
                        m -> m.path("name").asText("").toLowerCase(Locale.ROOT).contains("claude")),
                row("substring alias on numbers", "{\"context_length\": {\"substring\": 1000}}", Size.SOME,
                        m -> m.has("context_length") && m.get("context_length").asText().contains("1000")),
                row("contains null fails", "{\"name\": {\"contains\": null}}", Size.NONE, m -> false),
                row("in", "{\"provider_prefix\": {\"in\": [\"qwen\", \"DeepSeek\"]}}", Size.SOME,
                        m -> List.of("qwen", "deepseek").contains(m.get("provider_prefix").asText())),
                row("one_of alias", "{\"architecture.tokenizer\": {\"one_of\": [\"GPT\"]}}", Size.SOME,
                        m -> m.path("architecture").path("tokenizer").asText("").equals("GPT")),
                row("in without an array fails", "{\"provider_prefix\": {\"in\": \"qwen\"}}", Size.NONE, m -> false),
                row("exists false treats null as missing", "{\"top_provider.max_completion_tokens\": {\"exists\": false}}", Size.SOME,
                        m -> m.path("top_provider").path("max_completion_tokens").isNull()
                                || m.path("top_provider").path("max_completion_tokens").isMissingNode()),
                row("exists true", "{\"hugging_face_id\": {\"exists\": true}}", Size.SOME, m -> m.path("hugging_face_id").isTextual()),
                row("path through an array of objects", "{\"endpoints.provider\": \"beta\"}", Size.SOME,
                        m -> m.path("id").asText().equals("edge/nested-endpoints")),
                row("path through nested arrays", "{\"endpoints.tags\": \"DEEP\"}", Size.SOME,
                        m -> m.path("id").asText().equals("edge/nested-endpoints")),
                row("terminal array gives its elements", "{\"endpoints.tags\": [\"eu\"]}", Size.SOME,
                        m -> m.path("id").asText().equals("edge/nested-endpoints")),
                row("unknown operator fails", "{\"context_length\": {\"between\": [1, 2]}}", Size.NONE, m -> false),
                row("unknown operator beside a true one still fails", "{\"id\": {\"exists\": true, \"like\": \"a\"}}", Size.NONE, m -> false),
                row("booleans as 1/0 for min", "{\"supports_tools\": {\"min\": 1}}", Size.SOME, m -> m.get("supports_tools").booleanValue()),
                row("booleans as 1/0 for max", "{\"supports_reasoning\": {\"max\": 0}}", Size.SOME, m -> !m.get("supports_reasoning").booleanValue()),
                row("unparseable numeric operand fails", "{\"pricing.prompt\": {\"min\": \"cheap\"}}", Size.NONE, m -> false),
                row("no numeric values fails", "{\"description\": {\"min\": 0}}", Size.NONE, m -> false),
                row("number equals numeric string", "{\"context_length\": \"32768\"}", Size.SOME,
                        m -> decimal(m.get("context_length")) != null && decimal(m.get("context_length")).compareTo(new BigDecimal(32768)) == 0),
                row("numeric string equals number", "{\"pricing.prompt\": 0}", Size.SOME,
                        m -> decimal(m.path("pricing").get("prompt")) != null && decimal(m.path("pricing").get("prompt")).signum() == 0),
                row("series alias", "{\"series_normalized\": \"claude\"}", Size.SOME, m -> m.get("provider_prefix").asText().equals("anthropic")),
                row("contains over a list", "{\"supported_parameters_normalized\": {\"contains\": \"reason\"}}", Size.SOME,
                        m -> strings(m.get("supported_parameters_normalized")).stream().anyMatch(s -> s.contains("reason"))),
                row("all entries must match", "{\"supports_tools\": true, \"input_modalities\": [\"image\"], \"pricing.prompt\": {\"max\": 0.000001}}", Size.SOME,
                        m -> m.get("supports_tools").booleanValue() && strings(m.get("input_modalities")).contains("image")
                                && le(decimal(m.path("pricing").get("prompt")), MICRO)),
                row("missing path with exists false", "{\"no.such.path\": {\"exists\": false}}", Size.ALL, m -> true),
                row("missing path with a scalar", "{\"no.such.path\": 1}", Size.NONE, m -> false),
                row("empty operator object holds", "{\"id\": {}}", Size.ALL, m -> true),
                row("empty filter", "{}", Size.ALL, m -> true));
    }

    private static Arguments row(String name, String filter, Size size, Predicate<JsonNode> oracle) {
        return Arguments.of(name, filter, size, oracle);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void filterMatchesItsOracle(String name, String filter, Size size, Predicate<JsonNode> oracle) {
        ModelFilter parsed = ModelFilter.parse(filter, MAPPER);
        List<String> actual = SNAPSHOT.models().stream().filter(parsed::matches).map(m -> m.path("id").asText()).toList();
        List<String> expected = SNAPSHOT.models().stream().filter(oracle).map(m -> m.path("id").asText()).toList();
        assertThat(actual).isEqualTo(expected);
        int total = SNAPSHOT.models().size();
        switch (size) {
            case NONE -> assertThat(actual).isEmpty();
            case ALL -> assertThat(actual).hasSize(total);
            case SOME -> assertThat(actual.size()).isBetween(1, total - 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":", "{a: 1}", "not json", "{\"a\": [1,}"})
    void malformedJsonIs400WithTheParserMessage(String filter) {
        assertThatThrownBy(() -> ModelFilter.parse(filter, MAPPER))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat((String) e.detail()).startsWith("Invalid filters parameter: ").hasSizeGreaterThan(30);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2]", "\"text\"", "42", "true", "null"})
    void validJsonThatIsNotAnObjectIs400(String filter) {
        assertThatThrownBy(() -> ModelFilter.parse(filter, MAPPER))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.detail()).isEqualTo("Filters parameter must be a JSON object.");
                });
    }

    @Test
    void blankFilterIsNoFilter() {
        assertThat(ModelFilter.parse("  ", MAPPER).isEmpty()).isTrue();
        assertThat(ModelFilter.parse(null, MAPPER).isEmpty()).isTrue();
    }

    static Stream<Arguments> searches() {
        return Stream.of(
                Arguments.of("claude LYRIC", 1), Arguments.of("gpt", 1), Arguments.of("1000000", 1),
                Arguments.of("  vision   free ", 1), Arguments.of("no-such-token-anywhere", 0), Arguments.of("synthetic", 2));
    }

    /** Every token must be a substring of one leaf; oracle: walk the leaves of the enriched model. */
    @ParameterizedTest(name = "search {0}")
    @MethodSource("searches")
    void searchNeedsEveryTokenInSomeLeaf(String search, int kind) {
        ModelSearch parsed = ModelSearch.parse(search);
        List<String> tokens = List.of(search.strip().toLowerCase(Locale.ROOT).split("\\s+"));
        List<String> actual = new java.util.ArrayList<>();
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < SNAPSHOT.models().size(); i++) {
            JsonNode m = SNAPSHOT.models().get(i);
            if (parsed.matches(SNAPSHOT.leafText(i))) {
                actual.add(m.path("id").asText());
            }
            List<String> leaves = new java.util.ArrayList<>();
            leaves(m, leaves);
            if (tokens.stream().allMatch(t -> leaves.stream().anyMatch(l -> l.contains(t)))) {
                expected.add(m.path("id").asText());
            }
        }
        assertThat(actual).isEqualTo(expected);
        if (kind == 0) {
            assertThat(actual).isEmpty();
        } else if (kind == 1) {
            assertThat(actual.size()).isBetween(1, SNAPSHOT.models().size() - 1);
        } else {
            assertThat(actual).isNotEmpty();
        }
    }

    private static void leaves(JsonNode node, List<String> out) {
        if (node.isObject() || node.isArray()) {
            node.forEach(child -> leaves(child, out));
        } else if (!node.isNull()) {
            out.add(node.asText().trim().toLowerCase(Locale.ROOT));
        }
    }

    private static boolean le(BigDecimal value, BigDecimal bound) {
        return value != null && value.compareTo(bound) <= 0;
    }

    private static boolean ge(BigDecimal value, BigDecimal bound) {
        return value != null && value.compareTo(bound) >= 0;
    }
}
