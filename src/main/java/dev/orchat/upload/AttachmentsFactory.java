package dev.orchat.upload;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;

/**
 * {@code attachments.dir} (default {@code data/uploads}) and {@code attachments.maxPerMessage} (default 10). The
 * core service only needs these to delete a session's files and to bound references; the upload feature adds its
 * own keys here.
 */
public class AttachmentsFactory {
    @JsonProperty
    @NotBlank
    private String dir = "data/uploads";

    @JsonProperty
    @jakarta.validation.constraints.Min(1)
    private int maxPerMessage = 10;

    public int getMaxPerMessage() {
        return maxPerMessage;
    }

    public Path directory() {
        return Path.of(dir).toAbsolutePath().normalize();
    }
}
