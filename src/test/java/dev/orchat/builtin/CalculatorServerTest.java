package dev.orchat.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import dev.orchat.mcp.ToolRegistry.ToolResult;
import dev.orchat.mcp.ToolServer.ToolSpec;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CalculatorServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ToolContext CONTEXT = new ToolContext("s1", "t1", ZoneId.of("America/New_York"));
    private final CalculatorServer server = new CalculatorServer();

    private ToolResult eval(String arguments) throws Exception {
        return server.call("calculator_evaluate", (ObjectNode) JSON.readTree(arguments), CONTEXT);
    }

    private String ok(String operation, String a, String b) throws Exception {
        ToolResult result = eval("{\"operation\":\"" + operation + "\",\"a\":" + a + ",\"b\":" + b + "}");
        assertThat(result.isError()).as(result.text()).isFalse();
        return result.text();
    }

    @Test
    void publishesOneToolWithItsSchema() {
        assertThat(server.id()).isEqualTo("local-calculator");
        assertThat(new CalculatorServer("calc2").id()).isEqualTo("calc2");
        assertThat(server.tools()).extracting(ToolSpec::name).containsExactly("calculator_evaluate");
        ObjectNode schema = server.tools().get(0).inputSchema();
        assertThat(schema.path("type").asText()).isEqualTo("object");
        assertThat(schema.path("properties").path("operation").path("enum").toString())
                .isEqualTo("[\"add\",\"subtract\",\"multiply\",\"divide\"]");
        assertThat(schema.path("properties").path("a").path("type").asText()).isEqualTo("number");
        assertThat(schema.path("properties").path("b").path("type").asText()).isEqualTo("number");
        assertThat(schema.path("required").toString()).isEqualTo("[\"operation\",\"a\",\"b\"]");
    }

    @Test
    void integralResultsHaveNoDecimalPoint() throws Exception {
        assertThat(ok("add", "2", "3")).isEqualTo("5");
        assertThat(ok("multiply", "1.5", "2")).isEqualTo("3");
        assertThat(ok("subtract", "2.50", "0.5")).isEqualTo("2");
        assertThat(ok("multiply", "100", "10")).isEqualTo("1000");
        assertThat(ok("divide", "10", "2")).isEqualTo("5");
        assertThat(ok("add", "0", "0.0")).isEqualTo("0");
    }

    @Test
    void decimalArithmeticIsExact() throws Exception {
        assertThat(ok("add", "0.1", "0.2")).isEqualTo("0.3");
        assertThat(ok("subtract", "5", "7.5")).isEqualTo("-2.5");
        assertThat(ok("multiply", "12345678901234567890", "2")).isEqualTo("24691357802469135780");
        assertThat(ok("multiply", "1e-7", "1")).isEqualTo("0.0000001");
        assertThat(ok("multiply", "1e20", "1")).isEqualTo("100000000000000000000");
    }

    @Test
    void divisionKeepsTwentySignificantDigits() throws Exception {
        assertThat(ok("divide", "10", "4")).isEqualTo("2.5");
        assertThat(ok("divide", "1", "3")).isEqualTo("0.33333333333333333333");
        assertThat(ok("divide", "2", "3")).isEqualTo("0.66666666666666666667");
        assertThat(ok("divide", "-22", "7")).isEqualTo("-3.1428571428571428571");
    }

    @Test
    void divisionByZeroIsAnErrorResult() throws Exception {
        assertThat(eval("{\"operation\":\"divide\",\"a\":1,\"b\":0}"))
                .isEqualTo(new ToolResult("Cannot divide by zero", true));
        assertThat(eval("{\"operation\":\"divide\",\"a\":1,\"b\":0.000}"))
                .isEqualTo(new ToolResult("Cannot divide by zero", true));
    }

    @Test
    void schemaViolationsAreOneSentenceErrors() throws Exception {
        assertThat(eval("{\"operation\":\"add\",\"b\":1}"))
                .isEqualTo(new ToolResult("Argument 'a' is required and must be a number.", true));
        assertThat(eval("{\"operation\":\"add\",\"a\":1,\"b\":null}"))
                .isEqualTo(new ToolResult("Argument 'b' is required and must be a number.", true));
        assertThat(eval("{\"operation\":\"add\",\"a\":\"3\",\"b\":1}"))
                .isEqualTo(new ToolResult("Argument 'a' must be a number.", true));
        assertThat(eval("{\"operation\":\"add\",\"a\":true,\"b\":1}"))
                .isEqualTo(new ToolResult("Argument 'a' must be a number.", true));
        assertThat(eval("{\"operation\":\"power\",\"a\":1,\"b\":1}"))
                .isEqualTo(new ToolResult("Argument 'operation' must be one of: add, subtract, multiply, divide.", true));
        assertThat(eval("{\"a\":1,\"b\":1}")).isEqualTo(new ToolResult(
                "Argument 'operation' is required and must be one of: add, subtract, multiply, divide.", true));
        assertThat(server.call("calculator_evaluate", null, CONTEXT).isError()).isTrue();
    }

    @Test
    void unknownArgumentsAreIgnored() throws Exception {
        assertThat(eval("{\"operation\":\"add\",\"a\":2,\"b\":3,\"precision\":5,\"session_id\":\"x\"}"))
                .isEqualTo(new ToolResult("5", false));
    }

    @Test
    void unknownToolIsAnErrorResult() throws Exception {
        assertThat(server.call("sqrt", JSON.createObjectNode(), CONTEXT))
                .isEqualTo(new ToolResult("Unknown tool: sqrt", true));
    }
}
