package dev.orchat.settings;

import org.jdbi.v3.core.mapper.reflect.ColumnName;

/** One row of {@code settings}; {@code value} is JSON text. */
public record SettingRow(@ColumnName("key") String key, @ColumnName("value") String value,
                         @ColumnName("updated_at") String updatedAt) {
}
