package dev.orchat.conversation;

import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

public interface GenerationDao {
    @SqlUpdate("INSERT INTO generations (turn_id, hop, generation_id, model, provider, status, finish_reason,"
            + " native_finish_reason, prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens, cost, usage,"
            + " routing, meta, message_id, started_at, first_token_at, finished_at) VALUES (:turnId, :hop,"
            + " :generationId, :model, :provider, :status, :finishReason, :nativeFinishReason, :promptTokens,"
            + " :completionTokens, :reasoningTokens, :cachedTokens, :cost, :usage, :routing, :meta, :messageId,"
            + " :startedAt, :firstTokenAt, :finishedAt)")
    void insert(@BindMethods NewGeneration generation);
}
