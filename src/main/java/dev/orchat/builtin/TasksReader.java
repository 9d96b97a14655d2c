package dev.orchat.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.googleauth.GoogleApi;
import dev.orchat.mcp.ToolRegistry.ToolContext;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Google Tasks tools of the calendar built-in (docs/operations.md, "MCP servers"). Tasks carry a due date only (the API stores it as
 * midnight UTC), so due filters compare dates and are applied here, which also keeps undated tasks selectable.
 */
final class TasksReader {
    private static final int MAX_PAGES = 20;
    private final GoogleApi api;
    private final Clock clock;

    TasksReader(GoogleApi api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    private record TaskList(String id, String title, String updated) {
    }

    private record Task(JsonNode task, TaskList list, LocalDate due) {
    }

    private URI tasks(String path, Map<String, ?> query) {
        return GoogleApi.url(api.connection().config().tasksBase(), path, query);
    }

    private List<TaskList> allLists(int max) throws GoogleApi.Failure, InterruptedException {
        List<TaskList> out = new ArrayList<>();
        String page = null;
        for (int i = 0; i < MAX_PAGES && out.size() < max; i++) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("maxResults", 100);
            q.put("pageToken", page);
            JsonNode answer = api.getJson(tasks("/users/@me/lists", q));
            answer.path("items").forEach(l -> out.add(new TaskList(l.path("id").asText(), l.path("title").asText(),
                    l.path("updated").asText(""))));
            page = answer.path("nextPageToken").asText(null);
            if (page == null) {
                break;
            }
        }
        return out.size() > max ? out.subList(0, max) : out;
    }

    String lists(ObjectNode args) throws GoogleApi.Failure, InterruptedException {
        List<TaskList> lists = allLists(Args.optionalInt(args, "max_results", 100, 1, 100));
        if (lists.isEmpty()) {
            return "No task lists.";
        }
        StringBuilder out = new StringBuilder();
        lists.forEach(l -> out.append(l.title()).append(" | id: ").append(l.id()).append(" | updated: ").append(l.updated()).append('\n'));
        return out.toString().strip();
    }

    String tasks(ObjectNode args, ToolContext ctx) throws GoogleApi.Failure, InterruptedException {
        LocalDate today = LocalDate.now(clock.withZone(ctx.timeZone()));
        LocalDate dueMin = date(args, "due_min", ctx);
        LocalDate dueMax = date(args, "due_max", ctx);
        boolean completed = Args.optionalBoolean(args, "show_completed", false);
        boolean undated = Args.optionalBoolean(args, "include_undated", true);
        int max = Args.optionalInt(args, "max_results", 50, 1, 100);
        List<TaskList> lists = allLists(100);
        String wanted = Args.optionalString(args, "task_list_id");
        if (wanted != null && !wanted.isBlank()) {
            lists = pick(lists, wanted.strip());
        }
        List<Task> found = new ArrayList<>();
        for (TaskList list : lists) {
            String page = null;
            for (int i = 0; i < MAX_PAGES; i++) {
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("showCompleted", completed);
                q.put("showHidden", completed);
                q.put("maxResults", 100);
                q.put("pageToken", page);
                JsonNode answer = api.getJson(tasks("/lists/" + GoogleApi.segment(list.id()) + "/tasks", q));
                for (JsonNode t : answer.path("items")) {
                    LocalDate due = t.hasNonNull("due") ? LocalDate.parse(t.get("due").asText().substring(0, 10)) : null;
                    boolean keep = due == null ? undated
                            : (dueMin == null || !due.isBefore(dueMin)) && (dueMax == null || !due.isAfter(dueMax));
                    if (keep && (completed || !"completed".equals(t.path("status").asText()))) {
                        found.add(new Task(t, list, due));
                    }
                }
                page = answer.path("nextPageToken").asText(null);
                if (page == null) {
                    break;
                }
            }
        }
        found.sort(Comparator.comparing(Task::due, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(t -> t.task().path("updated").asText(""), Comparator.reverseOrder()));
        if (found.isEmpty()) {
            return "No tasks match.";
        }
        StringBuilder out = new StringBuilder();
        if (found.size() > max) {
            out.append("Showing ").append(max).append(" of ").append(found.size()).append(" tasks.\n");
        }
        for (Task t : found.subList(0, Math.min(max, found.size()))) {
            boolean done = "completed".equals(t.task().path("status").asText());
            out.append(done ? "- [x] " : "- [ ] ").append(t.task().path("title").asText("(untitled)"));
            out.append(t.due() == null ? " (no due date)" : " (due " + t.due() + ")");
            if (!done && t.due() != null && t.due().isBefore(today)) {
                out.append(" [OVERDUE]");
            }
            out.append(" | list: ").append(t.list().title()).append(" | id: ").append(t.task().path("id").asText()).append('\n');
            if (t.task().hasNonNull("notes")) {
                out.append("  Notes: ").append(t.task().get("notes").asText().replaceAll("\\s+", " ").strip()).append('\n');
            }
        }
        return out.toString().strip();
    }

    /** An id, else an exact title that must be unique. */
    private static List<TaskList> pick(List<TaskList> lists, String wanted) {
        for (TaskList l : lists) {
            if (l.id().equals(wanted)) {
                return List.of(l);
            }
        }
        List<TaskList> titled = lists.stream().filter(l -> l.title().equals(wanted)).toList();
        if (titled.size() > 1) {
            throw new Args.Invalid("Several task lists are titled '" + wanted + "'; use the id.");
        }
        if (titled.isEmpty()) {
            throw new Args.Invalid("No task list with id or title '" + wanted + "'.");
        }
        return titled;
    }

    private LocalDate date(ObjectNode args, String name, ToolContext ctx) {
        String text = Args.optionalString(args, name);
        return text == null || text.isBlank() ? null : CalendarServer.time(args, name, ctx.timeZone(), clock, null).toLocalDate();
    }
}
