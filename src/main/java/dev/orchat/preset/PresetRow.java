package dev.orchat.preset;

import org.jdbi.v3.core.mapper.reflect.ColumnName;

/** One row of {@code presets} (docs/architecture.md §7); JSON columns as text. */
public record PresetRow(@ColumnName("name") String name, @ColumnName("model") String model,
                        @ColumnName("provider") String provider, @ColumnName("parameters") String parameters,
                        @ColumnName("system_prompt") String systemPrompt, @ColumnName("mcp_servers") String mcpServers,
                        @ColumnName("is_default") boolean isDefault, @ColumnName("created_at") String createdAt,
                        @ColumnName("updated_at") String updatedAt) {
}
