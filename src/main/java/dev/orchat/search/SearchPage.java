package dev.orchat.search;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A page of hits, best first; {@code next_cursor} is null on the last page. */
public record SearchPage(@JsonProperty("hits") List<SearchHit> hits, @JsonProperty("next_cursor") String nextCursor) {
}
