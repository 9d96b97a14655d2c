package dev.orchat.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates the catalogue fixture {@code fixtures/models-openrouter.json}: a few hundred synthetic models in the
 * field layout of OpenRouter's {@code GET /models} (invented names and numbers, not copied data), plus hand-made
 * edge cases the enrichment and filter rules care about. Deterministic (fixed seed); regenerate with
 * {@code java -cp target/test-classes:... dev.orchat.testing.CatalogFixture src/test/resources/fixtures/models-openrouter.json}.
 */
public final class CatalogFixture {
    public static final String RESOURCE = "/fixtures/models-openrouter.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[][] VENDORS = {
            {"openai", "GPT", "gpt-n", "o-series"}, {"anthropic", "Claude", "claude-lyric", "claude-sonata"},
            {"google", "Gemini", "gemini-flare", "gemma-x"}, {"x-ai", "Grok", "grok-q"},
            {"cohere", "Command", "command-z"}, {"amazon", "Nova", "nova-lite", "nova-max"},
            {"perplexity", "Sonar", "sonar-deep"}, {"mistralai", "Mistral", "mistral-mid", "codestral-x"},
            {"deepseek", "DeepSeek", "deepseek-r", "deepseek-v"}, {"01-ai", "Yi", "yi-large"},
            {"meta-llama", "Llama", "llama-9", "llama-guard"}, {"qwen", "Qwen", "qwen-coder", "qwq-mini"},
            {"microsoft", "Phi", "phi-z"}, {"nvidia", "Nemotron", "nemotron-ultra"}, {"thirdlab", "Thirdlab", "tl-chat"}};
    private static final String[] SIZES = {"mini", "small", "base", "large", "pro", "ultra", "8b", "70b", "405b"};
    private static final String[] PARAMETERS = {"frequency_penalty", "include_reasoning", "logit_bias", "logprobs",
            "max_tokens", "min_p", "presence_penalty", "reasoning", "repetition_penalty", "response_format", "seed",
            "stop", "structured_outputs", "temperature", "tool_choice", "tools", "top_k", "top_logprobs", "top_p"};
    private static final String[] TOKENIZERS = {"GPT", "Claude", "Gemini", "Llama3", "Mistral", "Qwen", "Other"};

    private CatalogFixture() {
    }

    /** The committed fixture as text. */
    public static String json() {
        try (InputStream in = CatalogFixture.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE + "; run CatalogFixture.main to generate it");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode generate() {
        Random random = new Random(20251021L);
        ArrayNode data = MAPPER.createArrayNode();
        long created = 1_700_000_000L;
        for (String[] vendor : VENDORS) {
            for (int f = 2; f < vendor.length; f++) {
                for (int version = 1; version <= 4; version++) {
                    for (String size : SIZES) {
                        if (random.nextInt(100) < 35) {
                            continue;
                        }
                        String slug = vendor[f] + "-" + version + "." + random.nextInt(10) + "-" + size;
                        boolean free = random.nextInt(12) == 0;
                        String id = vendor[0] + "/" + slug + (free ? ":free" : "");
                        created += 3_600 + random.nextInt(400_000);
                        data.add(model(random, id, vendor[1] + ": " + titleOf(slug), created, free));
                    }
                }
            }
        }
        edgeCases(data);
        ObjectNode root = MAPPER.createObjectNode();
        root.set("data", data);
        return root;
    }

    private static ObjectNode model(Random random, String id, String name, long created, boolean free) {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("id", id);
        m.put("canonical_slug", id.replace(":free", "") + "-" + (20240101 + random.nextInt(1200)));
        if (random.nextBoolean()) {
            m.putNull("hugging_face_id");
        } else {
            m.put("hugging_face_id", "lab-" + Integer.toHexString(random.nextInt(0xffff)) + "/" + id.substring(id.indexOf('/') + 1));
        }
        m.put("name", name);
        m.put("created", created);
        m.put("description", "Synthetic test model " + name + ". Good at " + pick(random, "code", "chat", "maths",
                "long documents", "vision", "agents") + " and " + pick(random, "speed", "cost", "reasoning", "recall") + ".");
        int context = new int[]{4096, 8192, 32768, 65536, 128000, 131072, 200000, 262144, 1000000, 2000000}[random.nextInt(10)];
        m.put("context_length", context);
        ObjectNode arch = m.putObject("architecture");
        List<String> input = new ArrayList<>(List.of("text"));
        if (random.nextInt(100) < 45) {
            input.add("image");
        }
        if (random.nextInt(100) < 25) {
            input.add("file");
        }
        if (random.nextInt(100) < 8) {
            input.add("audio");
        }
        List<String> output = new ArrayList<>(List.of("text"));
        if (random.nextInt(100) < 5) {
            output.add("image");
        }
        arch.put("modality", String.join("+", input) + "->" + String.join("+", output));
        input.forEach(arch.putArray("input_modalities")::add);
        output.forEach(arch.putArray("output_modalities")::add);
        arch.put("tokenizer", TOKENIZERS[random.nextInt(TOKENIZERS.length)]);
        if (random.nextBoolean()) {
            arch.putNull("instruct_type");
        } else {
            arch.put("instruct_type", pick(random, "chatml", "llama3", "mistral", "none"));
        }
        ObjectNode pricing = m.putObject("pricing");
        BigDecimal prompt = free ? BigDecimal.ZERO : BigDecimal.valueOf(1 + random.nextInt(3000), 8);
        pricing.put("prompt", prompt.compareTo(BigDecimal.ZERO) == 0 ? "0" : prompt.stripTrailingZeros().toPlainString());
        pricing.put("completion", free ? "0" : prompt.multiply(BigDecimal.valueOf(2 + random.nextInt(4))).stripTrailingZeros().toPlainString());
        pricing.put("request", "0");
        pricing.put("image", input.contains("image") && !free ? "0.00" + (100 + random.nextInt(800)) : "0");
        pricing.put("web_search", "0");
        pricing.put("internal_reasoning", "0");
        if (random.nextBoolean()) {
            pricing.put("input_cache_read", prompt.divide(BigDecimal.TEN).stripTrailingZeros().toPlainString());
        }
        ObjectNode top = m.putObject("top_provider");
        top.put("context_length", context);
        if (random.nextInt(5) == 0) {
            top.putNull("max_completion_tokens");
        } else {
            top.put("max_completion_tokens", new int[]{4096, 8192, 16384, 32768, 65536}[random.nextInt(5)]);
        }
        top.put("is_moderated", random.nextInt(3) == 0);
        m.putNull("per_request_limits");
        ArrayNode params = m.putArray("supported_parameters");
        for (String p : PARAMETERS) {
            if (random.nextInt(100) < 55) {
                params.add(p);
            }
        }
        ObjectNode defaults = m.putObject("default_parameters");
        if (random.nextInt(4) == 0) {
            defaults.put("temperature", random.nextInt(11) / 10.0);
        }
        return m;
    }

    /** Models that exercise the odd corners of docs/api.md §2.16/§5.3; tests refer to them by id. */
    private static void edgeCases(ArrayNode data) {
        ObjectNode auto = MAPPER.createObjectNode();
        auto.put("id", "openrouter/auto");
        auto.put("name", "Auto Router");
        auto.put("created", 1_699_000_000L);
        auto.put("context_length", 2000000);
        auto.putObject("architecture").put("modality", "text->text").putArray("input_modalities").add("Text").add("IMAGE").add("text");
        ((ObjectNode) auto.get("architecture")).putArray("output_modalities").add("text");
        auto.putObject("pricing").put("prompt", "-1").put("completion", "-1");
        auto.putArray("supported_parameters");
        data.add(auto);

        ObjectNode capabilities = MAPPER.createObjectNode();
        capabilities.put("id", "edge/capabilities-tools");
        capabilities.put("name", "Edge: Capabilities Tools");
        capabilities.put("context_length", "32768");
        capabilities.putObject("capabilities").put("function_calling", "yes").put("vision", false);
        capabilities.putObject("pricing").put("prompt", "n/a");
        data.add(capabilities);

        ObjectNode falsy = MAPPER.createObjectNode();
        falsy.put("id", "edge/falsy-flags");
        falsy.put("name", "Edge: Falsy Flags");
        falsy.put("supports_tools", " Disabled ");
        falsy.put("functions", 0);
        falsy.putObject("capabilities").put("tools", "none").putArray("tool_calls");
        falsy.putArray("supported_parameters").add(" TEMPERATURE ").add("").add("Max_Tokens");
        falsy.putObject("pricing").put("prompt", 0.0000025);
        data.add(falsy);

        ObjectNode nested = MAPPER.createObjectNode();
        nested.put("id", "edge/nested-endpoints");
        nested.put("name", "Edge: Nested Endpoints");
        ArrayNode endpoints = nested.putArray("endpoints");
        endpoints.addObject().put("provider", "Alpha").putArray("tags").add("fast").add("eu");
        endpoints.addObject().put("provider", "Beta").putArray("tags").addArray().add("nested").add("deep");
        endpoints.addObject().put("provider", "Gamma").putNull("tags");
        nested.put("parameters_supported", true);
        nested.putArray("supported_parameters").add("Tools");
        data.add(nested);

        ObjectNode bare = MAPPER.createObjectNode();
        bare.put("id", "bare-model");
        bare.put("object", "model");
        bare.put("created", 1_690_000_000L);
        bare.put("owned_by", "someone");
        data.add(bare);
    }

    private static String titleOf(String slug) {
        StringBuilder out = new StringBuilder();
        for (String part : slug.split("-")) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }

    private static String pick(Random random, String... options) {
        return options[random.nextInt(options.length)];
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "src/test/resources/fixtures/models-openrouter.json");
        Files.createDirectories(target.getParent());
        Files.writeString(target, MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(generate()) + "\n");
        System.out.println("wrote " + target);
    }
}
