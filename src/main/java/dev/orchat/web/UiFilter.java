package dev.orchat.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the built web UI (docs/architecture.md, §13.4) in front of Jersey. GET and HEAD requests outside {@code /api/**} and
 * {@code /health} get the matching file, or {@code index.html} for client-side routes. Hashed files under
 * {@code /assets/} are cached for a year; everything else is {@code no-cache}. A missing {@code /assets/} file is a
 * 404 rather than {@code index.html}, so a stale page fails loudly instead of parsing HTML as JavaScript.
 */
public class UiFilter implements Filter {
    static final String CSP = "default-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self' https://api.deepgram.com wss://api.deepgram.com; "
            + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("webp", "image/webp"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    private final UiAssets assets;

    public UiFilter(UiAssets assets) {
        this.assets = assets;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String method = request.getMethod();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!("GET".equals(method) || "HEAD".equals(method)) || !isUiPath(path)) {
            chain.doFilter(req, res);
            return;
        }
        String relative = path.equals("/") ? "index.html" : path.substring(1);
        Optional<byte[]> file = assets.read(relative);
        boolean hashed = relative.startsWith("assets/");
        if (file.isEmpty() && hashed) {
            securityHeaders(response);
            response.sendError(404);
            return;
        }
        if (file.isEmpty()) {
            relative = "index.html";
            file = assets.read(relative);
            if (file.isEmpty()) {
                chain.doFilter(req, res); // UI not built into this jar: the API's 404 applies
                return;
            }
        }
        securityHeaders(response);
        response.setHeader("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
        response.setContentType(contentType(relative));
        response.setContentLength(file.get().length);
        if ("GET".equals(method)) {
            response.getOutputStream().write(file.get());
        }
    }

    static boolean isUiPath(String path) {
        return path.startsWith("/") && !path.equals("/api") && !path.startsWith("/api/")
                && !path.equals("/health") && !path.startsWith("/health/");
    }

    private static void securityHeaders(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
    }

    private static String contentType(String relative) {
        int dot = relative.lastIndexOf('.');
        String ext = dot < 0 ? "" : relative.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }
}
