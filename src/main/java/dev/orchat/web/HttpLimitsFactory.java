package dev.orchat.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;

/**
 * Request body limits (docs/configuration.md §2, §13.2).
 *
 * <table>
 * <tr><td>maxJsonBodyBytes</td><td>1048576</td><td>JSON bodies of every route except the chat stream</td></tr>
 * <tr><td>maxChatBodyBytes</td><td>4194304</td><td>{@code POST /api/chat/stream}</td></tr>
 * </table>
 */
public class HttpLimitsFactory {
    @JsonProperty
    @Min(1024)
    private long maxJsonBodyBytes = 1_048_576;

    @JsonProperty
    @Min(1024)
    private long maxChatBodyBytes = 4_194_304;

    public long getMaxJsonBodyBytes() {
        return maxJsonBodyBytes;
    }

    public long getMaxChatBodyBytes() {
        return maxChatBodyBytes;
    }
}
