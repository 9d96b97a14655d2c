package dev.orchat.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.openrouter.Flavor;
import dev.orchat.openrouter.OpenRouterClient;
import dev.orchat.openrouter.UpstreamException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/settings/model/active-provider} (docs/api.md §2.18): a best-effort explanation of which provider
 * OpenRouter would route to under the stored preferences. Always answers; upstream failures only shrink the data.
 */
public final class ActiveProviderExplainer {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveProviderExplainer.class);
    private final OpenRouterClient upstream;
    private final ObjectMapper mapper;

    public ActiveProviderExplainer(OpenRouterClient upstream, ObjectMapper mapper) {
        this.upstream = upstream;
        this.mapper = mapper;
    }

    /** One routing candidate: a model endpoint, or a provider when the model's endpoints are unknown. */
    record Candidate(String name, String slug, String endpointId, String region, JsonNode pricing,
                     Double throughput, Double latency, boolean zdr) {
    }

    public ObjectNode explain(ModelSettings settings) {
        String modelId = settings.model();
        try {
            return explainOrThrow(modelId, settings.provider());
        } catch (RuntimeException e) {
            LOG.warn("active-provider explanation failed: {}", e.toString());
            String author = modelId != null && modelId.contains("/") ? modelId.substring(0, modelId.indexOf('/')) : "unknown";
            ObjectNode out = mapper.createObjectNode();
            out.put("provider", author);
            out.put("provider_id", author);
            out.put("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            out.put("fallback", true);
            return out;
        }
    }

    private ObjectNode explainOrThrow(String modelId, ObjectNode prefs) {
        ObjectNode out = mapper.createObjectNode();
        if (upstream.flavor() == Flavor.GENERIC) {
            out.put("provider", "OpenAI-compatible server");
            out.put("provider_type", "default");
            out.put("model_id", modelId);
            out.put("routing_strategy", "default");
            out.put("note", "Provider routing is not available for this upstream");
            return out;
        }
        List<Candidate> providers = fetch("/providers").map(this::providerCandidates).orElse(List.of());
        Optional<List<Candidate>> endpoints = modelId == null || !modelId.contains("/") || modelId.equals("openrouter/auto")
                ? Optional.empty() : fetch("/models/" + path(modelId) + "/endpoints").map(this::endpointCandidates);
        List<Candidate> candidates = endpoints.orElse(providers);
        boolean hasEndpoints = endpoints.isPresent();
        if (prefs == null || prefs.isEmpty()) {
            out.put("provider", "OpenRouter default routing");
            out.put("provider_type", "default");
            out.put("model_id", modelId);
            out.put("total_providers", providers.size());
            out.put("available_providers", candidates.size());
            out.put("routing_strategy", "default");
            out.put("note", "No provider preferences set");
            out.put("has_model_endpoints", hasEndpoints);
            return out;
        }
        List<String> filters = new ArrayList<>();
        List<Candidate> available = new ArrayList<>(candidates);
        if ("deny".equals(prefs.path("data_collection").asText())) {
            available.removeIf(c -> !c.zdr());
            filters.add("data_collection: deny (zero data retention only)");
        }
        List<String> only = lower(prefs.get("only"));
        if (!only.isEmpty()) {
            available.removeIf(c -> !matchesAny(c, only));
            filters.add("only: " + String.join(", ", strings(prefs.get("only"))));
        }
        List<String> ignore = lower(prefs.get("ignore"));
        if (!ignore.isEmpty()) {
            available.removeIf(c -> matchesAny(c, ignore));
            filters.add("ignore: " + String.join(", ", strings(prefs.get("ignore"))));
        }
        List<String> order = strings(prefs.get("order"));
        String sort = prefs.path("sort").asText(null);
        Candidate selected = null;
        if (!order.isEmpty()) {
            out.put("provider_type", "explicit_order");
            out.set("provider_order", mapper.valueToTree(order));
            for (String name : order) {
                selected = available.stream().filter(c -> matchesAny(c, List.of(name.toLowerCase(Locale.ROOT)))).findFirst().orElse(null);
                if (selected != null) {
                    break;
                }
            }
            if (selected == null) {
                out.put("provider", order.get(0));
                out.put("provider_id", order.get(0));
            }
        } else if (sort != null) {
            out.put("provider_type", "dynamic_sort");
            out.put("sort_strategy", sort);
            Comparator<Candidate> by = switch (sort) {
                case "price" -> Comparator.comparingDouble(c -> price(c.pricing(), "completion").orElse(Double.POSITIVE_INFINITY));
                case "throughput" -> Comparator.comparingDouble(c -> c.throughput() == null ? Double.POSITIVE_INFINITY : -c.throughput());
                default -> Comparator.comparingDouble(c -> c.latency() == null ? Double.POSITIVE_INFINITY : c.latency());
            };
            selected = available.stream().min(by).orElse(null);
        } else {
            out.put("provider", "OpenRouter default routing");
            out.put("provider_type", "default");
        }
        if (selected != null) {
            String summary = summary(selected);
            out.put("provider", summary);
            out.put("provider_id", selected.slug());
            out.put("provider_slug", selected.slug());
            out.set("selected_endpoint", endpointView(selected, summary));
        } else if (!out.has("provider")) {
            out.put("provider", "OpenRouter default routing");
        }
        out.put("model_id", modelId);
        out.put("total_providers", providers.size());
        out.put("available_providers", available.size());
        out.put("routing_strategy", "dynamic");
        out.set("filters_applied", mapper.valueToTree(filters));
        out.set("allow_fallbacks", prefs.has("allow_fallbacks") ? prefs.get("allow_fallbacks") : mapper.nullNode());
        out.set("require_parameters", prefs.has("require_parameters") ? prefs.get("require_parameters") : mapper.nullNode());
        out.put("has_model_endpoints", hasEndpoints);
        return out;
    }

    private Optional<JsonNode> fetch(String path) {
        try {
            return Optional.of(mapper.readTree(upstream.getJson(path).body()));
        } catch (UpstreamException | java.io.IOException e) {
            LOG.info("active-provider: {} unavailable ({})", path, e.getMessage());
            return Optional.empty();
        }
    }

    private List<Candidate> providerCandidates(JsonNode root) {
        List<Candidate> out = new ArrayList<>();
        root.path("data").forEach(p -> out.add(new Candidate(p.path("name").asText(""), p.path("slug").asText(""), null,
                null, null, null, null, zdr(p))));
        return out;
    }

    private List<Candidate> endpointCandidates(JsonNode root) {
        List<Candidate> out = new ArrayList<>();
        JsonNode data = root.path("data");
        JsonNode list = data.isArray() ? data : data.path("endpoints");
        list.forEach(e -> {
            String name = e.path("provider_name").asText(e.path("name").asText(""));
            String slug = e.path("tag").asText(e.path("slug").asText(name.toLowerCase(Locale.ROOT)));
            out.add(new Candidate(name, slug, e.hasNonNull("id") ? e.get("id").asText() : e.path("name").asText(null),
                    e.hasNonNull("region") ? e.get("region").asText() : null, e.get("pricing"),
                    number(e, "throughput_tokens_per_second", "throughput", "throughput_last_30m"),
                    number(e, "latency_ms", "latency", "latency_last_30m"), zdr(e)));
        });
        return out;
    }

    private ObjectNode endpointView(Candidate c, String summary) {
        ObjectNode view = mapper.createObjectNode();
        view.put("display_name", c.name());
        view.put("slug", c.slug());
        view.put("provider_id", c.slug());
        view.put("endpoint_id", c.endpointId());
        view.put("region", c.region());
        ObjectNode pricing = view.putObject("pricing");
        for (String key : List.of("prompt", "completion", "request", "image")) {
            JsonNode v = c.pricing() == null ? null : c.pricing().get(key);
            pricing.set(key, v == null ? mapper.nullNode() : v);
        }
        view.put("throughput_tokens_per_second", c.throughput());
        view.put("latency_ms", c.latency());
        view.put("summary", summary);
        return view;
    }

    /** "Name (slug) · region · $x/m completion · N tok/s · N ms latency" (docs/api.md §2.18). */
    static String summary(Candidate c) {
        List<String> parts = new ArrayList<>();
        parts.add(c.slug() != null && !c.slug().isEmpty() && !c.slug().equalsIgnoreCase(c.name())
                ? c.name() + " (" + c.slug() + ")" : c.name());
        if (c.region() != null && !c.region().isBlank()) {
            parts.add(c.region());
        }
        Optional<String> price = price(c.pricing(), "completion").map(p -> "$" + money(p * 1_000_000) + "/m completion")
                .or(() -> price(c.pricing(), "prompt").map(p -> "$" + money(p * 1_000_000) + "/m prompt"))
                .or(() -> price(c.pricing(), "request").map(p -> "$" + money(p) + "/request"))
                .or(() -> price(c.pricing(), "image").map(p -> "$" + money(p) + "/image"));
        price.ifPresent(parts::add);
        if (c.throughput() != null) {
            parts.add(Math.round(c.throughput()) + " tok/s");
        }
        if (c.latency() != null) {
            parts.add(Math.round(c.latency()) + " ms latency");
        }
        return String.join(" · ", parts);
    }

    static String money(double value) {
        int decimals = Math.abs(value) >= 1 ? 2 : Math.abs(value) >= 0.01 ? 3 : 4;
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }

    private static Optional<Double> price(JsonNode pricing, String key) {
        JsonNode v = pricing == null ? null : pricing.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(v.isNumber() ? v.doubleValue() : Double.parseDouble(v.asText().strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Double number(JsonNode node, String... keys) {
        for (String key : keys) {
            if (node.path(key).isNumber()) {
                return node.get(key).doubleValue();
            }
        }
        return null;
    }

    private static boolean zdr(JsonNode node) {
        return node.path("zdr").asBoolean(false) || node.path("data_policy").path("zdr").asBoolean(false);
    }

    private static boolean matchesAny(Candidate c, List<String> lowerNames) {
        return lowerNames.contains(c.name().toLowerCase(Locale.ROOT)) || lowerNames.contains(c.slug().toLowerCase(Locale.ROOT));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    private static List<String> lower(JsonNode array) {
        return strings(array).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    private static String path(String modelId) {
        Function<String, String> enc = s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        int slash = modelId.indexOf('/');
        return enc.apply(modelId.substring(0, slash)) + "/" + enc.apply(modelId.substring(slash + 1));
    }
}
