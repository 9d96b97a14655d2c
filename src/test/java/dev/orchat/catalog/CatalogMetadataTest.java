package dev.orchat.catalog;

import static dev.orchat.catalog.CatalogFixtures.MAPPER;
import static dev.orchat.catalog.CatalogFixtures.RAW;
import static dev.orchat.catalog.CatalogFixtures.SNAPSHOT;
import static dev.orchat.catalog.CatalogFixtures.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/api.md §2.17 facets and properties, checked against figures computed from the raw fixture. */
class CatalogMetadataTest {
    private static final JsonNode META = SNAPSHOT.metadata(MAPPER.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true));

    @Test
    void totalsAndFacetsMatchTheFixture() {
        int n = RAW.get("data").size();
        assertThat(META.get("total").asInt()).isEqualTo(n).isGreaterThan(300);
        assertThat(META.get("base_count").asInt()).isEqualTo(n);
        TreeSet<String> input = new TreeSet<>();
        TreeSet<String> parameters = new TreeSet<>();
        long minContext = Long.MAX_VALUE;
        long maxContext = Long.MIN_VALUE;
        for (JsonNode m : RAW.get("data")) {
            strings(m.path("architecture").get("input_modalities")).forEach(s -> input.add(s.toLowerCase(Locale.ROOT)));
            strings(m.get("supported_parameters")).stream().map(String::strip).filter(s -> !s.isEmpty())
                    .forEach(s -> parameters.add(s.toLowerCase(Locale.ROOT)));
            if (m.has("context_length")) {
                long c = Long.parseLong(m.get("context_length").asText());
                minContext = Math.min(minContext, c);
                maxContext = Math.max(maxContext, c);
            }
        }
        JsonNode facets = META.get("facets");
        assertThat(strings(facets.get("input_modalities"))).containsExactlyElementsOf(input).containsExactly("audio", "file", "image", "text");
        assertThat(strings(facets.get("output_modalities"))).containsExactly("image", "text");
        assertThat(strings(facets.get("supported_parameters"))).containsExactlyElementsOf(parameters);
        assertThat(facets.get("context_length").get("min").asLong()).isEqualTo(minContext);
        assertThat(facets.get("context_length").get("max").asLong()).isEqualTo(maxContext).isEqualTo(2_000_000);
        assertThat(facets.get("prompt_price_per_million").get("min").asDouble()).isEqualTo(-1_000_000.0);
        assertThat(strings(facets.get("series"))).contains("Claude", "Other", "gpt", "llama4");
        assertThat(strings(facets.get("series_normalized"))).contains("claude", "other").doesNotContain("Claude");
    }

    @Test
    void propertiesAreSortedWithCountsTypesAndExamples() {
        List<String> paths = new ArrayList<>();
        META.get("properties").forEach(p -> paths.add(p.get("path").asText()));
        assertThat(paths).isSorted().doesNotHaveDuplicates().contains("pricing.prompt", "top_provider.is_moderated",
                "endpoints.tags", "capabilities.function_calling", "supports_tools");
        assertThat(property("id").get("count").asInt()).isEqualTo(RAW.get("data").size());
        JsonNode prompt = property("pricing.prompt");
        assertThat(strings(prompt.get("types"))).containsExactly("number", "string");
        assertThat(prompt.get("examples").size()).isEqualTo(5);
        assertThat(prompt.get("examples").get(0).isNumber()).isTrue(); // numbers sort before strings
        assertThat(prompt.get("min").asDouble()).isEqualTo(0.0000025);
        JsonNode moderated = property("top_provider.is_moderated");
        assertThat(moderated.get("boolean_values").toString()).isEqualTo("[false,true]");
        assertThat(moderated.get("min").isNull()).isTrue();
        JsonNode tags = property("endpoints.tags");
        assertThat(strings(tags.get("types"))).containsExactly("array", "null", "string");
        assertThat(strings(tags.get("item_types"))).containsExactly("array", "string");
        JsonNode arch = property("architecture");
        assertThat(arch.get("examples").get(0).asText()).startsWith("{\"input_modalities\":[");
        assertThat(strings(property("hugging_face_id").get("types"))).containsExactly("null", "string");
    }

    @Test
    void payloadWithoutDataHasZeroTotalsAndEmptyFacets() throws Exception {
        CatalogSnapshot empty = new CatalogSnapshot(MAPPER.readTree("{\"object\": \"list\"}"), java.time.Instant.EPOCH);
        JsonNode meta = empty.metadata(MAPPER);
        assertThat(meta.get("total").asInt()).isZero();
        assertThat(meta.get("properties").size()).isZero();
        assertThat(meta.get("facets").get("input_modalities").size()).isZero();
        assertThat(meta.get("facets").get("context_length").get("min").isNull()).isTrue();
    }

    private static JsonNode property(String path) {
        for (JsonNode p : META.get("properties")) {
            if (p.get("path").asText().equals(path)) {
                return p;
            }
        }
        throw new AssertionError("no property " + path);
    }
}
