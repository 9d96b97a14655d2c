package dev.orchat.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.testing.CatalogFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The committed fixture, parsed once, plus small oracles the table-driven tests use. */
final class CatalogFixtures {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNode RAW = read();
    static final CatalogSnapshot SNAPSHOT = new CatalogSnapshot(RAW, Instant.EPOCH);

    private CatalogFixtures() {
    }

    private static JsonNode read() {
        try {
            return MAPPER.readTree(CatalogFixture.json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode model(String id) {
        return SNAPSHOT.models().stream().filter(m -> m.path("id").asText().equals(id)).findFirst().orElseThrow();
    }

    /** A decimal from a number or numeric string, else null. Written separately from the production parser. */
    static BigDecimal decimal(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isNumber()) {
            return new BigDecimal(n.asText());
        }
        try {
            return new BigDecimal(n.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(v -> out.add(v.asText()));
        }
        return out;
    }
}
