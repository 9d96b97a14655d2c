package dev.orchat.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import dev.orchat.mcp.ToolRegistry.ToolResult;
import dev.orchat.mcp.ToolServer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/** The {@code calculator} built-in (docs/operations.md, "MCP servers"): exact decimal arithmetic on two numbers. */
public final class CalculatorServer implements ToolServer {
    public static final String DEFAULT_ID = "local-calculator";
    public static final String EVALUATE = "calculator_evaluate";
    private static final List<String> OPERATIONS = List.of("add", "subtract", "multiply", "divide");
    private static final MathContext DIVISION = new MathContext(20);
    // A plain rendering of 1E+100000000 would be a 100 MB string; nothing a model asks for needs this many digits.
    private static final int MAX_DIGITS = 10_000;

    private final String id;
    private final List<ToolSpec> tools;

    public CalculatorServer() {
        this(DEFAULT_ID);
    }

    /** For a configuration that gives the built-in another id (docs/configuration.md §4). */
    public CalculatorServer(String id) {
        this.id = id;
        this.tools = List.of(new ToolSpec(EVALUATE,
                "Evaluate one arithmetic operation on two decimal numbers exactly (division to 20 significant digits).",
                Schemas.object()
                        .stringEnum("operation", "The operation to apply: a <operation> b.", OPERATIONS)
                        .number("a", "The first operand.")
                        .number("b", "The second operand.")
                        .required("operation", "a", "b")
                        .build()));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<ToolSpec> tools() {
        return tools;
    }

    @Override
    public ToolResult call(String tool, ObjectNode arguments, ToolContext context) {
        if (!EVALUATE.equals(tool)) {
            return new ToolResult("Unknown tool: " + tool, true);
        }
        try {
            String operation = Args.requiredEnum(arguments, "operation", OPERATIONS);
            BigDecimal a = Args.requiredNumber(arguments, "a");
            BigDecimal b = Args.requiredNumber(arguments, "b");
            if (tooLong(a) || tooLong(b)) {
                return new ToolResult("The operands have too many digits to calculate with.", true);
            }
            BigDecimal result;
            switch (operation) {
                case "add" -> result = a.add(b);
                case "subtract" -> result = a.subtract(b);
                case "multiply" -> result = a.multiply(b);
                default -> {
                    if (b.signum() == 0) {
                        return new ToolResult("Cannot divide by zero", true);
                    }
                    result = a.divide(b, DIVISION);
                }
            }
            if (tooLong(result)) {
                return new ToolResult("The result has too many digits to show.", true);
            }
            return new ToolResult(format(result), false);
        } catch (Args.Invalid e) {
            return new ToolResult(e.getMessage(), true);
        }
    }

    /** Integral values print without a decimal point and nothing prints in scientific notation. */
    static String format(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static boolean tooLong(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return Math.abs((long) stripped.scale()) + stripped.precision() > MAX_DIGITS;
    }
}
