package dev.orchat.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One fetched catalogue, enriched once: requests only select from it, so the nodes are shared and never mutated.
 * {@code models} is null when the upstream payload had no {@code data} array (it is then served unchanged).
 */
public final class CatalogSnapshot {
    private final JsonNode root;
    private final List<ObjectNode> models;
    private final List<String> leafTexts;
    private final Map<String, List<String>> inputModalities;
    private final Instant fetchedAt;
    private volatile ObjectNode metadata;

    CatalogSnapshot(JsonNode root, Instant fetchedAt) {
        this.root = root;
        this.fetchedAt = fetchedAt;
        JsonNode data = root != null && root.isObject() ? root.get("data") : null;
        if (data == null || !data.isArray()) {
            models = null;
            leafTexts = List.of();
            inputModalities = Map.of();
            return;
        }
        List<ObjectNode> enriched = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        Map<String, List<String>> inputs = new HashMap<>();
        for (JsonNode entry : data) {
            if (!entry.isObject()) {
                continue; // not a model; nothing to enrich or filter on
            }
            ObjectNode model = ModelEnricher.enrich((ObjectNode) entry);
            enriched.add(model);
            texts.add(ModelSearch.leafText(model));
            if (model.path("id").isTextual()) {
                List<String> modalities = new ArrayList<>();
                model.get("input_modalities").forEach(m -> modalities.add(m.asText()));
                if (!modalities.isEmpty()) { // empty means unknown (e.g. a generic upstream lists ids only)
                    inputs.put(model.get("id").asText(), List.copyOf(modalities));
                }
            }
        }
        models = List.copyOf(enriched);
        leafTexts = List.copyOf(texts);
        inputModalities = Map.copyOf(inputs);
    }

    public JsonNode root() {
        return root;
    }

    public boolean hasData() {
        return models != null;
    }

    /** Enriched models in upstream order; empty without a {@code data} array. */
    public List<ObjectNode> models() {
        return models == null ? List.of() : models;
    }

    String leafText(int index) {
        return leafTexts.get(index);
    }

    public Instant fetchedAt() {
        return fetchedAt;
    }

    List<String> inputModalities(String id) {
        return inputModalities.get(id);
    }

    /** Computed on first use and kept with the snapshot. */
    ObjectNode metadata(ObjectMapper sortedMapper) {
        ObjectNode m = metadata;
        if (m == null) {
            m = CatalogMetadata.build(models(), sortedMapper);
            metadata = m;
        }
        return m;
    }
}
