package dev.orchat.ops;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;

/** {@code operations.minFreeDiskBytes} (default 512 MiB): the disk-space health threshold (SPEC §12.1). */
public class OperationsFactory {
    @JsonProperty
    @Min(0)
    private long minFreeDiskBytes = 536_870_912L;

    public long getMinFreeDiskBytes() {
        return minFreeDiskBytes;
    }
}
