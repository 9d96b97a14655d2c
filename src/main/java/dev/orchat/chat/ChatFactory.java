package dev.orchat.chat;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The turn pipeline (docs/configuration.md §2 {@code chat.*}).
 *
 * <table>
 * <tr><td>defaultSystemPrompt</td><td>built-in</td><td>until one is set through the API</td></tr>
 * <tr><td>maxToolHops</td><td>8</td><td>tool rounds per turn</td></tr>
 * <tr><td>finalAnswerAfterHopLimit</td><td>true</td><td>one more hop with tool_choice none</td></tr>
 * <tr><td>toolCallTimeout / toolParallelism</td><td>60s / 4</td><td>per call / per round</td></tr>
 * <tr><td>toolResultMaxChars / toolArgumentsMaxBytes</td><td>100000 / 65536</td><td>tool I/O bounds</td></tr>
 * <tr><td>dateTimeContext</td><td>true</td><td>append the date/time line to the system message</td></tr>
 * <tr><td>requireExistingSession</td><td>false</td><td>unknown session_id → 404</td></tr>
 * <tr><td>maxRequestMessages</td><td>50</td><td>entries in a request's messages</td></tr>
 * <tr><td>maxConcurrentTurns</td><td>32</td><td>service-wide; beyond → 429</td></tr>
 * <tr><td>keepAliveInterval</td><td>15s</td><td>SSE comment interval</td></tr>
 * <tr><td>disconnectProbeInterval</td><td>250ms</td><td>how often a silent stream is probed for a gone client</td></tr>
 * <tr><td>replayReasoningDetails</td><td>true</td><td>send stored reasoning_details back with tool calls</td></tr>
 * <tr><td>virtualThreads</td><td>false</td><td>run relays on virtual threads (Java 21+ only)</td></tr>
 * <tr><td>detachGrace</td><td>30s</td><td>a turn with no attached client keeps running this long (0s: cancel at once)</td></tr>
 * <tr><td>replayRetention</td><td>5m</td><td>how long a finished turn stays replayable</td></tr>
 * <tr><td>replayBufferBytes</td><td>4MiB</td><td>events kept per turn; beyond it a resume starts with a snapshot</td></tr>
 * <tr><td>replayEndedBytes</td><td>64MiB</td><td>events of ended turns kept in all; the oldest go first beyond it</td></tr>
 * <tr><td>titles.mode / titles.model</td><td>truncate / unset</td><td>§4.16</td></tr>
 * </table>
 */
public class ChatFactory {
    static final String BUILT_IN_PROMPT = "You are a helpful assistant. Use the context and tools the service "
            + "provides when they help. If a tool is unavailable, continue without it. Follow safety policies.";

    @JsonProperty
    private String defaultSystemPrompt = BUILT_IN_PROMPT;

    @JsonProperty @Min(0) @Max(100)
    private int maxToolHops = 8;

    @JsonProperty
    private boolean finalAnswerAfterHopLimit = true;

    @JsonProperty @NotNull
    private Duration toolCallTimeout = Duration.seconds(60);

    @JsonProperty @Min(1) @Max(64)
    private int toolParallelism = 4;

    @JsonProperty @Min(100)
    private int toolResultMaxChars = 100_000;

    @JsonProperty @Min(16)
    private int toolArgumentsMaxBytes = 65_536;

    @JsonProperty
    private boolean dateTimeContext = true;

    @JsonProperty
    private boolean requireExistingSession = false;

    @JsonProperty @Min(1) @Max(10_000)
    private int maxRequestMessages = 50;

    @JsonProperty @Min(1) @Max(100_000)
    private int maxConcurrentTurns = 32;

    @JsonProperty @NotNull
    private Duration keepAliveInterval = Duration.seconds(15);

    @JsonProperty @NotNull
    private Duration disconnectProbeInterval = Duration.milliseconds(250);

    @JsonProperty
    private boolean replayReasoningDetails = true;

    @JsonProperty
    private boolean virtualThreads = false;

    /** How long a turn whose last client left keeps running for a client to attach again (docs/api.md §3.6). */
    @JsonProperty @NotNull
    private Duration detachGrace = Duration.seconds(30);

    /** How long a finished turn's events stay replayable. */
    @JsonProperty @NotNull
    private Duration replayRetention = Duration.minutes(5);

    /** At most this many bytes of events are kept per turn; older ones give way to a snapshot on resume. */
    @JsonProperty @NotNull
    private io.dropwizard.util.DataSize replayBufferBytes = io.dropwizard.util.DataSize.mebibytes(4);

    /** What the kept events of all ended turns may hold together; beyond it the oldest are forgotten early. */
    @JsonProperty @NotNull
    private io.dropwizard.util.DataSize replayEndedBytes = io.dropwizard.util.DataSize.mebibytes(64);

    @JsonProperty @Valid @NotNull
    private TitlesFactory titles = new TitlesFactory();

    public String getDefaultSystemPrompt() {
        return defaultSystemPrompt == null || defaultSystemPrompt.isBlank() ? BUILT_IN_PROMPT : defaultSystemPrompt;
    }

    public int getMaxToolHops() { return maxToolHops; }
    public boolean isFinalAnswerAfterHopLimit() { return finalAnswerAfterHopLimit; }
    public Duration getToolCallTimeout() { return toolCallTimeout; }
    public int getToolParallelism() { return toolParallelism; }
    public int getToolResultMaxChars() { return toolResultMaxChars; }
    public int getToolArgumentsMaxBytes() { return toolArgumentsMaxBytes; }
    public boolean isDateTimeContext() { return dateTimeContext; }
    public boolean isRequireExistingSession() { return requireExistingSession; }
    public int getMaxRequestMessages() { return maxRequestMessages; }
    public int getMaxConcurrentTurns() { return maxConcurrentTurns; }
    public Duration getKeepAliveInterval() { return keepAliveInterval; }
    public Duration getDisconnectProbeInterval() { return disconnectProbeInterval; }
    public boolean isReplayReasoningDetails() { return replayReasoningDetails; }
    public boolean isVirtualThreads() { return virtualThreads; }
    public Duration getDetachGrace() { return detachGrace; }
    public Duration getReplayRetention() { return replayRetention; }
    public io.dropwizard.util.DataSize getReplayBufferBytes() { return replayBufferBytes; }
    public io.dropwizard.util.DataSize getReplayEndedBytes() { return replayEndedBytes; }
    public TitlesFactory getTitles() { return titles; }

    /** Session titles (docs/configuration.md, chat.titles): {@code truncate} only, or a model's title after the first turn. */
    public static class TitlesFactory {
        public enum Mode { TRUNCATE, MODEL }

        @JsonProperty @NotNull
        private Mode mode = Mode.TRUNCATE;

        @JsonProperty
        private String model;

        public Mode getMode() { return mode; }
        public String getModel() { return model; }

        /** The titles model; unset or blank falls back to {@code openrouter.defaultModel}. */
        public String modelOr(String defaultModel) {
            return model == null || model.isBlank() ? defaultModel : model.strip();
        }
    }
}
