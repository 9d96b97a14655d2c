package dev.orchat.upload;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed content URLs (docs/api.md §2.21): {@code sig} = unpadded base64url HMAC-SHA256 of {@code <id>.<exp>}, so an
 * {@code <img src>} works without an Authorization header. Without a configured key a random one is made per
 * start, which only means URLs from before a restart stop working.
 */
public final class UrlSigner {
    private final byte[] key;
    private final Duration ttl;
    private final Clock clock;

    public UrlSigner(String configuredKey, Duration ttl, Clock clock) {
        if (configuredKey == null) {
            this.key = new byte[32];
            new SecureRandom().nextBytes(this.key);
        } else {
            this.key = configuredKey.getBytes(StandardCharsets.UTF_8);
        }
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The query string ({@code exp=…&sig=…}) for a URL valid from now for the configured lifetime. */
    public String query(String attachmentId) {
        long exp = clock.instant().plus(ttl).getEpochSecond();
        return "exp=" + exp + "&sig=" + sign(attachmentId, exp);
    }

    public boolean verify(String attachmentId, String exp, String sig) {
        if (exp == null || sig == null || !exp.matches("\\d{1,12}")) {
            return false;
        }
        long expires = Long.parseLong(exp);
        if (expires < clock.instant().getEpochSecond()) {
            return false;
        }
        byte[] expected = sign(attachmentId, expires).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII));
    }

    String sign(String attachmentId, long exp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((attachmentId + "." + exp).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
