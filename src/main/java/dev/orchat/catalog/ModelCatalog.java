package dev.orchat.catalog;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.openrouter.OpenRouterClient;
import dev.orchat.openrouter.UpstreamException;
import dev.orchat.web.ApiException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model catalogue (docs/api.md §2.16): {@code GET {baseUrl}/models}, enriched once per fetch and kept as one global
 * entry for {@code models.cacheTtl}. Concurrent misses share one fetch (single flight); a failed refresh serves
 * the previous copy, of any age, marked stale.
 */
public final class ModelCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);
    private final OpenRouterClient upstream;
    private final ObjectMapper mapper;
    private final ObjectMapper sortedMapper;
    private final Clock clock;
    private final Duration ttl;
    private final Meter refreshes;
    private final Meter errors;
    private final Object lock = new Object();
    private volatile CatalogSnapshot snapshot;
    private CompletableFuture<CatalogSnapshot> inFlight;

    /** What a request sees: the snapshot and whether it is a stale copy served after a failed refresh. */
    public record View(CatalogSnapshot snapshot, boolean stale) {
    }

    public ModelCatalog(OpenRouterClient upstream, ObjectMapper mapper, Clock clock, Duration ttl, MetricRegistry metrics) {
        this.upstream = upstream;
        this.mapper = mapper;
        this.sortedMapper = mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        this.clock = clock;
        this.ttl = ttl;
        this.refreshes = metrics.meter("models.catalog.refreshes");
        this.errors = metrics.meter("models.catalog.errors");
    }

    /** The cached catalogue, refreshed when older than the TTL. Without any copy, the upstream failure is the answer. */
    public View current() {
        CatalogSnapshot cached = snapshot;
        if (cached != null && fresh(cached)) {
            return new View(cached, false);
        }
        try {
            return new View(fetchShared(false), false);
        } catch (UpstreamException e) {
            CatalogSnapshot old = snapshot;
            if (old != null) {
                return new View(old, true);
            }
            throw new ApiException(e.status(), e.detail());
        }
    }

    /** The {@code models-refresh} task: fetch now, whatever the age of the copy. Returns the model count. */
    public int refresh() throws UpstreamException {
        return fetchShared(true).models().size();
    }

    /**
     * Input modalities of a model from the cached catalogue, for deciding how to send attachments (docs/api.md §2.21).
     * Never blocks: empty when the model is unknown or nothing is cached yet (an expired or missing copy is
     * refreshed in the background for the next caller).
     */
    public Optional<List<String>> inputModalities(String modelId) {
        CatalogSnapshot cached = snapshot;
        if (cached == null || !fresh(cached)) {
            boolean idle;
            synchronized (lock) {
                idle = inFlight == null;
            }
            if (idle) {
                CompletableFuture.runAsync(() -> {
                    try {
                        fetchShared(false);
                    } catch (UpstreamException e) {
                        // Logged and counted by the fetch; the caller treats capabilities as unknown.
                    }
                });
            }
        }
        return cached == null || modelId == null ? Optional.empty() : Optional.ofNullable(cached.inputModalities(modelId));
    }

    public ObjectNode metadata(CatalogSnapshot from) {
        return from.metadata(sortedMapper);
    }

    /** Response body of {@code GET /api/models}: the upstream payload with {@code data} selected, plus counts. */
    public JsonNode select(CatalogSnapshot from, boolean toolsOnly, ModelSearch search, ModelFilter filter) {
        if (!from.hasData()) {
            return from.root();
        }
        List<ObjectNode> models = from.models();
        ArrayNode data = mapper.createArrayNode();
        int base = 0;
        for (int i = 0; i < models.size(); i++) {
            ObjectNode model = models.get(i);
            if (toolsOnly && !model.path("supports_tools").asBoolean(false)) {
                continue;
            }
            base++;
            if ((search.isEmpty() || search.matches(from.leafText(i))) && filter.matches(model)) {
                data.add(model);
            }
        }
        // Shallow copy of the envelope: the shared model nodes are referenced, never copied or changed.
        ObjectNode out = mapper.createObjectNode();
        from.root().fields().forEachRemaining(e -> out.set(e.getKey(), e.getKey().equals("data") ? data : e.getValue()));
        ObjectNode counts = out.putObject("metadata");
        counts.put("total", models.size());
        counts.put("base_count", base);
        counts.put("count", data.size());
        return out;
    }

    private boolean fresh(CatalogSnapshot s) {
        return s.fetchedAt().plus(ttl).isAfter(clock.instant());
    }

    private CatalogSnapshot fetchShared(boolean force) throws UpstreamException {
        CompletableFuture<CatalogSnapshot> future;
        boolean owner = false;
        synchronized (lock) {
            CatalogSnapshot cached = snapshot;
            if (!force && cached != null && fresh(cached)) {
                return cached; // another caller refreshed it while this one waited for the lock
            }
            if (inFlight == null) {
                inFlight = new CompletableFuture<>();
                owner = true;
            }
            future = inFlight;
        }
        if (owner) {
            try {
                CatalogSnapshot fetched = fetch();
                snapshot = fetched;
                future.complete(fetched);
            } catch (UpstreamException | RuntimeException e) {
                future.completeExceptionally(e);
            } finally {
                synchronized (lock) {
                    inFlight = null;
                }
            }
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UpstreamException upstreamFailure) {
                throw upstreamFailure;
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private CatalogSnapshot fetch() throws UpstreamException {
        refreshes.mark();
        try {
            OpenRouterClient.JsonReply reply = upstream.getJson("/models");
            JsonNode root;
            try {
                root = mapper.readTree(reply.body());
            } catch (IOException e) {
                throw UpstreamException.invalid("Upstream returned an invalid model list", true);
            }
            CatalogSnapshot fetched = new CatalogSnapshot(root, clock.instant());
            LOG.info("Model catalogue refreshed: {} models", fetched.models().size());
            return fetched;
        } catch (UpstreamException e) {
            errors.mark();
            LOG.warn("Model catalogue refresh failed ({}): {}", e.status(), e.detail());
            throw e;
        }
    }
}
