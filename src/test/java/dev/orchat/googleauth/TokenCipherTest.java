package dev.orchat.googleauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AES-256-GCM at rest with key ids and rotation (docs/api.md §2.27). */
class TokenCipherTest {
    static final byte[] OLD = "old-key-old-key-old-key-old-key!".getBytes(StandardCharsets.US_ASCII);
    static final byte[] NEW = "new-key-new-key-new-key-new-key!".getBytes(StandardCharsets.US_ASCII);

    @Test
    void roundTripsWithTheDocumentedFormatAndAFreshNoncePerValue() throws Exception {
        TokenCipher cipher = new TokenCipher(NEW, List.of());
        String a = cipher.encrypt("ya29.secret");
        String b = cipher.encrypt("ya29.secret");
        assertThat(a).isNotEqualTo(b).doesNotContain("ya29");
        assertThat(a).matches("v1:[0-9a-f]{8}:[A-Za-z0-9+/=]+");
        assertThat(a.split(":")[1]).isEqualTo(cipher.currentKeyId()).isEqualTo(TokenCipher.keyId(NEW));
        // nonce (12) + ciphertext (11) + tag (16)
        assertThat(Base64.getDecoder().decode(a.split(":")[2])).hasSize(12 + 11 + 16);
        assertThat(cipher.decrypt(a)).isEqualTo("ya29.secret");
        assertThat(cipher.decrypt(null)).isNull();
    }

    @Test
    void keyIdIsTheFirstEightHexDigitsOfTheKeysSha256() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(NEW);
        assertThat(TokenCipher.keyId(NEW)).isEqualTo(java.util.HexFormat.of().formatHex(digest).substring(0, 8));
    }

    @Test
    void tamperedOrRelabelledValuesAreRefused() {
        TokenCipher cipher = new TokenCipher(NEW, List.of(OLD));
        String value = cipher.encrypt("refresh-token");
        byte[] raw = Base64.getDecoder().decode(value.split(":")[2]);
        raw[raw.length - 1] ^= 1;
        String tampered = "v1:" + cipher.currentKeyId() + ":" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> cipher.decrypt(tampered)).isInstanceOf(TokenCipher.Undecryptable.class);
        String relabelled = value.replace(cipher.currentKeyId(), TokenCipher.keyId(OLD));
        assertThatThrownBy(() -> cipher.decrypt(relabelled)).isInstanceOf(TokenCipher.Undecryptable.class);
        assertThatThrownBy(() -> cipher.decrypt("plain-token")).isInstanceOf(TokenCipher.Undecryptable.class);
        assertThatThrownBy(() -> cipher.decrypt("v1:" + cipher.currentKeyId() + ":AAAA")).isInstanceOf(TokenCipher.Undecryptable.class);
    }

    @Test
    void previousKeysDecryptAndAskForReencryptionButNeverEncrypt() throws Exception {
        String underOld = new TokenCipher(OLD, List.of()).encrypt("rt");
        TokenCipher rotated = new TokenCipher(NEW, List.of(OLD));
        assertThat(rotated.decrypt(underOld)).isEqualTo("rt");
        assertThat(rotated.needsReencryption(underOld)).isTrue();
        String rewritten = rotated.encrypt(rotated.decrypt(underOld));
        assertThat(rotated.needsReencryption(rewritten)).isFalse();
        assertThat(rewritten.split(":")[1]).isEqualTo(TokenCipher.keyId(NEW));
        assertThatThrownBy(() -> new TokenCipher(NEW, List.of()).decrypt(underOld))
                .isInstanceOf(TokenCipher.Undecryptable.class).hasMessageContaining(TokenCipher.keyId(OLD));
    }

    @Test
    void keysMustBe32BytesOfBase64() {
        assertThat(TokenCipher.decodeKey(Base64.getEncoder().encodeToString(NEW))).isEqualTo(NEW);
        assertThat(TokenCipher.decodeKey(Base64.getUrlEncoder().encodeToString(NEW))).isEqualTo(NEW);
        assertThatThrownBy(() -> TokenCipher.decodeKey(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> TokenCipher.decodeKey("not base64 !!")).hasMessageContaining("base64");
    }
}
