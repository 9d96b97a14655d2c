package dev.orchat.settings;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The active model settings (docs/api.md §2.18): what {@code GET /api/settings/model} shows. {@code provider} and
 * {@code parameters} are validated and hold no null members; {@code updatedAt} is null before the first PUT.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ModelSettings(@JsonProperty("model") String model, @JsonProperty("provider") ObjectNode provider,
                            @JsonProperty("parameters") ObjectNode parameters,
                            @JsonProperty("updated_at") String updatedAt) {
}
