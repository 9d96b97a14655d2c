package dev.orchat.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The web UI (docs/configuration.md §2, §14.1).
 *
 * <table>
 *   <tr><th>Key</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>enabled</td><td>true</td><td>Serve the UI at {@code /}.</td></tr>
 *   <tr><td>dir</td><td>unset</td><td>Serve the UI from this folder instead of the assets bundled in the jar.</td></tr>
 * </table>
 */
public class UiFactory {
    @JsonProperty
    private boolean enabled = true;

    @JsonProperty
    private String dir;

    public boolean isEnabled() {
        return enabled;
    }

    public Optional<Path> directory() {
        return dir == null || dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir.strip()).toAbsolutePath().normalize());
    }
}
