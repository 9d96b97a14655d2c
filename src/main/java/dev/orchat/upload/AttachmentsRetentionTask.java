package dev.orchat.upload;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code POST /tasks/attachments-retention[?dry_run=true]}: runs the sweep now (docs/operations.md, "Admin port"). */
public final class AttachmentsRetentionTask extends Task {
    private final AttachmentSweeper sweeper;

    public AttachmentsRetentionTask(AttachmentSweeper sweeper) {
        super("attachments-retention");
        this.sweeper = sweeper;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        List<String> dryRun = parameters.getOrDefault("dry_run", List.of("false"));
        String value = dryRun.isEmpty() ? "false" : dryRun.get(0).strip().toLowerCase(java.util.Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            output.println("error: dry_run must be true or false");
            return;
        }
        output.println(sweeper.sweep(value.equals("true")));
    }
}
