package dev.orchat.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One search result (docs/api.md "Search"). {@code source} says what matched: a message's text, the session
 * title ({@code message_id} and {@code role} null) or an attachment's extracted text ({@code attachment} names it).
 */
public record SearchHit(
        @JsonProperty("session_id") String sessionId,
        @JsonProperty("message_id") Long messageId,
        @JsonProperty("role") String role,
        @JsonProperty("title") String title,
        @JsonProperty("snippet") String snippet,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("score") double score,
        @JsonProperty("source") String source,
        @JsonProperty("attachment") @JsonInclude(JsonInclude.Include.NON_NULL) AttachmentRef attachment) {

    public record AttachmentRef(@JsonProperty("id") String id, @JsonProperty("filename") String filename) {
    }
}
