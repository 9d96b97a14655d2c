package dev.orchat.web;

import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.EnumSet;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Cross-cutting HTTP concerns: the error shape, security filters, limits and start-up checks. */
public final class WebWiring {
    private static final Logger LOG = LoggerFactory.getLogger(WebWiring.class);

    private WebWiring() {
    }

    /** What the web layer reads from the configuration; the application builds it, so web/ imports no feature. */
    public record Settings(ServerFactory server, CorsFactory cors, HttpLimitsFactory http,
                           Optional<String> frontendUrl, Optional<URI> publicBaseUri) {
    }

    public static void register(Environment env, Settings config, Clock clock, BearerTokens tokens) {
        if (config.server() instanceof AbstractServerFactory server) {
            // Our mappers give every error the {"detail": ...} shape (docs/api.md §1.2).
            server.setRegisterDefaultExceptionMappers(false);
        }
        // Requests Jetty refuses before Jersey runs get the same JSON shape (docs/api.md §1.2): the server-wide
        // handler covers the parser's refusals, the context's covers sendError and the servlet layer's.
        env.getApplicationContext().setErrorHandler(new JsonServletErrorHandler());
        env.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server) {
                    server.setErrorHandler(new JsonErrorHandler());
                }
            }
        });
        // Location headers stay as written (e.g. "/api/uploads/<id>", docs/api.md §2.21) instead of being made absolute.
        env.jersey().property(org.glassfish.jersey.server.ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);
        // The service's own public address is an origin it serves pages from, so it is allowed like same-origin.
        List<String> allowedOrigins = new java.util.ArrayList<>(config.cors().getAllowedOrigins());
        config.publicBaseUri().ifPresent(uri -> allowedOrigins.add(uri.toString()));
        OriginPolicy origins = new OriginPolicy(allowedOrigins, config.frontendUrl());
        env.jersey().register(new RequestIdFilter());
        env.servlets().addFilter("request-id-cleanup", new RequestIdFilter.CleanupFilter())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        env.jersey().register(new CorsFilter(origins));
        env.jersey().register(new SecurityFilter(tokens, origins, config.publicBaseUri(),
                new FailedAuthLimiter(clock)));
        env.jersey().register(new BodyLimitFilter(config.http().getMaxJsonBodyBytes(), config.http().getMaxChatBodyBytes()));
        env.jersey().register(new DrainRequestBodyFilter());
        env.jersey().register(new ApiExceptionMapper());
        env.jersey().register(new DomainExceptionMapper());
        env.jersey().register(new WebApplicationExceptionMapper());
        env.jersey().register(new JsonExceptionMapper());
        env.jersey().register(new ViolationExceptionMapper());
        env.jersey().register(new FallbackExceptionMapper());
    }

    /** The web UI at {@code /} (docs/architecture.md): bundled in the jar, or read from {@code ui.dir}. */
    public static void registerUi(Environment env, UiFactory ui) {
        if (!ui.isEnabled()) {
            return;
        }
        UiAssets assets = ui.directory().map(UiAssets::directory).orElseGet(UiAssets::bundled);
        if (assets.read("index.html").isEmpty()) {
            LOG.warn("Web UI not found ({}); / answers 404. Build it with ./mvnw package (without -Dskip.ui).",
                    ui.directory().map(Path::toString).orElse("no ui/ resources in the jar"));
        }
        env.servlets().addFilter("ui", new UiFilter(assets))
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    }

    /** Refuses to start on a non-loopback address without tokens, unless explicitly allowed (docs/api.md §1.1). */
    public static void checkBinding(ServerFactory server, AuthFactory auth) {
        if (!auth.getTokens().isEmpty()) {
            return;
        }
        List<String> exposed = BindingSafety.nonLoopbackBinds(server);
        if (exposed.isEmpty()) {
            return;
        }
        if (auth.isAllowUnauthenticatedNonLoopback()) {
            LOG.warn("!!! Listening on {} WITHOUT authentication (auth.allowUnauthenticatedNonLoopback is true)", exposed);
            return;
        }
        throw new IllegalStateException("Refusing to start: no auth.tokens (AUTH_TOKENS) are configured and the service "
                + "would listen on non-loopback address(es) " + exposed + ". Set AUTH_TOKENS, bind to 127.0.0.1, or set "
                + "auth.allowUnauthenticatedNonLoopback: true.");
    }

    /** Creates the data and upload folders owner-only where the platform allows (docs/operations.md). */
    public static void prepareDirectories(List<Path> directories) throws IOException {
        for (Path dir : directories) {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system; nothing stricter to set.
                }
            }
        }
    }

    public static String version() {
        try (InputStream in = WebWiring.class.getResourceAsStream("/orchat-version.txt")) {
            return in == null ? "dev" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "dev";
        }
    }
}
