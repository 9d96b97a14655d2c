package dev.orchat.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds the {@code chat.completion.chunk} JSON of one generation. All chunks of a stream share
 * id, created, model and provider, exactly as OpenRouter repeats them on every event.
 */
final class StreamChunks {

    private static final String ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    final String id;
    private final long created;
    private final String model;
    private final String provider;

    StreamChunks(String model, String provider) {
        this.created = Instant.now().getEpochSecond();
        this.id = "gen-" + created + "-" + randomAlphanumeric(20);
        this.model = model;
        this.provider = provider;
    }

    static StreamChunks openAi() {
        return new StreamChunks("openai/gpt-4o-mini", "OpenAI");
    }

    static String randomAlphanumeric(int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHANUM.charAt(random.nextInt(ALPHANUM.length())));
        }
        return sb.toString();
    }

    /** First event of a stream: the role with empty content. */
    String role() {
        ObjectNode delta = delta();
        delta.put("content", "");
        return choice(delta, null);
    }

    String content(String text) {
        ObjectNode delta = delta();
        delta.put("content", text);
        return choice(delta, null);
    }

    String reasoning(String text) {
        ObjectNode delta = delta();
        delta.put("content", "");
        delta.put("reasoning", text);
        ObjectNode detail = delta.putArray("reasoning_details").addObject();
        detail.put("type", "reasoning.text");
        detail.put("text", text);
        detail.put("format", "unknown");
        detail.put("index", 0);
        return choice(delta, null);
    }

    /** Opening delta of a tool call: the only one carrying id, type and name. */
    String toolCallStart(int index, String callId, String name) {
        ObjectNode delta = delta();
        delta.putNull("content");
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.put("id", callId);
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", name);
        function.put("arguments", "");
        return choice(delta, null);
    }

    String toolCallArguments(int index, String piece) {
        ObjectNode delta = delta();
        delta.putNull("content");
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.putObject("function").put("arguments", piece);
        return choice(delta, null);
    }

    String finish(String reason) {
        ObjectNode delta = delta();
        delta.put("content", "");
        return choice(delta, reason);
    }

    /** OpenRouter's closing event: empty choices plus usage and cost. */
    String usage(int promptTokens, int completionTokens, int reasoningTokens) {
        ObjectNode root = envelope();
        root.putArray("choices");
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        usage.put("cost", 0.00012);
        usage.put("is_byok", false);
        ObjectNode promptDetails = usage.putObject("prompt_tokens_details");
        promptDetails.put("cached_tokens", 0);
        promptDetails.put("audio_tokens", 0);
        ObjectNode cost = usage.putObject("cost_details");
        cost.putNull("upstream_inference_cost");
        cost.put("upstream_inference_prompt_cost", 0.00004);
        cost.put("upstream_inference_completions_cost", 0.00008);
        ObjectNode completionDetails = usage.putObject("completion_tokens_details");
        completionDetails.put("reasoning_tokens", reasoningTokens);
        completionDetails.put("image_tokens", 0);
        return Endpoints.write(root);
    }

    /** In-band failure after the 200 head: top-level error plus a choice finished with "error". */
    String error(int code, String message) {
        ObjectNode root = envelope();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        ArrayNode choices = root.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        choice.putObject("delta").put("content", "");
        choice.put("finish_reason", "error");
        choice.put("native_finish_reason", "error");
        return Endpoints.write(root);
    }

    private static ObjectNode delta() {
        // OpenRouter repeats the role on every delta, unlike OpenAI which sends it once.
        ObjectNode delta = Endpoints.MAPPER.createObjectNode();
        delta.put("role", "assistant");
        return delta;
    }

    private String choice(ObjectNode delta, String finishReason) {
        ObjectNode root = envelope();
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.put("finish_reason", finishReason);
        choice.put("native_finish_reason", finishReason);
        choice.putNull("logprobs");
        root.put("system_fingerprint", "fp_fake0001");
        return Endpoints.write(root);
    }

    private ObjectNode envelope() {
        ObjectNode root = Endpoints.MAPPER.createObjectNode();
        root.put("id", id);
        root.put("provider", provider);
        root.put("model", model);
        root.put("object", "chat.completion.chunk");
        root.put("created", created);
        return root;
    }
}
