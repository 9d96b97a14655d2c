package dev.orchat.upload;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;

/**
 * {@code attachments.dir} (default {@code data/uploads}). The core service only needs the folder, to delete a
 * session's files; the upload feature adds its own keys here.
 */
public class AttachmentsFactory {
    @JsonProperty
    @NotBlank
    private String dir = "data/uploads";

    public Path directory() {
        return Path.of(dir).toAbsolutePath().normalize();
    }
}
