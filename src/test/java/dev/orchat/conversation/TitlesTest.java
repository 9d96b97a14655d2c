package dev.orchat.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** docs/configuration.md, chat.titles: automatic session titles in truncate mode. */
class TitlesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String singleQuoted) {
        try {
            return MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    private static JsonNode text(String s) {
        return MAPPER.getNodeFactory().textNode(s);
    }

    @Test
    void shortTextIsTheTitle() {
        assertThat(Titles.fromContent(text("What is the weather?"), null)).isEqualTo("What is the weather?");
    }

    @Test
    void whitespaceIsCollapsedAndTrimmed() {
        assertThat(Titles.fromContent(text("  Hello \n\n  world\t again  "), null)).isEqualTo("Hello world again");
    }

    @Test
    void exactlyEightyCharactersIsNotCut() {
        String eighty = "a".repeat(80);
        assertThat(Titles.fromContent(text(eighty), null)).isEqualTo(eighty);
    }

    @Test
    void longTextIsCutAtWordBoundaryWithEllipsis() {
        String words = "The quick brown fox jumps over the lazy dog and keeps running through the forest until night";
        String title = Titles.fromContent(text(words), null);

        assertThat(title).endsWith("…");
        assertThat(title.codePointCount(0, title.length())).isLessThanOrEqualTo(80);
        String head = title.substring(0, title.length() - 1);
        assertThat(words).startsWith(head);
        assertThat(words.charAt(head.length())).isEqualTo(' ');
        assertThat(head).isEqualTo("The quick brown fox jumps over the lazy dog and keeps running through the");
    }

    @Test
    void longWordWithoutSpacesIsCutHard() {
        String title = Titles.fromContent(text("x".repeat(200)), null);

        assertThat(title).isEqualTo("x".repeat(79) + "…");
        assertThat(title.length()).isEqualTo(80);
    }

    @Test
    void cutNeverExceedsEightyCodePointsWithEmoji() {
        String emoji = "😀".repeat(100);
        String title = Titles.fromContent(text(emoji), null);

        assertThat(title.codePointCount(0, title.length())).isEqualTo(80);
        assertThat(title).endsWith("…");
        assertThat(title).startsWith("😀😀");
        assertThat(Character.isHighSurrogate(title.charAt(title.length() - 2))).isFalse();
    }

    @Test
    void textPartsAreJoinedWithSpaces() {
        JsonNode parts = json("[{'type':'text','text':'first'},{'type':'attachment','attachment_id':'a'},"
                + "{'type':'text','text':'second'}]");

        assertThat(Titles.fromContent(parts, "photo.png")).isEqualTo("first second");
    }

    @Test
    void onlyAttachmentsGiveAttachmentTitle() {
        JsonNode parts = json("[{'type':'attachment','attachment_id':'a'},{'type':'attachment','attachment_id':'b'}]");

        assertThat(Titles.fromContent(parts, "report.pdf")).isEqualTo("Attachment: report.pdf");
    }

    @Test
    void attachmentWithBlankTextGivesAttachmentTitle() {
        JsonNode parts = json("[{'type':'text','text':'   '},{'type':'attachment','attachment_id':'a'}]");

        assertThat(Titles.fromContent(parts, "a.png")).isEqualTo("Attachment: a.png");
    }

    @Test
    void longAttachmentNameIsCut() {
        JsonNode parts = json("[{'type':'attachment','attachment_id':'a'}]");
        String title = Titles.fromContent(parts, "n".repeat(120) + ".pdf");

        assertThat(title).startsWith("Attachment: ");
        assertThat(title).endsWith("…");
        assertThat(title.length()).isLessThanOrEqualTo(80);
    }

    @Test
    void emptyOrMissingContentIsNewChat() {
        assertThat(Titles.fromContent(text(""), null)).isEqualTo("New chat");
        assertThat(Titles.fromContent(text(" \n\t "), null)).isEqualTo("New chat");
        assertThat(Titles.fromContent(null, null)).isEqualTo("New chat");
        assertThat(Titles.fromContent(MAPPER.nullNode(), null)).isEqualTo("New chat");
        assertThat(Titles.fromContent(json("[]"), null)).isEqualTo("New chat");
        assertThat(Titles.fromContent(json("[{'type':'image_url','image_url':{'url':'https://x/y.png'}}]"), null))
                .isEqualTo("New chat");
    }

    @Test
    void modelAnswerLosesQuotesAndExtraWhitespace() {
        assertThat(Titles.fromModel("  \"Lisbon \n  trip\"  ")).isEqualTo("Lisbon trip");
        assertThat(Titles.fromModel("\u201cCurly quotes\u201d")).isEqualTo("Curly quotes");
        assertThat(Titles.fromModel("'Single'")).isEqualTo("Single");
    }

    @Test
    void blankModelAnswerIsNoTitle() {
        assertThat(Titles.fromModel(null)).isNull();
        assertThat(Titles.fromModel("  \n ")).isNull();
        assertThat(Titles.fromModel("\"\"")).isNull();
    }

    @Test
    void longModelAnswerIsCutTo80() {
        String title = Titles.fromModel("word ".repeat(40));
        assertThat(title.codePointCount(0, title.length())).isLessThanOrEqualTo(80);
        assertThat(title).endsWith("…");
    }
}
