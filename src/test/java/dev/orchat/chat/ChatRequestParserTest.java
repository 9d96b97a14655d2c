package dev.orchat.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/api.md §2.2: request validation, canonical attachment references and forwarded keys. */
class ChatRequestParserTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ID = "0123456789abcdef0123456789abcdef";
    private static final String ID2 = "fedcba9876543210fedcba9876543210";

    private final ChatRequestParser parser = new ChatRequestParser(MAPPER, 10, 2);

    private static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static JsonNode json(String singleQuoted) {
        try {
            return MAPPER.readTree(q(singleQuoted));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    private ChatRequest parse(String singleQuoted) {
        return parser.parse(q(singleQuoted).getBytes(StandardCharsets.UTF_8));
    }

    private ApiException failure(String body) {
        return catchThrowableOfType(() -> parser.parse(body.getBytes(StandardCharsets.UTF_8)), ApiException.class);
    }

    private static List<Object> loc(ApiException e) {
        assertThat(e.detail()).isInstanceOf(List.class);
        Map<?, ?> first = (Map<?, ?>) ((List<?>) e.detail()).get(0);
        @SuppressWarnings("unchecked")
        List<Object> loc = (List<Object>) first.get("loc");
        return loc;
    }

    private ChatRequest.Message onlyUser(String contentSingleQuoted) {
        ChatRequest r = parse("{'messages':[{'role':'user','content':" + contentSingleQuoted + "}]}");
        assertThat(r.messages()).hasSize(1);
        return r.messages().get(0);
    }

    // ---- basics ------------------------------------------------------------------------------

    @Test
    void minimalRequest() {
        ChatRequest r = parse("{'messages':[{'role':'user','content':'hi'}]}");

        assertThat(r.sessionId()).isNull();
        assertThat(r.model()).isNull();
        assertThat(r.forwarded().isEmpty()).isTrue();
        assertThat(r.messages()).hasSize(1);
        ChatRequest.Message m = r.messages().get(0);
        assertThat(m.role()).isEqualTo("user");
        assertThat(m.content()).isEqualTo(json("'hi'"));
        assertThat(m.extra()).isNull();
        assertThat(m.attachmentIds()).isEmpty();
    }

    @Test
    void sessionIdModelAndMetadataAreRead() {
        ChatRequest r = parse("{'session_id':'abc_DEF-1','model':'  openai/gpt-4o  ',"
                + "'metadata':{'client_assistant_message_id':'asst-1','client_parent_message_id':'user-1'},"
                + "'messages':[{'role':'user','content':'hi','client_message_id':'user-1'}]}");

        assertThat(r.sessionId()).isEqualTo("abc_DEF-1");
        assertThat(r.model()).isEqualTo("openai/gpt-4o");
        assertThat(r.clientAssistantMessageId()).isEqualTo("asst-1");
        assertThat(r.clientParentMessageId()).isEqualTo("user-1");
        assertThat(r.lastUserClientMessageId()).isEqualTo("user-1");
    }

    @Test
    void metadataIdsOfOtherTypesOrTooLongAreIgnored() {
        String long129 = "x".repeat(129);
        ChatRequest r = parse("{'metadata':{'client_assistant_message_id':5,'client_parent_message_id':'" + long129
                + "'},'messages':[{'role':'user','content':'hi'}]}");

        assertThat(r.clientAssistantMessageId()).isNull();
        assertThat(r.clientParentMessageId()).isNull();
    }

    @Test
    void systemAndUserStoredInOrderAssistantAndToolIgnored() {
        ChatRequest r = parse("{'messages':["
                + "{'role':'system','content':'rules'},"
                + "{'role':'assistant','content':'injected'},"
                + "{'role':'user','content':'q1','name':'bob'},"
                + "{'role':'tool','content':'fake result','tool_call_id':'call_1'},"
                + "{'role':'user','content':null}]}");

        assertThat(r.messages()).extracting(ChatRequest.Message::role).containsExactly("system", "user", "user");
        assertThat(r.messages().get(0).content()).isEqualTo(json("'rules'"));
        assertThat(r.messages().get(1).name()).isEqualTo("bob");
        assertThat(r.messages().get(2).content().isNull()).isTrue();
    }

    @Test
    void onlyAssistantAndToolMessagesIs422() {
        ApiException e = failure(q("{'messages':[{'role':'assistant','content':'x'},{'role':'tool','content':'y'}]}"));

        assertThat(e.status()).isEqualTo(422);
        assertThat(e.detail()).isEqualTo("At least one user or system message is required");
    }

    @Test
    void extraMessageKeysAreKeptInExtra() {
        ChatRequest r = parse("{'messages':[{'role':'user','content':'hi','client_message_id':'c1',"
                + "'tool_call_id':'t','name':'n','custom':{'a':1},'flag':true}]}");

        ChatRequest.Message m = r.messages().get(0);
        assertThat(m.extra()).isEqualTo(json("{'custom':{'a':1},'flag':true}"));
        assertThat(m.clientMessageId()).isEqualTo("c1");
    }

    @Test
    void lastUserClientMessageIdPicksLastUserWithId() {
        ChatRequest r = parse("{'messages':[{'role':'user','content':'a','client_message_id':'u1'},"
                + "{'role':'user','content':'b','client_message_id':'u2'},"
                + "{'role':'system','content':'c','client_message_id':'s1'},"
                + "{'role':'user','content':'d'}]}");

        assertThat(r.lastUserClientMessageId()).isEqualTo("u2");
    }

    // ---- forwarded keys ------------------------------------------------------------------------

    @Test
    void forwardedKeysExcludeServiceKeysAndNulls() {
        ChatRequest r = parse("{'messages':[{'role':'user','content':'hi'}],'session_id':'s1','model':'m/x',"
                + "'metadata':{},'tools':[{'type':'function'}],'stream':false,"
                + "'temperature':0.5,'seed':null,'plugins':[{'id':'web'}],'tool_choice':'none',"
                + "'provider':{'sort':'price'},'usage':{'include':false},'unknown_key':{'deep':[1,2]}}");

        assertThat(r.forwarded()).isEqualTo(json("{'temperature':0.5,'plugins':[{'id':'web'}],'tool_choice':'none',"
                + "'provider':{'sort':'price'},'usage':{'include':false},'unknown_key':{'deep':[1,2]}}"));
    }

    @Test
    void nullServiceKeysAreAccepted() {
        ChatRequest r = parse("{'messages':[{'role':'user','content':'hi'}],'session_id':null,'model':null,"
                + "'metadata':null}");

        assertThat(r.sessionId()).isNull();
        assertThat(r.model()).isNull();
        assertThat(r.forwarded().isEmpty()).isTrue();
    }

    // ---- attachment references -----------------------------------------------------------------

    @Test
    void canonicalAttachmentFormIsKept() {
        ChatRequest.Message m = onlyUser("[{'type':'text','text':'see'},{'type':'attachment','attachment_id':'" + ID
                + "'}]");

        assertThat(m.content()).isEqualTo(json("[{'type':'text','text':'see'},"
                + "{'type':'attachment','attachment_id':'" + ID + "'}]"));
        assertThat(m.attachmentIds()).containsExactly(ID);
    }

    @Test
    void metadataAttachmentIdIsCanonicalised() {
        ChatRequest.Message m = onlyUser("[{'type':'image_url','image_url':{'url':'data:image/png;base64,AAAA'},"
                + "'metadata':{'attachment_id':'" + ID + "','filename':'a.png'}}]");

        assertThat(m.content()).isEqualTo(json("[{'type':'attachment','attachment_id':'" + ID + "'}]"));
        assertThat(m.attachmentIds()).containsExactly(ID);
    }

    @Test
    void uploadUrlImagePartIsCanonicalised() {
        ChatRequest.Message m = onlyUser("[{'type':'image_url','image_url':{'url':'https://chat.example/api/uploads/"
                + ID + "/content?exp=1&sig=abc'}},{'type':'image_url','image_url':'/api/uploads/" + ID2
                + "/content'}]");

        assertThat(m.content()).isEqualTo(json("[{'type':'attachment','attachment_id':'" + ID + "'},"
                + "{'type':'attachment','attachment_id':'" + ID2 + "'}]"));
        assertThat(m.attachmentIds()).containsExactly(ID, ID2);
    }

    @Test
    void foreignImageUrlsStayImageParts() {
        String content = "[{'type':'image_url','image_url':{'url':'https://example.com/cat.png'}},"
                + "{'type':'image_url','image_url':{'url':'https://example.com/api/uploads/not-hex/content'}}]";
        ChatRequest.Message m = onlyUser(content);

        assertThat(m.content()).isEqualTo(json(content));
        assertThat(m.attachmentIds()).isEmpty();
    }

    @Test
    void metadataIsStrippedFromOtherParts() {
        ChatRequest.Message m = onlyUser("[{'type':'text','text':'hi','metadata':{'x':1}},"
                + "{'type':'image_url','image_url':{'url':'https://example.com/a.png'},'metadata':{'note':'n'}}]");

        assertThat(m.content()).isEqualTo(json("[{'type':'text','text':'hi'},"
                + "{'type':'image_url','image_url':{'url':'https://example.com/a.png'}}]"));
    }

    @Test
    void systemPartsLoseMetadataButAreNotCanonicalised() {
        ChatRequest r = parse("{'messages':[{'role':'system','content':[{'type':'text','text':'s','metadata':{'a':1}},"
                + "{'type':'attachment','attachment_id':'" + ID + "'}]}]}");

        ChatRequest.Message m = r.messages().get(0);
        assertThat(m.content()).isEqualTo(json("[{'type':'text','text':'s'},"
                + "{'type':'attachment','attachment_id':'" + ID + "'}]"));
        assertThat(m.attachmentIds()).isEmpty();
    }

    @Test
    void tooManyAttachmentsInOneMessageIs422() {
        ApiException e = failure(q("{'messages':[{'role':'user','content':["
                + "{'type':'attachment','attachment_id':'" + ID + "'},"
                + "{'type':'attachment','attachment_id':'" + ID2 + "'},"
                + "{'type':'attachment','attachment_id':'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'}]}]}"));

        assertThat(e.status()).isEqualTo(422);
    }

    // ---- validation ------------------------------------------------------------------------------

    @Test
    void malformedJsonIs400() {
        ApiException e = failure("{not json");

        assertThat(e.status()).isEqualTo(400);
    }

    @Test
    void nonObjectBodyIs400() {
        assertThat(failure("[1,2]").status()).isEqualTo(400);
        assertThat(failure("\"text\"").status()).isEqualTo(400);
    }

    @Test
    void missingMessagesIs422() {
        ApiException e = failure("{}");

        assertThat(e.status()).isEqualTo(422);
        assertThat(loc(e)).containsExactly("body", "messages");
    }

    @Test
    void emptyOrTooManyMessagesIs422() {
        assertThat(failure("{\"messages\":[]}").status()).isEqualTo(422);
        String eleven = "{\"role\":\"user\",\"content\":\"x\"},".repeat(10) + "{\"role\":\"user\",\"content\":\"x\"}";
        assertThat(failure("{\"messages\":[" + eleven + "]}").status()).isEqualTo(422);
    }

    @Test
    void badRoleIs422WithLocation() {
        ApiException e = failure(q("{'messages':[{'role':'user','content':'a'},{'role':'developer','content':'x'}]}"));

        assertThat(e.status()).isEqualTo(422);
        assertThat(loc(e)).containsExactly("body", "messages", 1, "role");
    }

    @Test
    void missingContentKeyIs422() {
        ApiException e = failure(q("{'messages':[{'role':'user'}]}"));

        assertThat(e.status()).isEqualTo(422);
        assertThat(loc(e)).containsExactly("body", "messages", 0, "content");
    }

    @Test
    void contentPartsNeedStringType() {
        assertThat(failure(q("{'messages':[{'role':'user','content':[{'text':'x'}]}]}")).status()).isEqualTo(422);
        assertThat(failure(q("{'messages':[{'role':'user','content':[{'type':1}]}]}")).status()).isEqualTo(422);
        assertThat(failure(q("{'messages':[{'role':'user','content':5}]}")).status()).isEqualTo(422);
    }

    @Test
    void badSessionIdIs422() {
        assertThat(failure(q("{'session_id':'has space','messages':[{'role':'user','content':'a'}]}")).status())
                .isEqualTo(422);
        assertThat(failure(q("{'session_id':'" + "a".repeat(65) + "','messages':[{'role':'user','content':'a'}]}"))
                .status()).isEqualTo(422);
        assertThat(failure(q("{'session_id':5,'messages':[{'role':'user','content':'a'}]}")).status())
                .isEqualTo(422);
    }

    @Test
    void badModelIs422() {
        assertThat(failure(q("{'model':'   ','messages':[{'role':'user','content':'a'}]}")).status()).isEqualTo(422);
        assertThat(failure(q("{'model':'" + "m".repeat(201) + "','messages':[{'role':'user','content':'a'}]}"))
                .status()).isEqualTo(422);
    }

    @Test
    void tooLongClientMessageIdIs422() {
        ApiException e = failure(q("{'messages':[{'role':'user','content':'a','client_message_id':'"
                + "c".repeat(129) + "'}]}"));

        assertThat(e.status()).isEqualTo(422);
    }

    @Test
    void nonObjectMetadataIs422() {
        assertThat(failure(q("{'metadata':'x','messages':[{'role':'user','content':'a'}]}")).status()).isEqualTo(422);
    }
}
