package dev.orchat.mcp;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A server's enablement as presets keep it (docs/api.md §2.19): never commands, URLs or secrets. */
public record ServerEnablement(@JsonProperty("id") String id, @JsonProperty("enabled") boolean enabled,
                               @JsonProperty("disabled_tools") List<String> disabledTools) {
    public ServerEnablement {
        disabledTools = disabledTools == null ? List.of() : List.copyOf(disabledTools);
    }
}
