package dev.orchat.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.conversation.ToolCall;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HopAccumulatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HopAccumulator hop = new HopAccumulator(MAPPER);

    /** Parses JSON written with single quotes, which keeps the fixtures readable. */
    private static JsonNode json(String singleQuoted) {
        try {
            return MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    private static JsonNode delta(String deltaJson) {
        return json("{'choices':[{'index':0,'delta':" + deltaJson + "}]}");
    }

    private boolean accept(String chunkJson) {
        return hop.accept(json(chunkJson));
    }

    private boolean acceptDelta(String deltaJson) {
        return hop.accept(delta(deltaJson));
    }

    // ---- content -------------------------------------------------------------------------

    @Test
    void freshAccumulatorIsEmpty() {
        assertThat(hop.text()).isNull();
        assertThat(hop.reasoningText()).isNull();
        assertThat(hop.reasoningDetails()).isNull();
        assertThat(hop.reasoningSegments()).isNull();
        assertThat(hop.finalToolCalls()).isEmpty();
        assertThat(hop.hasToolCallDeltas()).isFalse();
        assertThat(hop.sawFinishReason()).isFalse();
        assertThat(hop.receivedAnything()).isFalse();
        assertThat(hop.cost()).isNull();
    }

    @Test
    void textIsConcatenatedAcrossChunks() {
        assertThat(acceptDelta("{'role':'assistant','content':''}")).isFalse();
        assertThat(hop.text()).isNull();
        assertThat(acceptDelta("{'content':'Hel'}")).isTrue();
        assertThat(acceptDelta("{'content':'lo, '}")).isTrue();
        assertThat(acceptDelta("{'content':'world'}")).isTrue();
        assertThat(hop.text()).isEqualTo("Hello, world");
        assertThat(hop.receivedAnything()).isTrue();
    }

    @Test
    void choiceWithoutIndexCountsAsPrimary() {
        assertThat(accept("{'choices':[{'delta':{'content':'a'}}]}")).isTrue();
        assertThat(accept("{'choices':[{'index':null,'delta':{'content':'b'}}]}")).isTrue();
        assertThat(hop.text()).isEqualTo("ab");
    }

    @Test
    void nonPrimaryChoicesAreIgnored() {
        assertThat(accept("{'choices':[{'index':1,'delta':{'content':'other','tool_calls':"
                + "[{'index':0,'id':'x','function':{'name':'f'}}]},'finish_reason':'length'}]}")).isFalse();
        assertThat(accept("{'choices':[{'index':1,'delta':{'content':'B'}},{'index':0,'delta':{'content':'A'}}]}"))
                .isTrue();
        assertThat(hop.text()).isEqualTo("A");
        assertThat(hop.finalToolCalls()).isEmpty();
        assertThat(hop.hasToolCallDeltas()).isFalse();
        assertThat(hop.finishReason()).isNull();
    }

    // ---- reasoning -----------------------------------------------------------------------

    @Test
    void reasoningStringsAreAppendedVerbatim() {
        assertThat(acceptDelta("{'reasoning':'  Let me'}")).isTrue();
        assertThat(acceptDelta("{'reasoning':' think'}")).isTrue();
        assertThat(acceptDelta("{'reasoning':' think'}")).isTrue();
        assertThat(acceptDelta("{'reasoning':'\\n'}")).isTrue();
        assertThat(acceptDelta("{'reasoning':null}")).isFalse();
        assertThat(hop.reasoningText()).isEqualTo("  Let me think think\n");
        assertThat(hop.text()).isNull();
        assertThat(hop.receivedAnything()).isTrue();
    }

    @Test
    void reasoningObjectIsFlattenedInDocumentOrder() {
        assertThat(acceptDelta("{'reasoning':{'text':'a','signature':'sig','summary':[{'text':'b'},'c'],"
                + "'other':'skip','content':{'nested':{'reasoning':'d'}},'n':5}}")).isTrue();
        assertThat(acceptDelta("{'reasoning':[{'text':'e'}]}")).isTrue();
        assertThat(acceptDelta("{'reasoning':{'signature':'only'}}")).isFalse();
        assertThat(hop.reasoningText()).isEqualTo("abcde");
    }

    @Test
    void reasoningDetailsMergeByIndex() {
        assertThat(acceptDelta("{'reasoning_details':[{'type':'reasoning.text','index':0,'text':'Step ',"
                + "'format':'anthropic-claude-v1'}]}")).isTrue();
        acceptDelta("{'reasoning_details':[{'type':'reasoning.text','index':0,'text':'one.','signature':''}]}");
        acceptDelta("{'reasoning_details':[{'type':'reasoning.encrypted','index':1,'data':'AAA'}]}");
        acceptDelta("{'reasoning_details':[{'index':1,'data':'BBB','id':'r1'},"
                + "{'type':'reasoning.text','index':0,'signature':'sig-1','extra':1}]}");
        acceptDelta("{'reasoning_details':[{'index':0,'type':'','signature':null,'extra':2}]}");

        assertThat(hop.reasoningDetails()).isEqualTo(json("[{'type':'reasoning.text','index':0,'text':'Step one.',"
                + "'format':'anthropic-claude-v1','signature':'sig-1','extra':2},"
                + "{'type':'reasoning.encrypted','index':1,'data':'AAABBB','id':'r1'}]"));
        assertThat(hop.reasoningSegments()).isEqualTo(json("[{'type':'reasoning.text','text':'Step one.'}]"));
        assertThat(hop.reasoningText()).isNull();
    }

    @Test
    void reasoningDetailsWithoutIndexJoinLastEntryOfSameType() {
        acceptDelta("{'reasoning_details':[{'type':'reasoning.summary','summary':'First '}]}");
        acceptDelta("{'reasoning_details':[{'type':'reasoning.summary','summary':'part.'}]}");
        acceptDelta("{'reasoning_details':[{'type':'reasoning.text','text':'Detail'}]}");
        acceptDelta("{'reasoning_details':[{'type':'reasoning.summary','summary':' More.'}]}");
        acceptDelta("{'reasoning_details':[{'type':'reasoning.text','text':'!'}]}");

        assertThat(hop.reasoningDetails()).isEqualTo(json("[{'type':'reasoning.summary','summary':'First part. More.'},"
                + "{'type':'reasoning.text','text':'Detail!'}]"));
        assertThat(hop.reasoningSegments()).isEqualTo(json("[{'type':'reasoning.summary','text':'First part. More.'},"
                + "{'type':'reasoning.text','text':'Detail!'}]"));
    }

    @Test
    void detailWithUnseenIndexIsAppendedEvenIfTypeMatches() {
        acceptDelta("{'reasoning_details':[{'type':'reasoning.text','index':0,'text':'a'}]}");
        acceptDelta("{'reasoning_details':[{'type':'reasoning.text','index':1,'text':'b'}]}");
        assertThat(hop.reasoningDetails()).hasSize(2);
    }

    @Test
    void reasoningDetailsAccessorReturnsACopy() {
        acceptDelta("{'reasoning_details':[{'type':'reasoning.text','index':0,'text':'a'}]}");
        ArrayNode copy = hop.reasoningDetails();
        ((ObjectNode) copy.get(0)).put("text", "mutated");
        acceptDelta("{'reasoning_details':[{'index':0,'text':'b'}]}");
        assertThat(hop.reasoningDetails().get(0).get("text").asText()).isEqualTo("ab");
    }

    @Test
    void segmentsFallBackToReasoningTextWhenDetailsHaveNoReadableText() {
        acceptDelta("{'reasoning':'plain thoughts','reasoning_details':[{'type':'reasoning.encrypted','data':'xyz'}]}");
        assertThat(hop.reasoningSegments()).isEqualTo(json("[{'type':'reasoning','text':'plain thoughts'}]"));
    }

    @Test
    void segmentsAreNullWhenDetailsAreUnreadableAndThereIsNoReasoningText() {
        acceptDelta("{'reasoning_details':[{'type':'reasoning.encrypted','data':'xyz'}]}");
        assertThat(hop.reasoningDetails()).hasSize(1);
        assertThat(hop.reasoningSegments()).isNull();
    }

    // ---- tool calls ----------------------------------------------------------------------

    @Test
    void toolCallSplitAcrossManyChunks() {
        assertThat(acceptDelta("{'tool_calls':[{'index':0,'id':'call_abc','type':'function',"
                + "'function':{'name':'get_weather','arguments':''}}]}")).isTrue();
        for (String piece : List.of("{\\\"ci", "ty\\\": \\\"Par", "is\\\"", "}")) {
            assertThat(acceptDelta("{'tool_calls':[{'index':0,'function':{'arguments':'" + piece + "'}}]}"))
                    .isTrue();
        }
        accept("{'choices':[{'index':0,'delta':{},'finish_reason':'tool_calls'}]}");

        assertThat(hop.hasToolCallDeltas()).isTrue();
        assertThat(hop.finalToolCalls())
                .containsExactly(new ToolCall("call_abc", "function", "get_weather", "{\"city\": \"Paris\"}"));
        assertThat(hop.finishReason()).isEqualTo("tool_calls");
        assertThat(hop.receivedAnything()).isFalse();
    }

    @Test
    void parallelToolCallsInterleaved() {
        acceptDelta("{'tool_calls':[{'index':0,'id':'a','function':{'name':'search','arguments':'{\\\"q\\\":'}}]}");
        acceptDelta("{'tool_calls':[{'index':1,'id':'b','function':{'name':'fetch','arguments':'{\\\"url\\\":'}}]}");
        acceptDelta("{'tool_calls':[{'index':0,'function':{'arguments':'\\\"x\\\"}'}},"
                + "{'index':1,'function':{'arguments':'\\\"u\\\"}'}}]}");

        assertThat(hop.finalToolCalls()).containsExactly(
                new ToolCall("a", "function", "search", "{\"q\":\"x\"}"),
                new ToolCall("b", "function", "fetch", "{\"url\":\"u\"}"));
    }

    @Test
    void deltaAddressingLaterIndexCreatesBlankSlotsThatAreDroppedIfNameless() {
        acceptDelta("{'tool_calls':[{'index':2,'id':'c2','function':{'name':'late','arguments':'{}'}}]}");
        assertThat(hop.finalToolCalls()).containsExactly(new ToolCall("c2", "function", "late", "{}"));

        acceptDelta("{'tool_calls':[{'index':0,'id':'c0','function':{'name':'early'}}]}");
        assertThat(hop.finalToolCalls()).extracting(ToolCall::name).containsExactly("early", "late");
    }

    @Test
    void idBasedTargetingWithoutIndex() {
        acceptDelta("{'tool_calls':[{'id':'one','function':{'name':'f','arguments':'{\\\"a\\\":'}}]}");
        acceptDelta("{'tool_calls':[{'id':'two','function':{'name':'g','arguments':'{\\\"b\\\":'}}]}");
        acceptDelta("{'tool_calls':[{'id':'one','function':{'arguments':'1}'}}]}");
        acceptDelta("{'tool_calls':[{'id':'two','function':{'arguments':'2}'}}]}");

        assertThat(hop.finalToolCalls()).containsExactly(
                new ToolCall("one", "function", "f", "{\"a\":1}"),
                new ToolCall("two", "function", "g", "{\"b\":2}"));
    }

    @Test
    void deltaWithNeitherIndexNorIdStartsNewSlot() {
        acceptDelta("{'tool_calls':[{'id':'x','function':{'name':'f'}}]}");
        acceptDelta("{'tool_calls':[{'function':{'name':'g'}}]}");
        assertThat(hop.finalToolCalls()).extracting(ToolCall::name).containsExactly("f", "g");
    }

    @Test
    void zeroArgumentCallGetsEmptyObject() {
        acceptDelta("{'tool_calls':[{'index':0,'id':'z','function':{'name':'now'}}]}");
        acceptDelta("{'tool_calls':[{'index':1,'id':'w','function':{'name':'now','arguments':'  '}}]}");
        assertThat(hop.finalToolCalls()).extracting(ToolCall::arguments).containsExactly("{}", "{}");
    }

    @Test
    void missingIdIsGeneratedOnceAndKept() {
        acceptDelta("{'tool_calls':[{'index':0,'function':{'name':'f','arguments':'{}'}}]}");
        acceptDelta("{'tool_calls':[{'index':1,'id':'  ','function':{'name':'g'}}]}");
        List<ToolCall> calls = hop.finalToolCalls();
        assertThat(calls).hasSize(2);
        assertThat(calls).allSatisfy(c -> assertThat(c.id()).matches("call_[A-Za-z0-9]{24}"));
        assertThat(calls.get(0).id()).isNotEqualTo(calls.get(1).id());
        assertThat(hop.finalToolCalls()).isEqualTo(calls);
    }

    @Test
    void latestNonEmptyNameAndTypeWin() {
        acceptDelta("{'tool_calls':[{'index':0,'id':'i','type':'function','function':{'name':'first'}}]}");
        acceptDelta("{'tool_calls':[{'index':0,'id':'','type':'','function':{'name':''}}]}");
        acceptDelta("{'tool_calls':[{'index':0,'type':'custom','function':{'name':'second'}}]}");
        assertThat(hop.finalToolCalls()).containsExactly(new ToolCall("i", "custom", "second", "{}"));
    }

    @Test
    void toolCallToJsonUsesChatCompletionsShape() {
        ToolCall call = new ToolCall("call_1", "function", "f", "{\"a\":1}");
        assertThat(call.toJson(MAPPER))
                .isEqualTo(json("{'id':'call_1','type':'function','function':{'name':'f','arguments':'{\\\"a\\\":1}'}}"));
    }

    // ---- metadata ------------------------------------------------------------------------

    @Test
    void metadataIsLatestWins() {
        accept("{'id':'gen-1','model':'m/a','provider':'P1','meta':{'k':1},'choices':[]}");
        accept("{'id':'','model':'m/b','provider':'P2','usage':{'prompt_tokens':3,'cost':0.5}}");
        accept("{'id':'gen-2','meta':{'k':2},'usage':{'prompt_tokens':4,'completion_tokens':9,'cost':0.25}}");

        assertThat(hop.generationId()).isEqualTo("gen-2");
        assertThat(hop.model()).isEqualTo("m/b");
        assertThat(hop.provider()).isEqualTo("P2");
        assertThat(hop.meta()).isEqualTo(json("{'k':2}"));
        assertThat(hop.usage()).isEqualTo(json("{'prompt_tokens':4,'completion_tokens':9,'cost':0.25}"));
        assertThat(hop.cost()).isEqualTo(0.25);
    }

    @Test
    void costIsNullWhenNotANumber() {
        accept("{'usage':{'cost':'0.5'}}");
        assertThat(hop.cost()).isNull();
        accept("{'usage':{'cost':2}}");
        assertThat(hop.cost()).isEqualTo(2.0);
        accept("{'usage':{}}");
        assertThat(hop.cost()).isNull();
    }

    @Test
    void finishReasonsAreLatestNonEmpty() {
        accept("{'choices':[{'index':0,'delta':{'content':'x'},'finish_reason':null}]}");
        assertThat(hop.sawFinishReason()).isFalse();
        accept("{'choices':[{'index':0,'delta':{},'finish_reason':'stop','native_finish_reason':'end_turn'}]}");
        accept("{'choices':[{'index':0,'delta':{},'finish_reason':'','native_finish_reason':null}]}");
        assertThat(hop.finishReason()).isEqualTo("stop");
        assertThat(hop.nativeFinishReason()).isEqualTo("end_turn");
        assertThat(hop.sawFinishReason()).isTrue();
        accept("{'choices':[{'index':0,'finish_reason':'length'}]}");
        assertThat(hop.finishReason()).isEqualTo("length");
    }

    // ---- junk tolerance ------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "null", "42", "'str'", "[]", "[{'choices':[]}]", "{}",
        "{'choices':'nope'}", "{'choices':{'index':0}}", "{'choices':[null, 1, 'x', []]}",
        "{'choices':[{'index':0,'delta':null}]}", "{'choices':[{'index':0,'delta':'text'}]}",
        "{'choices':[{'index':'0','delta':{'content':'bad'}}]}",
        "{'choices':[{'index':0.5,'delta':{'content':'bad'}}]}",
        "{'choices':[{'index':0,'delta':{'content':5,'reasoning':true,'reasoning_details':{'text':'x'}}}]}",
        "{'choices':[{'index':0,'delta':{'reasoning_details':[null,3,'s',[]]}}]}",
        "{'choices':[{'index':0,'delta':{'reasoning_details':[{'index':'0','text':5,'summary':{'a':1}}]}}]}",
        "{'choices':[{'index':0,'delta':{'tool_calls':{'index':0}}}]}",
        "{'choices':[{'index':0,'delta':{'tool_calls':[null,7,'t']}}]}",
        "{'choices':[{'index':0,'delta':{'tool_calls':[{'index':'1','id':3,'type':[],'function':'f'}]}}]}",
        "{'choices':[{'index':0,'delta':{'tool_calls':[{'index':-1,'function':{'name':7,'arguments':12}}]}}]}",
        "{'choices':[{'index':0,'delta':{'tool_calls':[{'index':2147483647,'function':{'name':'f'}}]}}]}",
        "{'choices':[{'index':0,'delta':{'tool_calls':[{'index':1e30,'function':{'name':'f'}}]}}]}",
        "{'choices':[{'index':0,'finish_reason':7,'native_finish_reason':{}}]}",
        "{'id':5,'model':[],'provider':{},'meta':'m','usage':'u'}",
    })
    void junkChunksNeverThrow(String junk) {
        JsonNode chunk = json(junk);
        assertThatCode(() -> hop.accept(chunk)).doesNotThrowAnyException();
        assertThatCode(() -> {
            hop.text();
            hop.reasoningText();
            hop.reasoningDetails();
            hop.reasoningSegments();
            hop.finalToolCalls();
            hop.cost();
        }).doesNotThrowAnyException();
        assertThat(hop.text()).isNull();
        assertThat(hop.generationId()).isNull();
        assertThat(hop.model()).isNull();
        assertThat(hop.usage()).isNull();
        assertThat(hop.finishReason()).isNull();
    }

    @Test
    void junkToolCallIndexFallsBackToIdOrNewSlot() {
        acceptDelta("{'tool_calls':[{'index':0,'id':'a','function':{'name':'f'}}]}");
        acceptDelta("{'tool_calls':[{'index':'0','id':'a','function':{'arguments':'{}'}}]}");
        acceptDelta("{'tool_calls':[{'index':-3,'function':{'name':'g','arguments':5}}]}");
        assertThat(hop.finalToolCalls()).containsExactly(
                new ToolCall("a", "function", "f", "{}"),
                new ToolCall(hop.finalToolCalls().get(1).id(), "function", "g", "{}"));
    }

    @Test
    void nullChunkIsIgnored() {
        assertThat(hop.accept(null)).isFalse();
    }
}
