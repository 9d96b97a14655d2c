package dev.orchat.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.chat.ChatStreamEvent;
import dev.orchat.conversation.HopOutcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates the typed events of one turn into OpenAI's chat-completion objects (docs/api.md, "OpenAI-compatible
 * API"): {@code chat.completion.chunk}s while streaming, one {@code chat.completion} at the end otherwise.
 *
 * <p>Upstream chunks are OpenAI chunks already; what changes is what a client of one completion must not see
 * of orchat's loop: one id for the whole turn, no server-side tool calls, no per-hop {@code finish_reason} or
 * usage. The content of every hop goes out in order (hops separated by a blank line); the finish reason of the
 * last hop and the usage summed over all hops close the stream. Not thread-safe: the turn's events arrive one
 * at a time.
 */
final class CompletionTranslator {
    static final String DONE = "[DONE]";
    private static final String HOP_SEPARATOR = "\n\n";
    private final ObjectMapper mapper;
    private final String id;
    private final long created;
    private final boolean clientTools;
    private String model;
    private boolean roleSent;
    private boolean contentInEarlierHops;
    private boolean contentInThisHop;
    private String finishReason;
    private String lastHopText;
    private List<ObjectNode> lastHopToolCalls = List.of();
    private long promptTokens;
    private long completionTokens;
    private long reasoningTokens;
    private ChatStreamEvent.Error error;

    /** @param model the requested model, replaced by the one the upstream names */
    CompletionTranslator(ObjectMapper mapper, String id, long created, String model, boolean clientTools) {
        this.mapper = mapper;
        this.id = id;
        this.created = created;
        this.model = model;
        this.clientTools = clientTools;
    }

    /** The failure that ended the turn, if any. */
    ChatStreamEvent.Error error() {
        return error;
    }

    /**
     * The {@code data:} payloads this event adds to a stream: chunk JSON, or {@link #DONE}.
     *
     * @param includeUsage whether the stream ends with a usage chunk ({@code stream_options.include_usage})
     */
    List<String> chunks(ChatStreamEvent event, boolean includeUsage) {
        observe(event);
        if (event instanceof ChatStreamEvent.UpstreamChunk chunk) {
            ObjectNode delta = delta(chunk.data());
            return delta == null ? List.of() : List.of(write(chunk(delta, null)));
        }
        if (event instanceof ChatStreamEvent.Error e) {
            return List.of(write(mapper.valueToTree(OpenAiErrors.body(e.status(), e.detail(), null))));
        }
        if (event instanceof ChatStreamEvent.Done && error == null) {
            List<String> out = new ArrayList<>();
            ObjectNode delta = mapper.createObjectNode();
            if (!roleSent) {
                delta.put("role", "assistant");
                delta.put("content", "");
                roleSent = true;
            }
            out.add(write(chunk(delta, finishReason())));
            if (includeUsage) {
                ObjectNode usage = chunkHead();
                usage.putArray("choices");
                usage.set("usage", usage());
                out.add(write(usage));
            }
            out.add(DONE);
            return out;
        }
        return List.of();
    }

    /** The non-streaming answer, once the turn has ended without an error. */
    ObjectNode completion() {
        ObjectNode root = mapper.createObjectNode();
        root.put("id", id);
        root.put("object", "chat.completion");
        root.put("created", created);
        root.put("model", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", lastHopText);
        message.putNull("refusal");
        if (clientTools && !lastHopToolCalls.isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            lastHopToolCalls.forEach(calls::add);
        }
        choice.put("finish_reason", finishReason());
        choice.putNull("logprobs");
        root.set("usage", usage());
        return root;
    }

    /** Keeps what the end of the turn needs: the last hop's answer, finish reason and the usage sums. */
    void observe(ChatStreamEvent event) {
        if (event instanceof ChatStreamEvent.Metadata metadata) {
            HopOutcome outcome = metadata.outcome();
            if (outcome.source().model() != null) {
                model = outcome.source().model();
            }
            finishReason = outcome.reply().finishReason();
            lastHopText = outcome.reply().text();
            List<ObjectNode> calls = new ArrayList<>();
            outcome.reply().toolCalls().forEach(call -> calls.add(call.toJson(mapper)));
            lastHopToolCalls = calls;
            HopOutcome.Usage usage = outcome.usage();
            promptTokens += usage.promptTokens() == null ? 0 : usage.promptTokens();
            completionTokens += usage.completionTokens() == null ? 0 : usage.completionTokens();
            reasoningTokens += usage.reasoningTokens() == null ? 0 : usage.reasoningTokens();
            contentInEarlierHops |= contentInThisHop;
            contentInThisHop = false;
        } else if (event instanceof ChatStreamEvent.Error e && error == null) {
            error = e;
        }
    }

    /** What a client sees of one upstream chunk, or null when nothing (usage, a server-side tool call delta). */
    private ObjectNode delta(String data) {
        JsonNode json;
        try {
            json = mapper.readTree(data);
        } catch (IOException e) {
            return null;
        }
        if (json == null || !json.isObject()) {
            return null;
        }
        if (json.path("model").isTextual()) {
            model = json.get("model").asText();
        }
        JsonNode choice = json.path("choices").path(0);
        JsonNode in = choice.path("delta");
        if (!in.isObject()) {
            return null;
        }
        ObjectNode out = mapper.createObjectNode();
        String content = in.path("content").isTextual() ? in.get("content").asText() : "";
        if (!content.isEmpty()) {
            if (contentInEarlierHops && !contentInThisHop) {
                content = HOP_SEPARATOR + content;
            }
            contentInThisHop = true;
            out.put("content", content);
        }
        for (String key : List.of("reasoning", "refusal")) {
            if (in.path(key).isTextual() && !in.get(key).asText().isEmpty()) {
                out.set(key, in.get(key));
            }
        }
        if (clientTools && in.path("tool_calls").isArray()) {
            out.set("tool_calls", in.get("tool_calls"));
        }
        if (!roleSent) {
            // The first chunk of the stream names the role, as OpenAI's does, even when it carries nothing else:
            // the response is committed as soon as the upstream answers.
            ObjectNode first = mapper.createObjectNode();
            first.put("role", "assistant");
            if (!out.has("content") && !out.has("tool_calls")) {
                first.put("content", "");
            }
            first.setAll(out);
            roleSent = true;
            return first;
        }
        return out.isEmpty() ? null : out;
    }

    private String finishReason() {
        if (finishReason == null) {
            return "stop";
        }
        // Calls of server-side tools were answered inside the turn; the client sees a finished answer.
        return !clientTools && finishReason.equals("tool_calls") ? "stop" : finishReason;
    }

    private ObjectNode usage() {
        ObjectNode usage = mapper.createObjectNode();
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        if (reasoningTokens > 0) {
            usage.putObject("completion_tokens_details").put("reasoning_tokens", reasoningTokens);
        }
        return usage;
    }

    private ObjectNode chunkHead() {
        ObjectNode chunk = mapper.createObjectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        return chunk;
    }

    private ObjectNode chunk(ObjectNode delta, String finish) {
        ObjectNode chunk = chunkHead();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return chunk;
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
