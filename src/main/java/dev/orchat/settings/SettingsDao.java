package dev.orchat.settings;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code settings} table (docs/architecture.md §7): one JSON value per key. */
@RegisterConstructorMapper(SettingRow.class)
public interface SettingsDao {
    String MODEL_SETTINGS = "model_settings";
    String SYSTEM_PROMPT = "system_prompt";
    /** Written once the legacy import (docs/operations.md, "Legacy import") has run, so it never runs again even when it found nothing. */
    String LEGACY_IMPORT = "legacy_import";

    @SqlQuery("SELECT key, value, updated_at FROM settings WHERE key = :key")
    Optional<SettingRow> find(@Bind("key") String key);

    @SqlQuery("SELECT count(*) FROM settings")
    int count();

    @SqlUpdate("INSERT INTO settings (key, value, updated_at) VALUES (:key, :value, :updatedAt)"
            + " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
    void put(@Bind("key") String key, @Bind("value") String value, @Bind("updatedAt") String updatedAt);

    @SqlUpdate("DELETE FROM settings WHERE key = :key")
    void delete(@Bind("key") String key);
}
