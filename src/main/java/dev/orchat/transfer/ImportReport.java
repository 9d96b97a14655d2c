package dev.orchat.transfer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/** The answer of {@code POST /api/import}: every item lands in exactly one list (docs/api.md "Import"). */
public record ImportReport(@JsonProperty("imported") List<Imported> imported,
                           @JsonProperty("skipped") List<Skipped> skipped,
                           @JsonProperty("failed") List<Failed> failed) {

    ImportReport() {
        this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Imported(@JsonProperty("item") String item, @JsonProperty("session_id") String sessionId,
                           @JsonProperty("title") String title, @JsonProperty("source") String source,
                           @JsonProperty("messages") int messages, @JsonProperty("note") String note) {
    }

    public record Skipped(@JsonProperty("item") String item, @JsonProperty("session_id") String sessionId,
                          @JsonProperty("title") String title, @JsonProperty("reason") String reason) {
    }

    public record Failed(@JsonProperty("item") String item, @JsonProperty("reason") String reason) {
    }
}
