package dev.orchat.web;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Which browser origins may call the API (CORS allow-list, docs/api.md §1.1). Same-origin is always allowed. */
public final class OriginPolicy {
    private final Set<String> allowed;

    public OriginPolicy(List<String> configured, Optional<String> frontendUrl) {
        Set<String> set = new LinkedHashSet<>();
        set.add("http://localhost:5173");
        set.add("http://127.0.0.1:5173");
        frontendUrl.flatMap(OriginPolicy::originOf).ifPresent(set::add);
        for (String origin : configured) {
            originOf(origin).ifPresent(set::add);
        }
        this.allowed = Set.copyOf(set);
    }

    /** True when the origin is listed or equals the origin the request was sent to. */
    public boolean allows(String origin, String requestScheme, String hostHeader) {
        if (origin == null) {
            return true;
        }
        Optional<String> normalized = originOf(origin);
        if (normalized.isEmpty()) {
            return false;
        }
        if (allowed.contains(normalized.get())) {
            return true;
        }
        return hostHeader != null && normalized.get().equals(
                originOf(requestScheme + "://" + hostHeader).orElse(null));
    }

    public boolean isListed(String origin) {
        return origin != null && originOf(origin).map(allowed::contains).orElse(false);
    }

    static Optional<String> originOf(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return Optional.empty();
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
