package dev.orchat.catalog;

import dev.orchat.openrouter.UpstreamException;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code POST /tasks/models-refresh} (docs/operations.md, "Admin port"): refetch the catalogue now; prints the count or the error. */
public final class ModelsRefreshTask extends Task {
    private final ModelCatalog catalog;

    public ModelsRefreshTask(ModelCatalog catalog) {
        super("models-refresh");
        this.catalog = catalog;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        try {
            output.println("models=" + catalog.refresh());
        } catch (UpstreamException e) {
            output.println("error status=" + e.status() + " detail=" + e.detail());
        }
    }
}
