package dev.orchat.builtin;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.orchat.OrchatConfiguration;
import dev.orchat.testing.FakeGmail;
import dev.orchat.testing.AuditCapture;
import dev.orchat.testing.FakeGoogle;
import dev.orchat.testing.FakeOpenRouter;
import dev.orchat.testing.GoogleClient;
import dev.orchat.testing.TestApp;
import dev.orchat.testing.ToolTurns;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gmail built-in (docs/operations.md, "MCP servers") through the real chat loop against the fake Gmail API. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class GmailServerTest {
    static final FakeOpenRouter MODEL = FakeOpenRouter.start();
    static final FakeGoogle GOOGLE = FakeGoogle.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(MODEL, DIR, GOOGLE.settings(DIR,
            TestApp.set("google.enableWrite", "true"), TestApp.set("google.gmail.allowSend", "true"),
            TestApp.set("google.retryDelay", "10ms")));
    static final AtomicInteger SESSIONS = new AtomicInteger();
    static volatile ListAppender<ILoggingEvent> AUDIT;
    static volatile boolean connected;

    @AfterAll
    static void stop() {
        MODEL.close();
        GOOGLE.close();
    }

    @BeforeEach
    void connectOnce() throws Exception {
        if (!connected) {
            new GoogleClient(APP.getLocalPort(), GOOGLE).connect(true);
            AUDIT = AuditCapture.start();
            connected = true;
        }
    }

    static ToolTurns.Outcome call(String tool, String args) throws Exception {
        return ToolTurns.call(APP.getLocalPort(), MODEL, "gmail-" + SESSIONS.incrementAndGet(), tool, args);
    }

    static List<String> auditLines() {
        return AUDIT.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void allToolsAreExposedWithWriteAndSendEnabledAndGranted() throws Exception {
        assertThat(GoogleClient.toolNames(new GoogleClient(APP.getLocalPort(), GOOGLE).server("custom-gmail")))
                .containsExactlyInAnyOrder("gmail_auth_status", "search_gmail_messages", "get_gmail_message_content",
                        "get_gmail_thread_content", "read_gmail_attachment_text", "list_gmail_labels",
                        "draft_gmail_message", "send_gmail_message", "modify_gmail_message_labels");
        ToolTurns.Outcome status = call("gmail_auth_status", "{}");
        assertThat(status.text()).contains("Connected Google account: ada@example.com").contains("Access: read and write");
    }

    @Test
    void searchDefaultsToTheInboxPagesAndShowsLocalTimes() throws Exception {
        ToolTurns.Outcome first = call("search_gmail_messages", "{}");
        assertThat(first.isError()).isFalse();
        List<String> lines = first.text().lines().toList();
        assertThat(lines).hasSize(11);
        // Newest first; 14:30Z is 09:30 in New York (the test user's zone).
        assertThat(lines.get(0)).startsWith("2026-11-20 09:30 -05:00 | From: Grace Hopper <grace@example.com> | Subject: Q3 report")
                .contains("message_id: m-report", "thread_id: t-report", "https://mail.google.com/mail/u/0/#all/m-report")
                .contains(" | attachments: notes.txt, q3-report.pdf | ");
        assertThat(lines.get(1)).doesNotContain("attachments:");
        // Hits are read as partial responses without body data (docs/operations.md, "MCP servers": metadata, not full bodies).
        assertThat(GOOGLE.apiCalls()).anyMatch(c -> c.startsWith("GET /gmail/v1/users/me/messages/m-report?")
                && c.contains("fields=id,threadId,snippet") && !c.contains("data"));
        assertThat(lines.get(10)).isEqualTo("next_page_token: page10");
        ToolTurns.Outcome second = call("search_gmail_messages", "{\"page_token\":\"page10\"}");
        assertThat(second.text().lines()).hasSize(2).noneMatch(l -> l.startsWith("next_page_token"));
        assertThat(call("search_gmail_messages", "{\"query\":\"from:grace has:attachment\",\"page_size\":5}").text().lines())
                .hasSize(1);
        assertThat(call("search_gmail_messages", "{\"query\":\"nothing-like-this\"}").text()).startsWith("No messages match");
        assertThat(call("search_gmail_messages", "{\"page_size\":0}").isError()).isTrue();
    }

    @Test
    void messageContentPrefersPlainTextAndListsAttachments() throws Exception {
        ToolTurns.Outcome m = call("get_gmail_message_content", "{\"message_id\":\"m-report\"}");
        assertThat(m.text()).contains("From: Grace Hopper <grace@example.com>", "Subject: Q3 report",
                "Labels: INBOX, UNREAD, IMPORTANT", "Please find the Q3 report attached.")
                .doesNotContain("<b>")
                .contains("- notes.txt (text/plain, 28 bytes) attachment_id: att-notes")
                .contains("- q3-report.pdf (application/pdf,").contains("attachment_id: att-pdf");
        ToolTurns.Outcome html = call("get_gmail_message_content", "{\"message_id\":\"m-reply\"}");
        assertThat(html.text()).contains("Thanks, received & read.").doesNotContain("color:red").doesNotContain("<p>");
        ToolTurns.Outcome cut = call("get_gmail_message_content", "{\"message_id\":\"m-report\",\"max_chars\":10}");
        assertThat(cut.text()).contains("Please fin\n[… truncated");
        ToolTurns.Outcome missing = call("get_gmail_message_content", "{\"message_id\":\"nope\"}");
        assertThat(missing).isEqualTo(new ToolTurns.Outcome(true, "Not found"));
        assertThat(call("get_gmail_message_content", "{}").text()).isEqualTo("Argument 'message_id' is required.");
    }

    @Test
    void threadShowsEveryMessageInOrder() throws Exception {
        ToolTurns.Outcome t = call("get_gmail_thread_content", "{\"thread_id\":\"t-report\"}");
        assertThat(t.text()).startsWith("Subject: Q3 report\nMessages: 2");
        assertThat(t.text().indexOf("From: Grace Hopper")).isLessThan(t.text().indexOf("From: Ada Lovelace"));
        assertThat(t.text()).contains("Thanks, received & read.");
        assertThat(call("get_gmail_thread_content", "{\"thread_id\":\"t-report\",\"max_messages\":1}").text())
                .contains("Messages: 2 (showing the first 1)").doesNotContain("Ada Lovelace");
    }

    @Test
    void attachmentTextPicksThePdfByDefaultAndHonoursFilenameHints() throws Exception {
        ToolTurns.Outcome pdf = call("read_gmail_attachment_text", "{\"message_id\":\"m-report\"}");
        assertThat(pdf.isError()).isFalse();
        assertThat(pdf.text()).startsWith("Attachment: q3-report.pdf\nMIME type: application/pdf")
                .contains("Quarterly revenue grew 12 percent.").contains("Outlook: stable.");
        ToolTurns.Outcome notes = call("read_gmail_attachment_text", "{\"message_id\":\"m-report\",\"filename_contains\":\"NOTES\"}");
        assertThat(notes.text()).startsWith("Attachment: notes.txt").endsWith("Remember the budget meeting.");
        ToolTurns.Outcome byId = call("read_gmail_attachment_text", "{\"message_id\":\"m-report\",\"attachment_id\":\"att-notes\"}");
        assertThat(byId.text()).startsWith("Attachment: notes.txt");
        assertThat(call("read_gmail_attachment_text", "{\"message_id\":\"m-01\"}"))
                .isEqualTo(new ToolTurns.Outcome(true, "The message has no attachments."));
    }

    @Test
    void labelsAreSplitIntoSystemAndUser() throws Exception {
        String text = call("list_gmail_labels", "{}").text();
        assertThat(text).startsWith("System labels:\n- INBOX (id: INBOX)").contains("User labels:\n- Receipts (id: Label_42)");
    }

    @Test
    void draftReplyGetsReAndThreadingHeadersAndIsAuditedWithoutItsBody() throws Exception {
        ToolTurns.Outcome d = call("draft_gmail_message", "{\"subject\":\"Q3 report\",\"body\":\"Secret body 42\","
                + "\"to\":[\"grace@example.com\"],\"thread_id\":\"t-report\",\"in_reply_to\":\"<m-report@mail.example.com>\"}");
        assertThat(d.isError()).as(d.text()).isFalse();
        assertThat(d.text()).startsWith("Draft created. draft_id: r-");
        var draft = GOOGLE.gmail().drafts().get(GOOGLE.gmail().drafts().size() - 1);
        assertThat(draft.path("message").path("threadId").asText()).isEqualTo("t-report");
        String raw = FakeGmail.decodeRaw(draft.path("message").path("raw").asText());
        assertThat(raw).contains("To: grace@example.com\r\n", "Subject: Re: Q3 report\r\n",
                "In-Reply-To: <m-report@mail.example.com>\r\n", "References: <m-report@mail.example.com>\r\n",
                "Content-Type: text/plain; charset=UTF-8\r\n");
        assertThat(auditLines()).anyMatch(l -> l.startsWith("google tool draft_gmail_message session=gmail-")
                && l.endsWith("outcome=ok"));
        assertThat(auditLines()).noneMatch(l -> l.contains("Secret body") || l.contains("grace@example.com"));
    }

    @Test
    void sendAndLabelChangesReachGmailAndTheAuditLog() throws Exception {
        ToolTurns.Outcome s = call("send_gmail_message", "{\"to\":\"bob@example.com, carol@example.com\",\"subject\":\"Grüße\","
                + "\"body\":\"<p>Hi</p>\",\"body_format\":\"html\"}");
        assertThat(s.text()).startsWith("Message sent. message_id: m-sent-");
        // A built-in's send asks first (docs/api.md §3.7); ToolTurns answered allow, as the person would.
        assertThat(ToolTurns.lastApproval()).isNotNull();
        assertThat(ToolTurns.lastApproval().get("server").asText()).isEqualTo("custom-gmail");
        assertThat(ToolTurns.lastApproval().get("arguments").get("subject").asText()).isEqualTo("Grüße");
        String raw = FakeGmail.decodeRaw(GOOGLE.gmail().sent().get(0).path("raw").asText());
        assertThat(raw).contains("To: bob@example.com, carol@example.com\r\n", "Subject: =?UTF-8?B?", "Content-Type: text/html");
        ToolTurns.Outcome m = call("modify_gmail_message_labels", "{\"message_id\":\"m-01\",\"add_label_ids\":[\"Label_42\"],"
                + "\"remove_label_ids\":[\"INBOX\"]}");
        assertThat(m.text()).isEqualTo("Labels updated for message m-01. Current labels: Label_42");
        assertThat(call("modify_gmail_message_labels", "{\"message_id\":\"m-01\"}").isError()).isTrue();
        assertThat(auditLines()).anyMatch(l -> l.contains("send_gmail_message") && l.contains("outcome=ok"))
                .anyMatch(l -> l.contains("modify_gmail_message_labels") && l.contains("target=m-01"));
        // Restore for the other tests' inbox counts.
        call("modify_gmail_message_labels", "{\"message_id\":\"m-01\",\"add_label_ids\":[\"INBOX\"],\"remove_label_ids\":[\"Label_42\"]}");
    }

    @Test
    void headerInjectionIsRefused() throws Exception {
        ToolTurns.Outcome bad = call("draft_gmail_message", "{\"subject\":\"hi\\r\\nBcc: eve@example.com\",\"body\":\"x\"}");
        assertThat(bad).isEqualTo(new ToolTurns.Outcome(true, "Header Subject must not contain line breaks."));
    }

    @Test
    void googleErrorsMapToOneSentenceAndTransientOnesAreRetriedOnce() throws Exception {
        GOOGLE.failNext("/labels", 429, 1);
        assertThat(call("list_gmail_labels", "{}").text()).contains("Receipts");
        GOOGLE.failNext("/labels", 503, 2);
        assertThat(call("list_gmail_labels", "{}")).isEqualTo(new ToolTurns.Outcome(true, "Google answered with an error (HTTP 503)"));
        GOOGLE.failNext("/labels", 403, 1);
        assertThat(call("list_gmail_labels", "{}"))
                .isEqualTo(new ToolTurns.Outcome(true, "The Google connection lacks permission for this action"));
    }

    @Test
    void a401IsFollowedByOneRefreshAndARetry() throws Exception {
        int before = GOOGLE.refreshCount();
        GOOGLE.revokeAccessTokens();
        assertThat(call("list_gmail_labels", "{}").text()).contains("Receipts");
        assertThat(GOOGLE.refreshCount() - before).isEqualTo(1);
    }
}
