package dev.orchat.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.orchat.conversation.MessageRow;
import dev.orchat.conversation.NewMessage;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/api.md §2.2: stored history to clean upstream messages. */
class WireMessagesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ZonedDateTime NOW =
            ZonedDateTime.of(LocalDateTime.of(2025, 10, 21, 12, 9, 52), ZoneId.of("America/New_York"));
    private static final String NOW_LINE =
            "Current date and time: 2025-10-21 12:09 (Tuesday), time zone America/New_York (UTC-04:00).";

    private final Wire wire = new Wire(new WireMessages(MAPPER, true));
    private final Wire noReplay = new Wire(new WireMessages(MAPPER, false));

    /** The builder with no attachment expansion, as most cases here need. */
    private record Wire(WireMessages messages) {
        ArrayNode build(List<MessageRow> history, String systemPrompt, java.time.ZonedDateTime now) {
            return messages.build(history, systemPrompt, now, dev.orchat.upload.AttachmentInput.none().forHop(null, true));
        }

        ArrayNode build(List<MessageRow> history, String systemPrompt, java.time.ZonedDateTime now,
                        dev.orchat.upload.AttachmentInput.HopInput attachments) {
            return messages.build(history, systemPrompt, now, attachments);
        }
    }

    private static JsonNode json(String singleQuoted) {
        try {
            return MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    private static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static int position;

    private static MessageRow row(String role, String content, String contentKind, String name, String toolCalls,
                                  String toolCallId, String reasoningDetails) {
        position++;
        return new MessageRow(position, new NewMessage(
                new NewMessage.Place("sess", "turn", position, "client-" + position, null), role,
                new NewMessage.Body(content, contentKind, name, "complete"),
                new NewMessage.ToolPart(toolCalls, toolCallId, null, false, false),
                new NewMessage.Assistant("some/model", "stop", "gen-" + position, "{\"prompt_tokens\":1}", 0.01,
                        "thinking", reasoningDetails, "{\"via\":\"x\"}"),
                "{}", "{\"k\":1}", "2025-10-21T16:09:52.004Z"));
    }

    private static MessageRow user(String text) {
        return row("user", text, "text", null, null, null, null);
    }

    private static MessageRow system(String text) {
        return row("system", text, "text", null, null, null, null);
    }

    private static MessageRow assistant(String text) {
        return row("assistant", text, text == null ? "null" : "text", null, null, null, null);
    }

    private static MessageRow assistantCalls(String text, String toolCallsJson, String reasoningDetails) {
        return row("assistant", text, text == null ? "null" : "text", null, toolCallsJson, null, reasoningDetails);
    }

    private static MessageRow tool(String callId, String content) {
        return row("tool", content, "text", null, null, callId, null);
    }

    private static String calls(String... ids) {
        List<String> parts = new ArrayList<>();
        for (String id : ids) {
            parts.add("{'id':'" + id + "','type':'function','function':{'name':'calc__add','arguments':'{}'}}");
        }
        return q("[" + String.join(",", parts) + "]");
    }

    // ---- roles -------------------------------------------------------------------------------

    @Test
    void userAndSystemCarryOnlyRoleContentAndName() {
        MessageRow named = row("user", "hello", "text", "alice", null, null, null);
        ArrayNode out = wire.build(List.of(system("be brief"), named), null, null);

        assertThat(out).isEqualTo(json("[{'role':'system','content':'be brief'},"
                + "{'role':'user','content':'hello','name':'alice'}]"));
    }

    @Test
    void nothingElseLeaksIntoWireMessages() {
        ArrayNode out = wire.build(List.of(user("hi"), assistant("hello")), null, null);

        assertThat(out).isEqualTo(json("[{'role':'user','content':'hi'},{'role':'assistant','content':'hello'}]"));
    }

    @Test
    void partsContentIsSentAsArray() {
        MessageRow parts = row("user", q("[{'type':'text','text':'look'}]"), "parts", null, null, null, null);
        ArrayNode out = wire.build(List.of(parts), null, null);

        assertThat(out.get(0).get("content")).isEqualTo(json("[{'type':'text','text':'look'}]"));
    }

    @Test
    void assistantWithoutTextOrToolCallsIsSkipped() {
        ArrayNode out = wire.build(List.of(user("hi"), assistant(null), assistant(""), user("again")), null, null);

        assertThat(out).isEqualTo(json("[{'role':'user','content':'hi'},{'role':'user','content':'again'}]"));
    }

    @Test
    void assistantWithEmptyToolCallArrayAndNoTextIsSkipped() {
        ArrayNode out = wire.build(List.of(user("hi"), assistantCalls(null, "[]", null)), null, null);

        assertThat(out).hasSize(1);
    }

    @Test
    void assistantWithToolCallsHasNullContentAndToolCalls() {
        ArrayNode out = wire.build(List.of(user("hi"), assistantCalls(null, calls("call_a"), null),
                tool("call_a", "3")), null, null);

        assertThat(out).hasSize(3);
        JsonNode a = out.get(1);
        assertThat(a.get("role").asText()).isEqualTo("assistant");
        assertThat(a.has("content")).isTrue();
        assertThat(a.get("content").isNull()).isTrue();
        assertThat(a.get("tool_calls")).isEqualTo(json(calls("call_a")));
        assertThat(out.get(2)).isEqualTo(json("{'role':'tool','tool_call_id':'call_a','content':'3'}"));
    }

    @Test
    void toolResultWithoutMatchingCallIsDropped() {
        ArrayNode out = wire.build(List.of(user("hi"), tool("call_orphan", "x"), assistant("ok")), null, null);

        assertThat(out).isEqualTo(json("[{'role':'user','content':'hi'},{'role':'assistant','content':'ok'}]"));
    }

    @Test
    void toolResultForAnotherCallIdIsDropped() {
        ArrayNode out = wire.build(List.of(user("hi"), assistantCalls(null, calls("call_a"), null),
                tool("call_b", "wrong"), tool("call_a", "right")), null, null);

        assertThat(out).hasSize(3);
        assertThat(out.get(2)).isEqualTo(json("{'role':'tool','tool_call_id':'call_a','content':'right'}"));
    }

    @Test
    void duplicateToolResultIsDropped() {
        ArrayNode out = wire.build(List.of(user("hi"), assistantCalls(null, calls("call_a"), null),
                tool("call_a", "first"), tool("call_a", "second")), null, null);

        assertThat(out).hasSize(3);
        assertThat(out.get(2).get("content").asText()).isEqualTo("first");
    }

    @Test
    void missingToolResultGetsSyntheticNotExecuted() {
        ArrayNode out = wire.build(List.of(user("hi"), assistantCalls("let me", calls("call_a", "call_b"), null),
                tool("call_b", "ok"), user("next")), null, null);

        assertThat(out).hasSize(5);
        assertThat(out.get(1).get("content").asText()).isEqualTo("let me");
        assertThat(out.get(2)).isEqualTo(json("{'role':'tool','tool_call_id':'call_b','content':'ok'}"));
        assertThat(out.get(3)).isEqualTo(json("{'role':'tool','tool_call_id':'call_a','content':'Not executed.'}"));
        assertThat(out.get(4)).isEqualTo(json("{'role':'user','content':'next'}"));
    }

    @Test
    void missingToolResultAtEndOfHistoryGetsSyntheticResult() {
        ArrayNode out = wire.build(List.of(user("hi"), assistantCalls(null, calls("call_a"), null)), null, null);

        assertThat(out).hasSize(3);
        assertThat(out.get(2)).isEqualTo(json("{'role':'tool','tool_call_id':'call_a','content':'Not executed.'}"));
    }

    @Test
    void toolResultAfterInterveningMessageIsDroppedAndCallRepaired() {
        ArrayNode out = wire.build(List.of(user("hi"), assistantCalls(null, calls("call_a"), null),
                user("interrupt"), tool("call_a", "late")), null, null);

        assertThat(out).hasSize(4);
        assertThat(out.get(2).get("content").asText()).isEqualTo("Not executed.");
        assertThat(out.get(3)).isEqualTo(json("{'role':'user','content':'interrupt'}"));
    }

    @Test
    void nullToolContentIsSentAsEmptyString() {
        ArrayNode out = wire.build(List.of(user("hi"), assistantCalls(null, calls("call_a"), null),
                tool("call_a", null)), null, null);

        assertThat(out.get(2).get("content").isTextual()).isTrue();
        assertThat(out.get(2).get("content").asText()).isEmpty();
    }

    // ---- reasoning details ------------------------------------------------------------------

    @Test
    void reasoningDetailsReplayedWithToolCalls() {
        String details = q("[{'type':'reasoning.encrypted','data':'abc'}]");
        ArrayNode out = wire.build(List.of(user("hi"), assistantCalls(null, calls("call_a"), details),
                tool("call_a", "1")), null, null);

        assertThat(out.get(1).get("reasoning_details")).isEqualTo(json(details));
    }

    @Test
    void reasoningDetailsNotReplayedWithoutToolCalls() {
        String details = q("[{'type':'reasoning.encrypted','data':'abc'}]");
        MessageRow answer = row("assistant", "done", "text", null, null, null, details);
        ArrayNode out = wire.build(List.of(user("hi"), answer), null, null);

        assertThat(out.get(1).has("reasoning_details")).isFalse();
    }

    @Test
    void reasoningDetailsNotReplayedWhenSwitchedOff() {
        String details = q("[{'type':'reasoning.encrypted','data':'abc'}]");
        ArrayNode out = noReplay.build(List.of(user("hi"), assistantCalls(null, calls("call_a"), details),
                tool("call_a", "1")), null, null);

        assertThat(out.get(1).has("reasoning_details")).isFalse();
        assertThat(out.get(1).has("tool_calls")).isTrue();
    }

    @Test
    void emptyReasoningDetailsAreNotSent() {
        ArrayNode out = wire.build(List.of(user("hi"), assistantCalls(null, calls("call_a"), "[]"),
                tool("call_a", "1")), null, null);

        assertThat(out.get(1).has("reasoning_details")).isFalse();
    }

    // ---- system prompt -----------------------------------------------------------------------

    @Test
    void systemPromptPrependedWhenHistoryHasNoSystem() {
        ArrayNode out = wire.build(List.of(user("hi")), "You are helpful.", null);

        assertThat(out).isEqualTo(json("[{'role':'system','content':'You are helpful.'},"
                + "{'role':'user','content':'hi'}]"));
    }

    @Test
    void systemPromptNotAddedWhenHistoryHasSystem() {
        ArrayNode out = wire.build(List.of(user("hi"), system("stored rule")), "You are helpful.", null);

        assertThat(out).isEqualTo(json("[{'role':'user','content':'hi'},"
                + "{'role':'system','content':'stored rule'}]"));
    }

    @Test
    void blankSystemPromptIsNotSent() {
        assertThat(wire.build(List.of(user("hi")), "   ", null)).hasSize(1);
        assertThat(wire.build(List.of(user("hi")), "", null)).hasSize(1);
        assertThat(wire.build(List.of(user("hi")), null, null)).hasSize(1);
    }

    // ---- date/time context -------------------------------------------------------------------

    @Test
    void dateTimeLineFormat() {
        assertThat(WireMessages.dateTimeLine(NOW)).isEqualTo(NOW_LINE);
    }

    @Test
    void dateTimeLineFormatOtherZones() {
        ZonedDateTime utc = ZonedDateTime.of(LocalDateTime.of(2024, 2, 29, 0, 5, 59), ZoneId.of("UTC"));
        assertThat(WireMessages.dateTimeLine(utc))
                .isEqualTo("Current date and time: 2024-02-29 00:05 (Thursday), time zone UTC (UTC+00:00).");

        ZonedDateTime kolkata = ZonedDateTime.of(LocalDateTime.of(2025, 1, 5, 23, 59), ZoneId.of("Asia/Kolkata"));
        assertThat(WireMessages.dateTimeLine(kolkata))
                .isEqualTo("Current date and time: 2025-01-05 23:59 (Sunday), time zone Asia/Kolkata (UTC+05:30).");
    }

    @Test
    void dateTimeAppendedAfterBlankLineToSystemPrompt() {
        ArrayNode out = wire.build(List.of(user("hi")), "You are helpful.", NOW);

        assertThat(out).hasSize(2);
        assertThat(out.get(0).get("content").asText()).isEqualTo("You are helpful.\n\n" + NOW_LINE);
    }

    @Test
    void dateTimeAppendedToFirstStoredSystemMessageOnly() {
        ArrayNode out = wire.build(List.of(user("hi"), system("one"), system("two")), "ignored", NOW);

        assertThat(out).hasSize(3);
        assertThat(out.get(1).get("content").asText()).isEqualTo("one\n\n" + NOW_LINE);
        assertThat(out.get(2).get("content").asText()).isEqualTo("two");
    }

    @Test
    void dateTimeAddedAsTextPartWhenSystemContentIsArray() {
        MessageRow sys = row("system", q("[{'type':'text','text':'rules'}]"), "parts", null, null, null, null);
        ArrayNode out = wire.build(List.of(sys, user("hi")), null, NOW);

        assertThat(out.get(0).get("content")).isEqualTo(json(
                "[{'type':'text','text':'rules'},{'type':'text','text':'" + NOW_LINE + "'}]"));
    }

    @Test
    void dateTimeIsOwnSystemMessageWhenNoSystemAtAll() {
        ArrayNode out = wire.build(List.of(user("hi")), null, NOW);

        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo(json("{'role':'system','content':'" + NOW_LINE + "'}"));
        assertThat(out.get(1)).isEqualTo(json("{'role':'user','content':'hi'}"));
    }

    @Test
    void noDateTimeWhenContextOff() {
        ArrayNode out = wire.build(List.of(user("hi")), "You are helpful.", null);

        assertThat(out.toString()).doesNotContain("Current date and time");
    }

    @Test
    void buildIsRepeatableAndDoesNotAccumulateDateTime() {
        List<MessageRow> history = List.of(system("rules"), user("hi"));
        ArrayNode first = wire.build(history, null, NOW);
        ArrayNode second = wire.build(history, null, NOW);

        assertThat(second).isEqualTo(first);
        assertThat(second.get(0).get("content").asText()).isEqualTo("rules\n\n" + NOW_LINE);
    }
}
