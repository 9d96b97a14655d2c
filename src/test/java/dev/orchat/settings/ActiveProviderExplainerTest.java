package dev.orchat.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The summary line of docs/api.md §2.18: price precision and the order of its parts. */
class ActiveProviderExplainerTest {
    @ParameterizedTest
    @CsvSource({"12.345,12.35", "1,1.00", "0.5,0.500", "0.0123,0.012", "0.00999,0.0100", "0.000015,0.0000", "0,0.0000"})
    void moneyPrecisionDependsOnSize(double value, String expected) {
        assertThat(ActiveProviderExplainer.money(value)).isEqualTo(expected);
    }

    @Test
    void summaryFallsBackThroughThePrices() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var onlyRequest = new ActiveProviderExplainer.Candidate("Acme", "acme", "e1", null,
                json.readTree("{\"completion\": \"n/a\", \"request\": \"0.02\"}"), null, 35.0, false);
        assertThat(ActiveProviderExplainer.summary(onlyRequest)).isEqualTo("Acme · $0.020/request · 35 ms latency");
        var prompt = new ActiveProviderExplainer.Candidate("Acme Cloud", "acme", "e1", "us",
                json.readTree("{\"prompt\": 0.0000005}"), 12.6, null, false);
        assertThat(ActiveProviderExplainer.summary(prompt)).isEqualTo("Acme Cloud (acme) · us · $0.500/m prompt · 13 tok/s");
        var image = new ActiveProviderExplainer.Candidate("Pix", "pix", null, null, json.readTree("{\"image\": \"1.5\"}"),
                null, null, false);
        assertThat(ActiveProviderExplainer.summary(image)).isEqualTo("Pix · $1.50/image");
    }
}
