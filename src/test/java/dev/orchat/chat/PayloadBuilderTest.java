package dev.orchat.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchat.chat.PayloadBuilder.ToolMode;
import dev.orchat.openrouter.Flavor;
import dev.orchat.settings.SettingsSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/api.md §2.2: the upstream payload of one hop. */
class PayloadBuilderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PayloadBuilder openrouter = new PayloadBuilder(MAPPER, Flavor.OPENROUTER, "");
    private final PayloadBuilder generic = new PayloadBuilder(MAPPER, Flavor.GENERIC, "");

    private static ObjectNode obj(String singleQuoted) {
        try {
            return (ObjectNode) MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    private static ArrayNode messages() {
        ArrayNode messages = MAPPER.createArrayNode();
        messages.addObject().put("role", "user").put("content", "hi");
        return messages;
    }

    private static SettingsSnapshot settings(ObjectNode provider, ObjectNode parameters) {
        return new SettingsSnapshot("stored/model", provider, parameters, "prompt");
    }

    private static final SettingsSnapshot NO_SETTINGS = settings(null, null);

    private static final List<ObjectNode> TOOLS = List.of(
            obj("{'type':'function','function':{'name':'calc__add','parameters':{'type':'object'}}}"),
            obj("{'type':'function','function':{'name':'time__now','parameters':{'type':'object'}}}"));

    private ObjectNode build(PayloadBuilder builder, ObjectNode forwarded, SettingsSnapshot settings,
                             List<ObjectNode> tools, ToolMode mode) {
        return builder.build(forwarded, "openai/gpt-4o-mini", messages(), settings, tools, mode, false);
    }

    // ---- common keys ----------------------------------------------------------------------

    @Test
    void setsModelMessagesAndStreamTrue() {
        ObjectNode payload = build(openrouter, obj("{'model':'ignored','stream':false,'temperature':0.3}"),
                NO_SETTINGS, List.of(), ToolMode.OFFER);

        assertThat(payload.get("model").asText()).isEqualTo("openai/gpt-4o-mini");
        assertThat(payload.get("messages")).isEqualTo(messages());
        assertThat(payload.get("stream").asBoolean()).isTrue();
        assertThat(payload.get("stream").isBoolean()).isTrue();
        assertThat(payload.get("temperature").asDouble()).isEqualTo(0.3);
    }

    @Test
    void doesNotMutateTheForwardedKeys() {
        ObjectNode forwarded = obj("{'usage':{'foo':1},'provider':{'order':['A']},'temperature':1}");
        ObjectNode before = forwarded.deepCopy();

        build(openrouter, forwarded, settings(obj("{'sort':'price'}"), obj("{'top_p':0.5}")), TOOLS, ToolMode.OFFER);

        assertThat(forwarded).isEqualTo(before);
    }

    @Test
    void isPureSameInputsSamePayload() {
        SettingsSnapshot s = settings(obj("{'sort':'price'}"), obj("{'top_p':0.5}"));
        ObjectNode forwarded = obj("{'temperature':1}");

        assertThat(build(openrouter, forwarded, s, TOOLS, ToolMode.OFFER))
                .isEqualTo(build(openrouter, forwarded, s, TOOLS, ToolMode.OFFER));
    }

    @Test
    void forwardedUnknownKeysPassThroughVerbatim() {
        ObjectNode payload = build(openrouter,
                obj("{'plugins':[{'id':'web'}],'web_search_options':{'search_context_size':'high'}}"),
                NO_SETTINGS, List.of(), ToolMode.OFFER);

        assertThat(payload.get("plugins")).isEqualTo(obj("{'a':[{'id':'web'}]}").get("a"));
        assertThat(payload.get("web_search_options")).isEqualTo(obj("{'search_context_size':'high'}"));
    }

    // ---- stored parameters -----------------------------------------------------------------

    @Test
    void storedParametersAreAddedOnlyWhenAbsent() {
        ObjectNode payload = build(openrouter, obj("{'temperature':0.9}"),
                settings(null, obj("{'temperature':0.1,'top_p':0.7,'max_tokens':100}")), List.of(), ToolMode.OFFER);

        assertThat(payload.get("temperature").asDouble()).isEqualTo(0.9);
        assertThat(payload.get("top_p").asDouble()).isEqualTo(0.7);
        assertThat(payload.get("max_tokens").asInt()).isEqualTo(100);
    }

    @Test
    void storedNullParametersAreNotAdded() {
        ObjectNode payload = build(generic, obj("{}"), settings(null, obj("{'seed':null}")), List.of(), ToolMode.OFFER);

        assertThat(payload.has("seed")).isFalse();
    }

    @Test
    void storedParametersCannotOverrideModelMessagesOrStream() {
        ObjectNode payload = build(openrouter, obj("{}"),
                settings(null, obj("{'model':'x/y','stream':false,'messages':[]}")), List.of(), ToolMode.OFFER);

        assertThat(payload.get("model").asText()).isEqualTo("openai/gpt-4o-mini");
        assertThat(payload.get("stream").asBoolean()).isTrue();
        assertThat(payload.get("messages")).hasSize(1);
    }

    // ---- tools -----------------------------------------------------------------------------

    @Test
    void offeredToolsDefaultToAuto() {
        ObjectNode payload = build(openrouter, obj("{}"), NO_SETTINGS, TOOLS, ToolMode.OFFER);

        assertThat(payload.get("tools")).hasSize(2);
        assertThat(payload.get("tools").get(0)).isEqualTo(TOOLS.get(0));
        assertThat(payload.get("tools").get(1)).isEqualTo(TOOLS.get(1));
        assertThat(payload.get("tool_choice").asText()).isEqualTo("auto");
    }

    @Test
    void requestToolsKeyIsReplacedByTheRegistryList() {
        ObjectNode payload = build(openrouter, obj("{'tools':[{'type':'function','function':{'name':'evil'}}]}"),
                NO_SETTINGS, TOOLS, ToolMode.OFFER);

        assertThat(payload.get("tools")).hasSize(2);
        assertThat(payload.get("tools").toString()).doesNotContain("evil");
    }

    @Test
    void requestToolChoiceNoneDisablesTools() {
        ObjectNode payload = build(openrouter, obj("{'tool_choice':'none'}"), NO_SETTINGS, TOOLS, ToolMode.OFFER);

        assertThat(payload.has("tools")).isFalse();
        assertThat(payload.has("tool_choice")).isFalse();
    }

    @Test
    void storedToolChoiceNoneDisablesTools() {
        ObjectNode payload = build(openrouter, obj("{}"), settings(null, obj("{'tool_choice':'none'}")), TOOLS,
                ToolMode.OFFER);

        assertThat(payload.has("tools")).isFalse();
        assertThat(payload.has("tool_choice")).isFalse();
    }

    @Test
    void requestToolChoiceWinsOverStoredNone() {
        ObjectNode payload = build(openrouter, obj("{'tool_choice':'required'}"),
                settings(null, obj("{'tool_choice':'none'}")), TOOLS, ToolMode.OFFER);

        assertThat(payload.get("tools")).hasSize(2);
        assertThat(payload.get("tool_choice").asText()).isEqualTo("required");
    }

    @Test
    void objectToolChoiceIsForwarded() {
        ObjectNode choice = obj("{'type':'function','function':{'name':'calc__add'}}");
        ObjectNode forwarded = MAPPER.createObjectNode();
        forwarded.set("tool_choice", choice);

        ObjectNode payload = build(openrouter, forwarded, NO_SETTINGS, TOOLS, ToolMode.OFFER);

        assertThat(payload.get("tool_choice")).isEqualTo(choice);
        assertThat(payload.get("tools")).hasSize(2);
    }

    @Test
    void storedToolChoiceIsUsedWhenRequestHasNone() {
        ObjectNode payload = build(openrouter, obj("{}"), settings(null, obj("{'tool_choice':'required'}")), TOOLS,
                ToolMode.OFFER);

        assertThat(payload.get("tool_choice").asText()).isEqualTo("required");
    }

    @Test
    void emptyRegistryRemovesToolsAndChoice() {
        ObjectNode payload = build(openrouter, obj("{'tool_choice':'auto','tools':[]}"), NO_SETTINGS, List.of(),
                ToolMode.OFFER);

        assertThat(payload.has("tools")).isFalse();
        assertThat(payload.has("tool_choice")).isFalse();
    }

    @Test
    void disabledModeRemovesToolsAndChoice() {
        ObjectNode payload = build(openrouter, obj("{'tool_choice':'required'}"), NO_SETTINGS, TOOLS,
                ToolMode.DISABLED);

        assertThat(payload.has("tools")).isFalse();
        assertThat(payload.has("tool_choice")).isFalse();
    }

    @Test
    void finalAnswerModeKeepsToolsButForcesNone() {
        ObjectNode payload = build(openrouter, obj("{'tool_choice':'required'}"), NO_SETTINGS, TOOLS,
                ToolMode.FINAL_ANSWER);

        assertThat(payload.get("tools")).hasSize(2);
        assertThat(payload.get("tool_choice").asText()).isEqualTo("none");
    }

    @Test
    void finalAnswerModeWithoutToolsSendsNeither() {
        ObjectNode payload = build(openrouter, obj("{}"), NO_SETTINGS, List.of(), ToolMode.FINAL_ANSWER);

        assertThat(payload.has("tools")).isFalse();
        assertThat(payload.has("tool_choice")).isFalse();
    }

    @Test
    void choiceAllowsFallbackOnlyForAbsentOrAuto() {
        assertThat(PayloadBuilder.choiceAllowsFallback(null)).isTrue();
        assertThat(PayloadBuilder.choiceAllowsFallback(MAPPER.nullNode())).isTrue();
        assertThat(PayloadBuilder.choiceAllowsFallback(MAPPER.getNodeFactory().textNode("auto"))).isTrue();
        assertThat(PayloadBuilder.choiceAllowsFallback(MAPPER.getNodeFactory().textNode("required"))).isFalse();
        assertThat(PayloadBuilder.choiceAllowsFallback(MAPPER.getNodeFactory().textNode("none"))).isFalse();
        assertThat(PayloadBuilder.choiceAllowsFallback(obj("{'type':'function','function':{'name':'x'}}")))
                .isFalse();
    }

    // ---- flavor openrouter -------------------------------------------------------------------

    @Test
    void openrouterForcesUsageIncludeWhenAbsent() {
        ObjectNode payload = build(openrouter, obj("{}"), NO_SETTINGS, List.of(), ToolMode.OFFER);

        assertThat(payload.get("usage")).isEqualTo(obj("{'include':true}"));
        assertThat(payload.has("stream_options")).isFalse();
    }

    @Test
    void openrouterKeepsRequestUsageKeysAndForcesInclude() {
        ObjectNode payload = build(openrouter, obj("{'usage':{'include':false,'extra':'x'}}"), NO_SETTINGS,
                List.of(), ToolMode.OFFER);

        assertThat(payload.get("usage")).isEqualTo(obj("{'include':true,'extra':'x'}"));
    }

    @Test
    void openrouterMergesProviderWithRequestKeysWinning() {
        ObjectNode payload = build(openrouter,
                obj("{'provider':{'sort':'throughput','only':['OpenAI']}}"),
                settings(obj("{'sort':'price','allow_fallbacks':false}"), null), List.of(), ToolMode.OFFER);

        assertThat(payload.get("provider"))
                .isEqualTo(obj("{'sort':'throughput','allow_fallbacks':false,'only':['OpenAI']}"));
    }

    @Test
    void openrouterUsesStoredProviderAlone() {
        ObjectNode payload = build(openrouter, obj("{}"), settings(obj("{'sort':'price'}"), null), List.of(),
                ToolMode.OFFER);

        assertThat(payload.get("provider")).isEqualTo(obj("{'sort':'price'}"));
    }

    @Test
    void openrouterOmitsProviderWhenNothingIsSet() {
        ObjectNode payload = build(openrouter, obj("{}"), settings(obj("{}"), null), List.of(), ToolMode.OFFER);

        assertThat(payload.has("provider")).isFalse();
    }

    @Test
    void openrouterDoesNotMutateStoredProvider() {
        ObjectNode stored = obj("{'sort':'price'}");
        build(openrouter, obj("{'provider':{'sort':'latency'}}"), settings(stored, null), List.of(), ToolMode.OFFER);

        assertThat(stored).isEqualTo(obj("{'sort':'price'}"));
    }

    @Test
    void openrouterDoesNotAddStreamOptions() {
        ObjectNode payload = build(openrouter, obj("{}"), NO_SETTINGS, List.of(), ToolMode.OFFER);

        assertThat(payload.has("stream_options")).isFalse();
    }

    // ---- flavor generic ----------------------------------------------------------------------

    @Test
    void genericAddsStreamOptionsIncludeUsage() {
        ObjectNode payload = build(generic, obj("{}"), NO_SETTINGS, List.of(), ToolMode.OFFER);

        assertThat(payload.get("stream_options")).isEqualTo(obj("{'include_usage':true}"));
        assertThat(payload.has("usage")).isFalse();
    }

    @Test
    void genericKeepsRequestStreamOptions() {
        ObjectNode payload = build(generic, obj("{'stream_options':{'include_usage':false}}"), NO_SETTINGS,
                List.of(), ToolMode.OFFER);

        assertThat(payload.get("stream_options")).isEqualTo(obj("{'include_usage':false}"));
    }

    @Test
    void genericDropsUsageAndStoredProvider() {
        ObjectNode payload = build(generic, obj("{'usage':{'include':true}}"),
                settings(obj("{'sort':'price'}"), null), List.of(), ToolMode.OFFER);

        assertThat(payload.has("usage")).isFalse();
        assertThat(payload.has("provider")).isFalse();
    }

    @Test
    void genericOffersToolsToo() {
        ObjectNode payload = build(generic, obj("{}"), NO_SETTINGS, TOOLS, ToolMode.OFFER);

        JsonNode tools = payload.get("tools");
        assertThat(tools).hasSize(2);
        assertThat(payload.get("tool_choice").asText()).isEqualTo("auto");
    }
}
