package dev.orchat.settings;

/** Source of the active model settings and system prompt. The settings feature replaces the configured one. */
public interface SettingsStore {
    SettingsSnapshot snapshot();
}
