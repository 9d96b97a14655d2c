package dev.orchat.conversation;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

public interface GenerationDao {
    @SqlUpdate("INSERT INTO generations (turn_id, hop, generation_id, model, provider, status, finish_reason,"
            + " native_finish_reason, prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens, cost, usage,"
            + " routing, meta, message_id, started_at, first_token_at, finished_at) VALUES (:turnId, :hop,"
            + " :s.generationId, :s.model, :s.provider, :status, :s.finishReason, :s.nativeFinishReason,"
            + " :u.promptTokens, :u.completionTokens, :u.reasoningTokens, :u.cachedTokens, :u.cost, :u.usage,"
            + " :s.routing, :s.meta, :messageId, :t.startedAt, :t.firstTokenAt, :t.finishedAt)")
    void insertRow(@Bind("turnId") String turnId, @Bind("hop") int hop, @Bind("messageId") Long messageId,
                   @Bind("status") String status, @BindMethods("s") NewGeneration.Source source,
                   @BindMethods("u") NewGeneration.Usage usage, @BindMethods("t") NewGeneration.Timing timing);

    default void insert(NewGeneration g) {
        insertRow(g.turnId(), g.hop(), g.messageId(), g.status(), g.source(), g.usage(), g.timing());
    }
}
