package dev.orchat.builtin;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchat.OrchatConfiguration;
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

/** The gdrive built-in (docs/operations.md, "MCP servers") through the chat loop against the fake Drive API. */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class DriveServerTest {
    static final FakeOpenRouter MODEL = FakeOpenRouter.start();
    static final FakeGoogle GOOGLE = FakeGoogle.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(MODEL, DIR, GOOGLE.settings(DIR));
    static final AtomicInteger SESSIONS = new AtomicInteger();
    static volatile boolean connected;

    @AfterAll
    static void stop() {
        MODEL.close();
        GOOGLE.close();
    }

    @BeforeEach
    void connectOnce() throws Exception {
        if (!connected) {
            // Google may report write scopes granted earlier (include_granted_scopes); write is disabled here.
            GOOGLE.setGrantedScope("openid email https://www.googleapis.com/auth/drive.readonly "
                    + "https://www.googleapis.com/auth/gmail.readonly https://www.googleapis.com/auth/gmail.modify "
                    + "https://www.googleapis.com/auth/gmail.send https://www.googleapis.com/auth/calendar.events");
            new GoogleClient(APP.getLocalPort(), GOOGLE).connect(false);
            connected = true;
        }
    }

    static ToolTurns.Outcome call(String tool, String args) throws Exception {
        return ToolTurns.call(APP.getLocalPort(), MODEL, "drive-" + SESSIONS.incrementAndGet(), tool, args);
    }

    @Test
    void readOnlyToolSet() throws Exception {
        assertThat(GoogleClient.toolNames(new GoogleClient(APP.getLocalPort(), GOOGLE).server("custom-gdrive")))
                .containsExactlyInAnyOrder("gdrive_auth_status", "gdrive_search_files", "gdrive_list_folder",
                        "gdrive_get_file_content", "gdrive_get_file_metadata");
    }

    @Test
    void writeScopesGrantedEarlierStayHiddenWhileWriteIsDisabled() throws Exception {
        GoogleClient c = new GoogleClient(APP.getLocalPort(), GOOGLE);
        assertThat(GoogleClient.toolNames(c.server("custom-gmail"))).contains("search_gmail_messages")
                .doesNotContain("draft_gmail_message", "send_gmail_message", "modify_gmail_message_labels");
        assertThat(GoogleClient.withheld(c.server("custom-gmail"))).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "draft_gmail_message", "needs_write_access", "modify_gmail_message_labels", "needs_write_access",
                "send_gmail_message", "send_disabled"));
        // calendar.events alone grants no read tool of the calendar list; nothing is exposed but auth status.
        assertThat(GoogleClient.toolNames(c.server("custom-calendar"))).containsExactly("calendar_auth_status");
        assertThat(call("draft_gmail_message", "{\"subject\":\"x\",\"body\":\"y\"}").isError()).isTrue();
    }

    @Test
    void plainWordsBecomeAFullTextSearchAndDriveSyntaxPassesThrough() {
        assertThat(DriveServer.driveQuery("quarterly plan")).isEqualTo("fullText contains 'quarterly plan'");
        assertThat(DriveServer.driveQuery("back\\slash")).isEqualTo("fullText contains 'back\\\\slash'");
        assertThat(DriveServer.driveQuery("name contains 'plan'")).isEqualTo("name contains 'plan'");
        assertThat(DriveServer.driveQuery("mimeType = 'application/pdf'")).isEqualTo("mimeType = 'application/pdf'");
        assertThat(DriveServer.driveQuery("Bob's notes")).as("a quote counts as syntax").isEqualTo("Bob's notes");
        assertThat(DriveServer.quote("it's")).isEqualTo("it\\'s");
    }

    @Test
    void searchIsNewestFirstIncludesSharedDrivesAndPages() throws Exception {
        ToolTurns.Outcome r = call("gdrive_search_files", "{\"query\":\"plan\"}");
        List<String> lines = r.text().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Roadmap | id: sd-roadmap | type: application/vnd.google-apps.document | modified: "
                + "2026-11-21 10:00 -05:00 | https://drive.google.com/file/d/sd-roadmap/view");
        assertThat(lines.get(1)).startsWith("Project plan | id: doc-plan");
        assertThat(r.text()).contains("trash plan.txt"); // plain queries do not filter trash; Drive would list it too
        ToolTurns.Outcome mine = call("gdrive_search_files", "{\"query\":\"plan\",\"include_items_from_all_drives\":false}");
        assertThat(mine.text()).doesNotContain("Roadmap");
        ToolTurns.Outcome drive = call("gdrive_search_files", "{\"query\":\"plan\",\"drive_id\":\"drive-1\"}");
        assertThat(drive.text().lines()).containsExactly(lines.get(0));
        ToolTurns.Outcome paged = call("gdrive_search_files", "{\"query\":\"mimeType != 'application/vnd.google-apps.folder'\",\"page_size\":3}");
        assertThat(paged.text().lines().toList()).hasSize(4).last().isEqualTo("next_page_token: d3");
        assertThat(paged.text()).startsWith("Roadmap");
        ToolTurns.Outcome next = call("gdrive_search_files", "{\"query\":\"mimeType != 'application/vnd.google-apps.folder'\",\"page_size\":3,\"page_token\":\"d3\"}");
        assertThat(next.text()).doesNotContain("Roadmap").contains("next_page_token: d6");
        assertThat(GOOGLE.drive().queries()).contains("fullText contains 'plan'", "mimeType != 'application/vnd.google-apps.folder'");
        assertThat(call("gdrive_search_files", "{\"query\":\"name contains 'plan' or name contains 'x'\"}"))
                .isEqualTo(new ToolTurns.Outcome(true, "Google answered with an error (HTTP 400)"));
    }

    @Test
    void foldersByIdAndByPathWithTheNewestOfTwoNamesakes() throws Exception {
        ToolTurns.Outcome byPath = call("gdrive_list_folder", "{\"folder_path\":\"Reports/2024\"}");
        assertThat(byPath.text()).startsWith("Note: another folder named 'Reports' exists (id: f-reports-old).\nFolder f-2024:\nq3.txt | id: q3");
        ToolTurns.Outcome root = call("gdrive_list_folder", "{\"page_size\":2}");
        assertThat(root.text()).startsWith("Folder root:\nProject plan | id: doc-plan").contains("next_page_token: d2");
        assertThat(call("gdrive_list_folder", "{\"folder_path\":\"Reports/1999\"}").text())
                .isEqualTo("No folder named '1999' in the path Reports/1999.");
    }

    @Test
    void contentByTypeExportsGoogleFilesAndExtractsPdfAndOffice() throws Exception {
        assertThat(call("gdrive_get_file_content", "{\"file_id\":\"doc-plan\"}").text())
                .isEqualTo("Name: Project plan\nID: doc-plan\nType: application/vnd.google-apps.document\n"
                        + "Link: https://drive.google.com/file/d/doc-plan/view\n\nPlan: ship the Google tools.");
        assertThat(call("gdrive_get_file_content", "{\"file_id\":\"sheet-budget\"}").text()).endsWith("item,amount\r\nrent,1000");
        assertThat(call("gdrive_get_file_content", "{\"file_id\":\"slides-deck\"}").text()).endsWith("Slide 1: Hello");
        assertThat(call("gdrive_get_file_content", "{\"file_id\":\"pdf-invoice\"}").text()).endsWith("Invoice total 99 EUR");
        assertThat(call("gdrive_get_file_content", "{\"file_id\":\"txt-notes\",\"max_chars\":8}").text()).contains("\n\nShopping\n[… truncated");
        assertThat(call("gdrive_get_file_content", "{\"file_id\":\"docx-letter\"}").text()).endsWith("Dear Ada,\nThank you & goodbye.");
        assertThat(call("gdrive_get_file_content", "{\"file_id\":\"img-photo\"}"))
                .isEqualTo(new ToolTurns.Outcome(true, "File type not readable as text"));
        assertThat(call("gdrive_get_file_content", "{\"file_id\":\"pdf-big\"}"))
                .isEqualTo(new ToolTurns.Outcome(true, "The file is larger than 20 MiB and is not downloaded."));
        assertThat(call("gdrive_get_file_content", "{\"file_id\":\"missing\"}")).isEqualTo(new ToolTurns.Outcome(true, "Not found"));
    }

    @Test
    void metadataWithASharingSummary() throws Exception {
        String text = call("gdrive_get_file_metadata", "{\"file_id\":\"doc-plan\"}").text();
        assertThat(text).contains("Name: Project plan", "MIME type: application/vnd.google-apps.document",
                "Created: 2026-01-05 03:00 -05:00", "Modified: 2026-11-20 10:00 -05:00", "Owners: Ada Lovelace <ada@example.com>",
                "Parents: root", "Sharing: anyone with the link (reader); 2 users, 1 group with access");
        assertThat(call("gdrive_get_file_metadata", "{\"file_id\":\"sd-roadmap\"}").text())
                .contains("Owners: (shared drive)", "Sharing: not shared by link; 0 users, 0 groups with access");
    }
}
