package dev.orchat.preset;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code presets} table. Names are matched ignoring case (unique index on {@code lower(name)}). */
@RegisterConstructorMapper(PresetRow.class)
public interface PresetDao {
    String COLUMNS = "name, model, provider, parameters, system_prompt, mcp_servers, is_default, created_at, updated_at";

    @SqlQuery("SELECT " + COLUMNS + " FROM presets ORDER BY lower(name), name")
    List<PresetRow> list();

    @SqlQuery("SELECT " + COLUMNS + " FROM presets WHERE lower(name) = lower(:name)")
    Optional<PresetRow> find(@Bind("name") String name);

    /** Booleans are bound, not written as literals, so the SQL reads the same on SQLite and PostgreSQL. */
    @SqlQuery("SELECT " + COLUMNS + " FROM presets WHERE is_default = :flag")
    Optional<PresetRow> findByDefaultFlag(@Bind("flag") boolean flag);

    default Optional<PresetRow> findDefault() {
        return findByDefaultFlag(true);
    }

    @SqlUpdate("INSERT INTO presets (" + COLUMNS + ") VALUES (:name, :model, :provider, :parameters, :systemPrompt,"
            + " :mcpServers, :isDefault, :createdAt, :updatedAt)")
    void insert(@BindMethods PresetRow row);

    @SqlUpdate("UPDATE presets SET model = :model, provider = :provider, parameters = :parameters,"
            + " system_prompt = :systemPrompt, mcp_servers = :mcpServers, updated_at = :updatedAt WHERE name = :name")
    int update(@BindMethods PresetRow row);

    @SqlUpdate("DELETE FROM presets WHERE name = :name")
    int delete(@Bind("name") String name);

    @SqlUpdate("UPDATE presets SET is_default = :flag WHERE is_default <> :flag")
    void clearDefault(@Bind("flag") boolean falseValue);

    @SqlUpdate("UPDATE presets SET is_default = :flag, updated_at = :now WHERE name = :name")
    void markDefault(@Bind("name") String name, @Bind("flag") boolean trueValue, @Bind("now") String now);

    /** Clears the flag everywhere first, so the partial unique index never sees two defaults. */
    default void setDefault(String name, String now) {
        clearDefault(false);
        markDefault(name, true, now);
    }
}
