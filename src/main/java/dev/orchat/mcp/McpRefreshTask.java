package dev.orchat.mcp;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code POST /tasks/mcp-refresh[?server=<id>]} (docs/operations.md, "Admin port"): re-read the file, reconnect, re-list, report. */
public final class McpRefreshTask extends Task {
    private final McpSupervisor supervisor;

    public McpRefreshTask(McpSupervisor supervisor) {
        super("mcp-refresh");
        this.supervisor = supervisor;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        supervisor.reload();
        List<String> only = parameters.getOrDefault("server", List.of());
        for (McpRuntime rt : supervisor.runtimes()) {
            if (only.isEmpty() || only.contains(rt.id())) {
                int tools = rt.server() == null ? 0 : rt.server().tools().size();
                output.println(rt.id() + " state=" + rt.state() + " tools=" + tools
                        + (rt.lastError() == null ? "" : " last_error=" + rt.lastError()));
            }
        }
    }
}
