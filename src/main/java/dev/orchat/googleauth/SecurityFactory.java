package dev.orchat.googleauth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.orchat.config.CommaSeparatedList;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keys for secrets at rest (docs/configuration.md §2 {@code security.*}, §11.5).
 *
 * <table>
 * <tr><td>tokenEncryptionKey</td><td>unset</td><td>base64 of 32 bytes (TOKEN_ENCRYPTION_KEY); required for Google</td></tr>
 * <tr><td>previousTokenEncryptionKeys</td><td>[]</td><td>old keys, decryption only (list or comma-separated)</td></tr>
 * </table>
 */
public class SecurityFactory {
    @JsonProperty
    private String tokenEncryptionKey;

    @JsonProperty
    @JsonDeserialize(using = CommaSeparatedList.class)
    private List<String> previousTokenEncryptionKeys = new ArrayList<>();

    public Optional<String> tokenEncryptionKey() {
        return tokenEncryptionKey == null || tokenEncryptionKey.isBlank() ? Optional.empty() : Optional.of(tokenEncryptionKey);
    }

    public List<String> getPreviousTokenEncryptionKeys() {
        return previousTokenEncryptionKeys;
    }

    /** The cipher, or empty when no key is configured; a malformed key fails start-up with the key's name. */
    public Optional<TokenCipher> buildCipher() {
        if (tokenEncryptionKey().isEmpty()) {
            return Optional.empty();
        }
        byte[] current;
        try {
            current = TokenCipher.decodeKey(tokenEncryptionKey);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("security.tokenEncryptionKey " + e.getMessage());
        }
        List<byte[]> previous = new ArrayList<>();
        for (int i = 0; i < previousTokenEncryptionKeys.size(); i++) {
            try {
                previous.add(TokenCipher.decodeKey(previousTokenEncryptionKeys.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("security.previousTokenEncryptionKeys[" + i + "] " + e.getMessage());
            }
        }
        return Optional.of(new TokenCipher(current, previous));
    }
}
