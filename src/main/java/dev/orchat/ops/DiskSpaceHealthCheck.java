package dev.orchat.ops;

import com.codahale.metrics.health.HealthCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Healthy while the data directory's file system keeps {@code operations.minFreeDiskBytes} free. */
public final class DiskSpaceHealthCheck extends HealthCheck {
    private final Path dataDir;
    private final long minFreeBytes;

    public DiskSpaceHealthCheck(Path dataDir, long minFreeBytes) {
        this.dataDir = dataDir;
        this.minFreeBytes = minFreeBytes;
    }

    @Override
    protected Result check() throws IOException {
        long free = Files.getFileStore(dataDir).getUsableSpace();
        String message = "free=" + free + " bytes, minimum=" + minFreeBytes + " bytes";
        return free >= minFreeBytes ? Result.healthy(message) : Result.unhealthy(message);
    }
}
