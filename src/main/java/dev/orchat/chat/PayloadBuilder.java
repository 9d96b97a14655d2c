package dev.orchat.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.openrouter.Flavor;
import dev.orchat.settings.SettingsSnapshot;
import java.util.List;

/** Builds the upstream request body of one hop (docs/api.md §2.2). Pure: same inputs, same payload. */
public final class PayloadBuilder {
    private final ObjectMapper mapper;
    private final Flavor flavor;
    private final String pdfEngine;

    /** @param pdfEngine OpenRouter {@code file-parser} engine for PDFs sent as files; empty = no plugin entry */
    public PayloadBuilder(ObjectMapper mapper, Flavor flavor, String pdfEngine) {
        this.mapper = mapper;
        this.flavor = flavor;
        this.pdfEngine = pdfEngine == null ? "" : pdfEngine;
    }

    /** The request body as sent upstream. */
    public byte[] toBytes(ObjectNode payload) {
        try {
            return mapper.writeValueAsBytes(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How tools take part in this hop. */
    public enum ToolMode { OFFER, DISABLED, FINAL_ANSWER }

    /** @param pdfSentAsFile whether a PDF went as a {@code file} part, which asks for the file-parser plugin */
    public ObjectNode build(ObjectNode forwarded, String model, ArrayNode messages, SettingsSnapshot settings,
                            List<ObjectNode> tools, ToolMode mode, boolean pdfSentAsFile) {
        ObjectNode payload = forwarded.deepCopy();
        payload.put("model", model);
        payload.set("messages", messages);
        payload.put("stream", true);
        if (settings.parameters() != null) {
            settings.parameters().fields().forEachRemaining(p -> {
                if (!payload.has(p.getKey()) && !p.getValue().isNull()) {
                    payload.set(p.getKey(), p.getValue());
                }
            });
        }
        JsonNode effectiveChoice = payload.get("tool_choice");
        boolean noneRequested = effectiveChoice != null && effectiveChoice.isTextual() && "none".equals(effectiveChoice.asText());
        if (mode == ToolMode.FINAL_ANSWER && !tools.isEmpty()) {
            payload.set("tools", toolArray(tools));
            payload.put("tool_choice", "none");
        } else if (mode == ToolMode.OFFER && !tools.isEmpty() && !noneRequested) {
            payload.set("tools", toolArray(tools));
            if (effectiveChoice == null) {
                payload.put("tool_choice", "auto");
            }
        } else {
            payload.remove("tools");
            payload.remove("tool_choice");
        }
        if (flavor == Flavor.OPENROUTER) {
            ObjectNode usage = payload.get("usage") instanceof ObjectNode u ? u : mapper.createObjectNode();
            usage.put("include", true);
            payload.set("usage", usage);
            ObjectNode provider = mapper.createObjectNode();
            if (settings.provider() != null) {
                provider.setAll(settings.provider());
            }
            if (payload.get("provider") instanceof ObjectNode requested) {
                provider.setAll(requested);
            }
            if (provider.isEmpty()) {
                payload.remove("provider");
            } else {
                payload.set("provider", provider);
            }
            if (pdfSentAsFile && !pdfEngine.isEmpty()) {
                addFileParser(payload);
            }
        } else {
            payload.remove("usage");
            if (!payload.has("stream_options")) {
                payload.putObject("stream_options").put("include_usage", true);
            }
        }
        return payload;
    }

    private void addFileParser(ObjectNode payload) {
        ArrayNode plugins = payload.get("plugins") instanceof ArrayNode existing ? existing : payload.putArray("plugins");
        for (JsonNode plugin : plugins) {
            if ("file-parser".equals(plugin.path("id").asText())) {
                return;
            }
        }
        ObjectNode entry = plugins.addObject();
        entry.put("id", "file-parser");
        entry.putObject("pdf").put("engine", pdfEngine);
    }

    /** Whether the §4.10 tools-unsupported fallback may apply to this choice (absent or "auto"). */
    public static boolean choiceAllowsFallback(JsonNode choice) {
        return choice == null || choice.isNull() || (choice.isTextual() && "auto".equals(choice.asText()));
    }

    private ArrayNode toolArray(List<ObjectNode> tools) {
        ArrayNode array = mapper.createArrayNode();
        tools.forEach(array::add);
        return array;
    }
}
