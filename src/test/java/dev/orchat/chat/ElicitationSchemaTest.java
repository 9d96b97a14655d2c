package dev.orchat.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Accepted elicitation content against the flat MCP form schema (docs/api.md §3.7). */
class ElicitationSchemaTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"name\":{\"type\":\"string\",\"minLength\":2},"
            + "\"email\":{\"type\":\"string\",\"format\":\"email\"},"
            + "\"site\":{\"type\":\"string\",\"format\":\"uri\"},"
            + "\"born\":{\"type\":\"string\",\"format\":\"date\"},"
            + "\"n\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10},"
            + "\"x\":{\"type\":\"number\"},"
            + "\"ok\":{\"type\":\"boolean\"},"
            + "\"color\":{\"type\":\"string\",\"enum\":[\"red\",\"blue\"]},"
            + "\"hero\":{\"type\":\"string\",\"oneOf\":[{\"const\":\"h1\",\"title\":\"Superman\"}]},"
            + "\"tags\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":2,\"items\":{\"enum\":[\"a\",\"b\",\"c\"]}}},"
            + "\"required\":[\"name\"]}";

    static List<String> fields(String content) throws Exception {
        JsonNode body = content == null ? null : JSON.readTree(content);
        return ElicitationSchema.validate(JSON.readTree(SCHEMA), body).stream()
                .map(e -> ((List<?>) e.get("loc")).size() > 2 ? ((List<?>) e.get("loc")).get(2).toString() : "content")
                .toList();
    }

    @Test
    void validContentHasNoErrors() throws Exception {
        assertThat(fields("{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"site\":\"https://example.com\","
                + "\"born\":\"1815-12-10\",\"n\":10,\"x\":2.5,\"ok\":false,\"color\":\"red\",\"hero\":\"h1\","
                + "\"tags\":[\"a\",\"c\"]}")).isEmpty();
    }

    @Test
    void everyBrokenFieldIsNamed() throws Exception {
        assertThat(fields("{\"email\":\"nope\",\"site\":\"example\",\"born\":\"10/12/1815\",\"n\":1.5,\"x\":\"2\","
                + "\"ok\":\"yes\",\"color\":\"green\",\"hero\":\"h9\",\"tags\":[],\"extra\":1}"))
                .containsExactlyInAnyOrder("name", "email", "site", "born", "n", "x", "ok", "color", "hero", "tags",
                        "extra");
        assertThat(fields("{\"name\":\"A\",\"n\":11,\"tags\":[\"a\",\"b\",\"c\"]}"))
                .containsExactlyInAnyOrder("name", "n", "tags");
        assertThat(fields(null)).containsExactly("content");
    }

    @Test
    void errorsHaveTheFieldErrorShape() throws Exception {
        Map<String, Object> error = ElicitationSchema.validate(JSON.readTree(SCHEMA), JSON.readTree("{\"name\":\"Ada\",\"n\":0}"))
                .get(0);
        assertThat(error).containsEntry("loc", List.of("body", "content", "n")).containsEntry("type", "value_error");
        assertThat(error.get("msg").toString()).isEqualTo("Input should be greater than or equal to 1");
    }
}
