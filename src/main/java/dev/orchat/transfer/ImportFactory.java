package dev.orchat.transfer;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Bounds of {@code POST /api/import} (docs/configuration.md "import"), so a hostile or oversized archive is
 * refused with a clear reason instead of exhausting memory, disk or time.
 *
 * <table>
 * <tr><td>maxUploadSize</td><td>512MiB</td><td>request body (the uploaded file or archive)</td></tr>
 * <tr><td>maxItemSize</td><td>16MiB</td><td>JSON of one conversation (held in memory while it is converted)</td></tr>
 * <tr><td>maxNestingDepth</td><td>64</td><td>JSON nesting</td></tr>
 * <tr><td>maxStringLength</td><td>8000000</td><td>characters of one JSON string</td></tr>
 * <tr><td>maxMessagesPerSession</td><td>20000</td><td>messages of one imported session</td></tr>
 * <tr><td>maxZipEntries</td><td>10000</td><td>entries of a ZIP</td></tr>
 * <tr><td>maxUnzippedSize</td><td>2GiB</td><td>bytes all ZIP entries inflate to</td></tr>
 * <tr><td>maxCompressionRatio</td><td>100</td><td>inflated / compressed bytes, checked beyond 16 MiB inflated</td></tr>
 * <tr><td>maxFileSize</td><td>64MiB</td><td>one attachment file in an orchat ZIP</td></tr>
 * <tr><td>timeLimit</td><td>10 minutes</td><td>whole import; items not reached are reported as failed</td></tr>
 * </table>
 */
public class ImportFactory {
    @JsonProperty @NotNull
    private DataSize maxUploadSize = DataSize.mebibytes(512);
    @JsonProperty @NotNull
    private DataSize maxItemSize = DataSize.mebibytes(16);
    @JsonProperty @Min(8) @Max(1000)
    private int maxNestingDepth = 64;
    @JsonProperty @Min(1000)
    private int maxStringLength = 8_000_000;
    @JsonProperty @Min(1)
    private int maxMessagesPerSession = 20_000;
    @JsonProperty @Min(1)
    private int maxZipEntries = 10_000;
    @JsonProperty @NotNull
    private DataSize maxUnzippedSize = DataSize.gibibytes(2);
    @JsonProperty @Min(2)
    private int maxCompressionRatio = 100;
    @JsonProperty @NotNull
    private DataSize maxFileSize = DataSize.mebibytes(64);
    @JsonProperty @NotNull
    private Duration timeLimit = Duration.minutes(10);

    public long maxUploadBytes() { return maxUploadSize.toBytes(); }
    public long maxItemBytes() { return maxItemSize.toBytes(); }
    public int maxNestingDepth() { return maxNestingDepth; }
    public int maxStringLength() { return maxStringLength; }
    public int maxMessagesPerSession() { return maxMessagesPerSession; }
    public int maxZipEntries() { return maxZipEntries; }
    public long maxUnzippedBytes() { return maxUnzippedSize.toBytes(); }
    public int maxCompressionRatio() { return maxCompressionRatio; }
    public long maxFileBytes() { return maxFileSize.toBytes(); }
    public java.time.Duration timeLimit() { return timeLimit.toJavaDuration(); }
}
