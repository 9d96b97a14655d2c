package dev.orchat.googleauth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for OAuth tokens and PKCE verifiers at rest (docs/api.md §2.27): {@code v1:<key id>:<base64(nonce ‖
 * ciphertext ‖ tag)>}, a fresh 96-bit nonce per value, key id = first 8 hex digits of SHA-256(key). Previous keys
 * only decrypt; {@link #needsReencryption} tells the store to rewrite a value under the current key.
 */
public final class TokenCipher {
    private static final String PREFIX = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final String currentId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public TokenCipher(byte[] current, List<byte[]> previous) {
        currentId = keyId(current);
        keys.put(currentId, new SecretKeySpec(check(current), "AES"));
        for (byte[] old : previous) {
            keys.putIfAbsent(keyId(old), new SecretKeySpec(check(old), "AES"));
        }
    }

    /** Parses base64 key material (standard or URL alphabet); a wrong length is a configuration error. */
    public static byte[] decodeKey(String base64) {
        String text = base64.strip();
        byte[] key;
        try {
            key = text.contains("-") || text.contains("_") ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not valid base64");
        }
        return check(key);
    }

    private static byte[] check(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("must be 32 bytes (AES-256), got " + key.length);
        }
        return key;
    }

    public static String keyId(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String currentKeyId() {
        return currentId;
    }

    public String encrypt(String plaintext) {
        if (plaintext == null) {
            return null;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            // The key id is authenticated too, so a value cannot be relabelled to another key.
            cipher.updateAAD(aad(currentId));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + ":" + currentId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** Decrypts a stored value; {@link Undecryptable} when the key is unknown or the value was tampered with. */
    public String decrypt(String stored) throws Undecryptable {
        if (stored == null) {
            return null;
        }
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !PREFIX.equals(parts[0])) {
            throw new Undecryptable("unknown format");
        }
        SecretKeySpec key = keys.get(parts[1]);
        if (key == null) {
            throw new Undecryptable("encrypted with unknown key " + parts[1]);
        }
        try {
            byte[] raw = Base64.getDecoder().decode(parts[2]);
            if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new Undecryptable("value too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            cipher.updateAAD(aad(parts[1]));
            return new String(cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new Undecryptable("authentication failed");
        }
    }

    public boolean needsReencryption(String stored) {
        return stored != null && !stored.startsWith(PREFIX + ":" + currentId + ":");
    }

    private static byte[] aad(String keyId) {
        return (PREFIX + ":" + keyId).getBytes(StandardCharsets.US_ASCII);
    }

    /** A stored value this process cannot read; the connection is treated as needing re-authorisation. */
    public static final class Undecryptable extends Exception {
        public Undecryptable(String reason) {
            super(reason, null, false, false);
        }
    }
}
