package dev.orchat.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Canned JSON bodies for the non-chat endpoints, shaped like OpenRouter's real responses. */
final class Endpoints {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static final String DEFAULT_MODELS = """
            {"data":[\
            {"id":"openai/gpt-4o-mini","canonical_slug":"openai/gpt-4o-mini","hugging_face_id":null,\
            "name":"OpenAI: GPT-4o-mini","created":1721260800,\
            "description":"GPT-4o mini is OpenAI's small, affordable model.","context_length":128000,\
            "architecture":{"modality":"text+image->text","input_modalities":["text","image","file"],\
            "output_modalities":["text"],"tokenizer":"GPT","instruct_type":null},\
            "pricing":{"prompt":"0.00000015","completion":"0.0000006","request":"0","image":"0.000217",\
            "web_search":"0","internal_reasoning":"0","input_cache_read":"0.000000075"},\
            "top_provider":{"context_length":128000,"max_completion_tokens":16384,"is_moderated":true},\
            "per_request_limits":null,\
            "supported_parameters":["max_tokens","temperature","top_p","stop","tools","tool_choice",\
            "response_format","seed","structured_outputs"],"default_parameters":{}},\
            {"id":"anthropic/claude-sonnet-4","canonical_slug":"anthropic/claude-4-sonnet-20250522",\
            "hugging_face_id":"","name":"Anthropic: Claude Sonnet 4","created":1747930371,\
            "description":"Claude Sonnet 4 with hybrid reasoning.","context_length":200000,\
            "architecture":{"modality":"text+image->text","input_modalities":["image","text","file"],\
            "output_modalities":["text"],"tokenizer":"Claude","instruct_type":null},\
            "pricing":{"prompt":"0.000003","completion":"0.000015","request":"0","image":"0.0048",\
            "web_search":"0","internal_reasoning":"0","input_cache_read":"0.0000003",\
            "input_cache_write":"0.00000375"},\
            "top_provider":{"context_length":200000,"max_completion_tokens":64000,"is_moderated":false},\
            "per_request_limits":null,\
            "supported_parameters":["include_reasoning","max_tokens","reasoning","stop","temperature",\
            "tool_choice","tools","top_k","top_p"],"default_parameters":{}}\
            ]}""";

    /** {@code GET /providers} in OpenRouter's layout (synthetic entries). */
    static final String DEFAULT_PROVIDERS = """
            {"data":[\
            {"name":"OpenAI","slug":"openai","privacy_policy_url":null,"terms_of_service_url":null,"status_page_url":null},\
            {"name":"Anthropic","slug":"anthropic","privacy_policy_url":null,"terms_of_service_url":null,"status_page_url":null},\
            {"name":"Together","slug":"together","privacy_policy_url":null,"terms_of_service_url":null,"status_page_url":null}\
            ]}""";

    private Endpoints() {
    }

    /** OpenRouter's error envelope; {@code code} mirrors the HTTP status. */
    static String error(int code, String message) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("code", code);
        return write(root);
    }

    static String generation(String id) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode d = root.putObject("data");
        d.put("id", id);
        d.put("upstream_id", "chatcmpl-" + id.hashCode());
        d.put("total_cost", 0.0001);
        d.put("cache_discount", (Double) null);
        d.put("upstream_inference_cost", (Double) null);
        d.put("created_at", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        d.put("model", "openai/gpt-4o-mini");
        d.put("app_id", (Integer) null);
        d.put("streamed", true);
        d.put("cancelled", false);
        d.put("provider_name", "OpenAI");
        d.put("latency", 412);
        d.put("moderation_latency", (Integer) null);
        d.put("generation_time", 380);
        d.put("finish_reason", "stop");
        d.put("native_finish_reason", "stop");
        d.put("tokens_prompt", 10);
        d.put("tokens_completion", 5);
        d.put("native_tokens_prompt", 10);
        d.put("native_tokens_completion", 5);
        d.put("native_tokens_reasoning", 0);
        d.put("native_tokens_cached", 0);
        d.put("num_media_prompt", (Integer) null);
        d.put("num_media_completion", (Integer) null);
        d.put("num_search_results", (Integer) null);
        d.put("origin", "");
        d.put("usage", 0.0001);
        d.put("is_byok", false);
        return write(root);
    }

    static String key() {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode d = root.putObject("data");
        d.put("label", "fake");
        d.put("usage", 0);
        d.putNull("limit");
        d.put("is_free_tier", false);
        d.putNull("limit_remaining");
        d.put("is_provisioning_key", false);
        return write(root);
    }

    static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
