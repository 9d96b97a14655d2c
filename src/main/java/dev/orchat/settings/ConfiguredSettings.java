package dev.orchat.settings;

/** Settings straight from config.yml, used until the settings feature persists its own (SPEC §9). */
public final class ConfiguredSettings implements SettingsStore {
    private final SettingsSnapshot snapshot;

    public ConfiguredSettings(String defaultModel, String defaultSystemPrompt) {
        this.snapshot = new SettingsSnapshot(defaultModel, null, null, defaultSystemPrompt);
    }

    @Override
    public SettingsSnapshot snapshot() {
        return snapshot;
    }
}
