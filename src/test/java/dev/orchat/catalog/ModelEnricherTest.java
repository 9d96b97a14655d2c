package dev.orchat.catalog;

import static dev.orchat.catalog.CatalogFixtures.MAPPER;
import static dev.orchat.catalog.CatalogFixtures.model;
import static dev.orchat.catalog.CatalogFixtures.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/api.md §2.16 on the fixture's edge cases and on small hand-written models. */
class ModelEnricherTest {

    @Test
    void modalitiesAreSortedUniqueLowerCase() {
        JsonNode auto = model("openrouter/auto");
        assertThat(strings(auto.get("input_modalities"))).containsExactly("image", "text");
        assertThat(auto.get("supports_images").booleanValue()).isTrue();
        assertThat(auto.get("supports_files").booleanValue()).isFalse();
        assertThat(auto.get("prompt_price").doubleValue()).isEqualTo(-1.0);
        assertThat(auto.get("prompt_price_per_million").doubleValue()).isEqualTo(-1_000_000.0);
        assertThat(strings(auto.get("series"))).contains("router", "auto", "Auto", "Router", "openrouter", "openrouter/auto", "Other");
        // The upstream keys stay as they were.
        assertThat(strings(auto.path("architecture").get("input_modalities"))).containsExactly("Text", "IMAGE", "text");
    }

    @Test
    void capabilitiesAndCoercions() {
        JsonNode m = model("edge/capabilities-tools");
        assertThat(m.get("supports_tools").booleanValue()).isTrue();
        assertThat(m.get("context_length").isIntegralNumber()).isTrue();
        assertThat(m.get("context_length").longValue()).isEqualTo(32768);
        assertThat(m.has("prompt_price")).isFalse();
        assertThat(m.has("prompt_price_per_million")).isFalse();
        assertThat(strings(m.get("input_modalities"))).isEmpty();
    }

    @Test
    void falsyFlagsAndParameterCleaning() {
        JsonNode m = model("edge/falsy-flags");
        assertThat(m.get("supports_tools").booleanValue()).isFalse();
        assertThat(strings(m.get("supported_parameters"))).containsExactly("TEMPERATURE", "Max_Tokens");
        assertThat(strings(m.get("supported_parameters_normalized"))).containsExactly("max_tokens", "temperature");
        assertThat(m.get("prompt_price_per_million").doubleValue()).isEqualTo(2.5);
    }

    @Test
    void genericUpstreamModelGetsEmptyCapabilities() {
        JsonNode m = model("bare-model");
        assertThat(m.get("supports_tools").booleanValue()).isFalse();
        assertThat(strings(m.get("input_modalities"))).isEmpty();
        assertThat(strings(m.get("output_modalities"))).isEmpty();
        assertThat(m.get("provider_prefix").asText()).isEqualTo("bare-model");
        assertThat(strings(m.get("series"))).containsExactly("Other", "bare", "bare-model", "model");
        assertThat(m.get("owned_by").asText()).isEqualTo("someone");
    }

    @Test
    void seriesHasIdPartsTokensAliasesAndNameTokens() {
        ObjectNode raw = MAPPER.createObjectNode().put("id", "google/gemini-flare_2 x").put("name", "Google: Gemini Flare");
        JsonNode m = ModelEnricher.enrich(raw);
        assertThat(strings(m.get("series"))).containsExactly("2", "Flare", "Gemini", "Google:", "Other", "PaLM", "flare",
                "gemini", "gemini-flare_2 x", "google", "google/gemini-flare_2 x", "pam", "x");
        assertThat(strings(m.get("series_normalized"))).containsExactly("2", "flare", "gemini", "gemini-flare_2 x",
                "google", "google/gemini-flare_2 x", "google:", "other", "palm", "pam", "x");
        assertThat(raw.has("series")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"capabilities\": {\"tool_calls\": 1}}|true",
            "{\"capabilities\": {\"tools\": \" no \"}}|false",
            "{\"capabilities\": {\"functions\": {\"x\": 1}}}|true",
            "{\"capabilities\": {\"tool_choice\": {}}}|false",
            "{\"tools\": \"enabled\"}|true",
            "{\"supports_functions\": null}|false",
            "{\"supports_tools\": 0.0}|false",
            "{\"supported_parameters\": [\"PARALLEL_TOOL_CALLS\"]}|true",
            "{\"supported_parameters\": [\"function_calling \"]}|true",
            "{\"supported_parameters\": [\"temperature\"]}|false",
            "{\"supported_parameters\": [\"include_reasoning\"]}|false"})
    void supportsToolsRules(String json, boolean expected) throws Exception {
        ObjectNode raw = (ObjectNode) MAPPER.readTree(json);
        raw.put("id", "x/y");
        assertThat(ModelEnricher.enrich(raw).get("supports_tools").booleanValue()).isEqualTo(expected);
    }

    @Test
    void reasoningFromParameters() throws Exception {
        ObjectNode raw = (ObjectNode) MAPPER.readTree("{\"id\": \"a/b\", \"supported_parameters\": [\"Include_Reasoning\"]}");
        assertThat(ModelEnricher.enrich(raw).get("supports_reasoning").booleanValue()).isTrue();
    }
}
