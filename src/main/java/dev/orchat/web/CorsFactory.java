package dev.orchat.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.orchat.config.CommaSeparatedList;
import java.util.ArrayList;
import java.util.List;

/**
 * CORS allow-list (docs/api.md §1.1). The Vite dev origins and the {@code frontendUrl} origin are always added;
 * same-origin requests are always allowed.
 */
public class CorsFactory {
    @JsonProperty
    @JsonDeserialize(using = CommaSeparatedList.class)
    private List<String> allowedOrigins = new ArrayList<>();

    public List<String> getAllowedOrigins() {
        return allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }
}
