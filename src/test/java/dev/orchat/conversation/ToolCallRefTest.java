package dev.orchat.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Invariant I2 helpers: stored tool calls reduced to id and name, and unanswered calls of a turn. */
class ToolCallRefTest {

    private static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static String call(String id, String name) {
        return "{'id':'" + id + "','type':'function','function':{'name':'" + name + "','arguments':'{}'}}";
    }

    private static String calls(String... callJson) {
        return q("[" + String.join(",", callJson) + "]");
    }

    private static int position;

    private static MessageRow row(String role, String toolCalls, String toolCallId) {
        position++;
        return new MessageRow(position, new NewMessage(new NewMessage.Place("s", "t", position, null, null), role,
                new NewMessage.Body("c", "text", null, "complete"),
                new NewMessage.ToolPart(toolCalls, toolCallId, null, false, false), NewMessage.Assistant.NONE, null,
                null, "2025-01-01T00:00:00Z"));
    }

    @Test
    void parsesIdsAndNamesInOrder() {
        assertThat(ToolCallRef.parse(calls(call("call_a", "calc__add"), call("call_b", "time__now"))))
                .containsExactly(new ToolCallRef("call_a", "calc__add"), new ToolCallRef("call_b", "time__now"));
    }

    @Test
    void nullBlankOrDamagedJsonGivesNoCalls() {
        assertThat(ToolCallRef.parse(null)).isEmpty();
        assertThat(ToolCallRef.parse("")).isEmpty();
        assertThat(ToolCallRef.parse("   ")).isEmpty();
        assertThat(ToolCallRef.parse("[{\"id\":")).isEmpty();
        assertThat(ToolCallRef.parse("{\"id\":\"call_a\"}")).isEmpty();
        assertThat(ToolCallRef.parse("null")).isEmpty();
        assertThat(ToolCallRef.parse("[]")).isEmpty();
    }

    @Test
    void callsWithoutIdAreSkipped() {
        assertThat(ToolCallRef.parse(calls("{'type':'function','function':{'name':'x'}}", "{'id':''}",
                call("call_ok", "y")))).containsExactly(new ToolCallRef("call_ok", "y"));
    }

    @Test
    void missingNameIsNull() {
        assertThat(ToolCallRef.parse(calls("{'id':'call_a'}"))).containsExactly(new ToolCallRef("call_a", null));
    }

    @Test
    void parseResultIsMutableFreshList() {
        List<ToolCallRef> refs = ToolCallRef.parse(null);
        refs.add(new ToolCallRef("x", "y"));
        assertThat(ToolCallRef.parse(null)).isEmpty();
    }

    @Test
    void unansweredListsCallsWithoutResultsInPositionOrder() {
        List<MessageRow> turn = List.of(
                row("user", null, null),
                row("assistant", calls(call("a1", "f"), call("a2", "g")), null),
                row("tool", null, "a2"),
                row("assistant", calls(call("b1", "h")), null),
                row("tool", null, "b1"),
                row("assistant", calls(call("c1", "k")), null));

        assertThat(ToolCallRef.unanswered(turn))
                .containsExactly(new ToolCallRef("a1", "f"), new ToolCallRef("c1", "k"));
    }

    @Test
    void resultBeforeCallStillCountsAsAnswered() {
        List<MessageRow> turn = List.of(row("tool", null, "a1"), row("assistant", calls(call("a1", "f")), null));

        assertThat(ToolCallRef.unanswered(turn)).isEmpty();
    }

    @Test
    void duplicateCallIdIsReportedOnce() {
        List<MessageRow> turn = List.of(row("assistant", calls(call("a1", "f")), null),
                row("assistant", calls(call("a1", "f")), null));

        assertThat(ToolCallRef.unanswered(turn)).containsExactly(new ToolCallRef("a1", "f"));
    }

    @Test
    void assistantWithoutToolCallsContributesNothing() {
        List<MessageRow> turn = List.of(row("assistant", null, null), row("assistant", "[]", null),
                row("assistant", "null", null));

        assertThat(ToolCallRef.unanswered(turn)).isEmpty();
    }

    @Test
    void everythingAnsweredGivesEmpty() {
        List<MessageRow> turn = List.of(row("assistant", calls(call("a1", "f"), call("a2", "g")), null),
                row("tool", null, "a1"), row("tool", null, "a2"));

        assertThat(ToolCallRef.unanswered(turn)).isEmpty();
    }
}
