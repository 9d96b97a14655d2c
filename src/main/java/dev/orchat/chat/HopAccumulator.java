package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchat.conversation.HopOutcome;
import dev.orchat.conversation.ToolCall;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Folds the parsed streaming chunks of one chat-completions call ("hop") into its final text,
 * reasoning, tool calls and metadata.
 *
 * <p>Upstream providers behind OpenRouter disagree on chunk shapes, so every field is type-checked
 * and anything unexpected is skipped rather than thrown: one malformed chunk must not abort a
 * stream the user is watching. Not thread-safe; one instance per hop.
 */
public final class HopAccumulator {

    private static final Set<String> REASONING_TEXT_KEYS = Set.of("text", "content", "summary", "reasoning");
    private static final Set<String> CONCAT_DETAIL_KEYS = Set.of("text", "summary", "data");
    private static final Set<String> NON_EMPTY_DETAIL_KEYS = Set.of("type", "id", "format", "signature");

    private final ObjectMapper mapper;

    private StringBuilder text;
    private StringBuilder reasoning;
    private final List<Detail> reasoningDetails = new ArrayList<>();
    private final ToolCallAssembler toolCalls = new ToolCallAssembler();

    private String finishReason;
    private String nativeFinishReason;
    private String model;
    private String provider;
    private String generationId;
    private JsonNode usage;
    private JsonNode meta;

    /**
     * One merged reasoning_details entry. Concatenated keys live in builders until read, because
     * thinking models stream thousands of small fragments and re-concatenating immutable strings
     * per fragment would be quadratic.
     */
    private static final class Detail {
        // Concatenated keys hold a null placeholder here so the materialised key order is first-seen order.
        final ObjectNode node;
        final Map<String, StringBuilder> builders = new HashMap<>(4);

        Detail(ObjectNode node) {
            this.node = node;
        }

        void merge(ObjectNode entry, boolean fresh) {
            for (Map.Entry<String, JsonNode> field : entry.properties()) {
                String key = field.getKey();
                JsonNode value = field.getValue();
                if (CONCAT_DETAIL_KEYS.contains(key) && value.isTextual()) {
                    StringBuilder sb = builders.get(key);
                    if (sb == null) {
                        sb = new StringBuilder();
                        builders.put(key, sb);
                        node.putNull(key);
                    }
                    sb.append(value.textValue());
                } else if (NON_EMPTY_DETAIL_KEYS.contains(key) && !fresh) {
                    // Continuation fragments often repeat these as "" or null; that must not erase
                    // the signature or id needed to replay encrypted reasoning later.
                    if (value.isTextual() && !value.textValue().isEmpty()) {
                        node.set(key, value);
                    }
                } else {
                    builders.remove(key);
                    node.set(key, value.deepCopy());
                }
            }
        }

        /** The concatenated string for key, or null when it is absent or empty. */
        String concatenated(String key) {
            StringBuilder sb = builders.get(key);
            return sb == null || sb.length() == 0 ? null : sb.toString();
        }

        ObjectNode materialize() {
            ObjectNode copy = node.deepCopy();
            builders.forEach((key, sb) -> copy.put(key, sb.toString()));
            return copy;
        }
    }

    public HopAccumulator(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * Folds one chunk in.
     *
     * @return whether the chunk carried content, reasoning or a tool-call delta, i.e. whether it
     *         counts as a "token" for time-to-first-token purposes
     */
    public boolean accept(JsonNode chunk) {
        if (chunk == null || !chunk.isObject()) {
            return false;
        }
        String id = nonEmptyText(chunk.get("id"));
        if (id != null) {
            generationId = id;
        }
        JsonNode node = chunk.get("model");
        if (node != null && node.isTextual()) {
            model = node.textValue();
        }
        node = chunk.get("provider");
        if (node != null && node.isTextual()) {
            provider = node.textValue();
        }
        node = chunk.get("meta");
        if (node != null && node.isObject()) {
            meta = node;
        }
        node = chunk.get("usage");
        if (node != null && node.isObject()) {
            usage = node;
        }

        JsonNode choices = chunk.get("choices");
        if (choices == null || !choices.isArray()) {
            return false;
        }
        boolean carriedDelta = false;
        for (JsonNode choice : choices) {
            if (choice.isObject() && isPrimaryChoice(choice)) {
                carriedDelta |= acceptChoice(choice);
            }
        }
        return carriedDelta;
    }

    private static boolean isPrimaryChoice(JsonNode choice) {
        JsonNode index = choice.get("index");
        return index == null || index.isNull() || (index.isIntegralNumber() && index.asLong() == 0);
    }

    private boolean acceptChoice(JsonNode choice) {
        String finish = nonEmptyText(choice.get("finish_reason"));
        if (finish != null) {
            finishReason = finish;
        }
        String nativeFinish = nonEmptyText(choice.get("native_finish_reason"));
        if (nativeFinish != null) {
            nativeFinishReason = nativeFinish;
        }
        JsonNode delta = choice.get("delta");
        if (delta == null || !delta.isObject()) {
            return false;
        }
        boolean carried = false;
        String content = nonEmptyText(delta.get("content"));
        if (content != null) {
            text = append(text, content);
            carried = true;
        }
        carried |= acceptReasoning(delta.get("reasoning"));
        JsonNode details = delta.get("reasoning_details");
        if (details != null && details.isArray()) {
            for (JsonNode entry : details) {
                if (entry.isObject()) {
                    mergeReasoningDetail((ObjectNode) entry);
                    carried = true;
                }
            }
        }
        JsonNode callDeltas = delta.get("tool_calls");
        if (callDeltas != null && callDeltas.isArray()) {
            for (JsonNode call : callDeltas) {
                if (call.isObject() && toolCalls.merge(call)) {
                    carried = true;
                }
            }
        }
        return carried;
    }

    private boolean acceptReasoning(JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        String piece;
        if (node.isTextual()) {
            piece = node.textValue();
        } else if (node.isContainerNode()) {
            StringBuilder sb = new StringBuilder();
            collectReasoningText(node, false, sb);
            piece = sb.toString();
        } else {
            return false;
        }
        if (piece.isEmpty()) {
            return false;
        }
        // Appended verbatim: providers stream whitespace-significant fragments, and trimming or
        // de-duplicating them corrupts words that straddle chunk boundaries.
        reasoning = append(reasoning, piece);
        return true;
    }

    private static void collectReasoningText(JsonNode node, boolean underTextKey, StringBuilder out) {
        if (node.isTextual()) {
            if (underTextKey) {
                out.append(node.textValue());
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                collectReasoningText(element, underTextKey, out);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                collectReasoningText(field.getValue(), REASONING_TEXT_KEYS.contains(field.getKey()), out);
            }
        }
    }

    private void mergeReasoningDetail(ObjectNode entry) {
        Detail target = findDetailTarget(entry);
        if (target == null) {
            target = new Detail(mapper.createObjectNode());
            reasoningDetails.add(target);
            target.merge(entry, true);
        } else {
            target.merge(entry, false);
        }
    }

    private Detail findDetailTarget(ObjectNode entry) {
        JsonNode index = entry.get("index");
        if (index != null && index.isIntegralNumber()) {
            long wanted = index.asLong();
            for (Detail existing : reasoningDetails) {
                JsonNode existingIndex = existing.node.get("index");
                if (existingIndex != null && existingIndex.isIntegralNumber() && existingIndex.asLong() == wanted) {
                    return existing;
                }
            }
            return null;
        }
        String type = textOrNull(entry.get("type"));
        for (int i = reasoningDetails.size() - 1; i >= 0; i--) {
            Detail existing = reasoningDetails.get(i);
            if (Objects.equals(type, textOrNull(existing.node.get("type")))) {
                return existing;
            }
        }
        return null;
    }

    public String text() {
        return text == null ? null : text.toString();
    }

    public String reasoningText() {
        return reasoning == null ? null : reasoning.toString();
    }

    /** A copy of the merged reasoning_details, safe for the caller to mutate; null when none arrived. */
    public ArrayNode reasoningDetails() {
        if (reasoningDetails.isEmpty()) {
            return null;
        }
        ArrayNode out = mapper.createArrayNode();
        for (Detail entry : reasoningDetails) {
            out.add(entry.materialize());
        }
        return out;
    }

    /** Human-readable reasoning as {@code {"type","text"}} objects, or null when there is none. */
    public ArrayNode reasoningSegments() {
        ArrayNode out = mapper.createArrayNode();
        for (Detail entry : reasoningDetails) {
            String readable = entry.concatenated("text");
            if (readable == null) {
                readable = entry.concatenated("summary");
            }
            if (readable != null) {
                String type = nonEmptyText(entry.node.get("type"));
                out.addObject().put("type", type == null ? "reasoning" : type).put("text", readable);
            }
        }
        if (out.isEmpty() && reasoning != null && reasoning.length() > 0) {
            out.addObject().put("type", "reasoning").put("text", reasoning.toString());
        }
        return out.isEmpty() ? null : out;
    }

    /**
     * The tool calls of this hop in stream order; see {@link ToolCallAssembler#finish()} for how
     * incomplete slots are repaired or dropped. Empty when the model called no tools.
     */
    public List<ToolCall> finalToolCalls() {
        return toolCalls.finish();
    }

    public boolean hasToolCallDeltas() {
        return toolCalls.sawDelta();
    }

    public String finishReason() {
        return finishReason;
    }

    public String nativeFinishReason() {
        return nativeFinishReason;
    }

    public String model() {
        return model;
    }

    public String provider() {
        return provider;
    }

    public String generationId() {
        return generationId;
    }

    public JsonNode usage() {
        return usage;
    }

    public JsonNode meta() {
        return meta;
    }

    public Double cost() {
        JsonNode cost = usage == null ? null : usage.get("cost");
        return cost != null && cost.isNumber() ? cost.doubleValue() : null;
    }

    /** Whether a (non-empty) {@code finish_reason} arrived; false means the stream was cut short. */
    public boolean sawFinishReason() {
        return finishReason != null;
    }

    public boolean receivedAnything() {
        return (text != null && text.length() > 0) || (reasoning != null && reasoning.length() > 0);
    }

    /**
     * The hop as one value: everything stored, announced and counted for it is built from what this returns.
     * Tool calls are kept only when the hop completed (a cut-short call is never run).
     */
    public HopOutcome finish(int hop, String status, JsonNode routing, HopOutcome.Timing timing) {
        boolean complete = status.equals("complete");
        HopOutcome.Reply reply = new HopOutcome.Reply(text(), reasoningSegments(), reasoningDetails(),
                complete ? finalToolCalls() : List.of(), finishReason, nativeFinishReason);
        HopOutcome.Usage counted = new HopOutcome.Usage(tokens("prompt_tokens", null),
                tokens("completion_tokens", null), tokens("reasoning_tokens", "completion_tokens_details"),
                tokens("cached_tokens", "prompt_tokens_details"), cost(), usage);
        return new HopOutcome(hop, status, reply, counted,
                new HopOutcome.Source(model, provider, generationId, routing, meta), timing, receivedAnything());
    }

    private Long tokens(String field, String parent) {
        if (usage == null) {
            return null;
        }
        JsonNode node = parent == null ? usage.get(field) : usage.path(parent).get(field);
        return node != null && node.isNumber() ? node.asLong() : null;
    }

    private static StringBuilder append(StringBuilder sb, String piece) {
        return (sb == null ? new StringBuilder() : sb).append(piece);
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    static String nonEmptyText(JsonNode node) {
        String s = textOrNull(node);
        return s == null || s.isEmpty() ? null : s;
    }
}
