package dev.orchat.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * {@code DATABASE_URL} as people write it (docs/configuration.md, "Database"): a JDBC URL
 * ({@code jdbc:sqlite:data/chat.db}, {@code jdbc:postgresql://host/db}) or the libpq / Heroku form
 * {@code postgresql://user:pass@host:5432/db?sslmode=require}. The credentials of the second form move out of the
 * URL into the pool's user and password, so that no log line or error that names the URL carries the password.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    private static final Pattern USERINFO = Pattern.compile("(//[^/@:]*):[^/@]*@");

    public static DatabaseUrl parse(String raw, String user, String password) {
        if (raw == null) {
            return new DatabaseUrl(null, user, password);
        }
        String url = raw.strip();
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            URI uri = URI.create(url);
            String userInfo = uri.getRawUserInfo();
            String u = user;
            String p = password;
            if (userInfo != null && !userInfo.isEmpty()) {
                int colon = userInfo.indexOf(':');
                u = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
                if (colon >= 0) {
                    p = decode(userInfo.substring(colon + 1));
                }
            }
            String host = uri.getHost() == null ? "localhost" : uri.getHost();
            String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
            String path = uri.getRawPath() == null ? "/" : uri.getRawPath();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return new DatabaseUrl("jdbc:postgresql://" + host + port + path + query, u, p);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return moveCredentialParameters(url, user, password);
        }
        return new DatabaseUrl(url, user, password);
    }

    /** {@code jdbc:postgresql://h/db?user=u&password=p}: the credentials leave the URL for the pool's fields. */
    private static DatabaseUrl moveCredentialParameters(String url, String user, String password) {
        int q = url.indexOf('?');
        if (q < 0) {
            return new DatabaseUrl(url, user, password);
        }
        StringBuilder kept = new StringBuilder();
        String u = user;
        String p = password;
        for (String pair : url.substring(q + 1).split("&")) {
            String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            String value = pair.contains("=") ? decode(pair.substring(pair.indexOf('=') + 1)) : "";
            if (key.equalsIgnoreCase("password")) {
                p = value;
            } else if (key.equalsIgnoreCase("user")) {
                u = value;
            } else if (!pair.isEmpty()) {
                kept.append(kept.length() == 0 ? "?" : "&").append(pair);
            }
        }
        return new DatabaseUrl(url.substring(0, q) + kept, u, p);
    }

    public boolean postgres() {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /** {@code text} with any password in a URL (user-info or {@code password=} parameter) replaced by ***. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        return USERINFO.matcher(URL_PASSWORD.matcher(text).replaceAll("$1***")).replaceAll("$1:***@");
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + redact(jdbcUrl) + ", user=" + user + "]";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
