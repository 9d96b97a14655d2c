package dev.orchat.openrouter;

import java.net.URI;
import java.util.Locale;

/** Which dialect the upstream speaks (docs/api.md §2.2). {@code AUTO} is resolved once from the base URL's host. */
public enum Flavor {
    OPENROUTER, GENERIC, AUTO;

    public Flavor resolve(URI baseUrl) {
        if (this != AUTO) {
            return this;
        }
        String host = baseUrl.getHost() == null ? "" : baseUrl.getHost().toLowerCase(Locale.ROOT);
        return host.equals("openrouter.ai") || host.endsWith(".openrouter.ai") ? OPENROUTER : GENERIC;
    }
}
