package dev.orchat.googleauth;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code google.bindStateToBrowser: false} (no cookie; the state alone must be valid) and the in-memory cap on
 * Gmail attachment downloads ({@code attachments.maxSizeBytes}).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@Tag("database") // also run on PostgreSQL (pom.xml, execution "postgresql")
class GoogleUnboundStateTest {
    static final FakeOpenRouter MODEL = FakeOpenRouter.start();
    static final FakeGoogle GOOGLE = FakeGoogle.start();
    static final Path DIR = TestApp.tempDir();
    static final DropwizardAppExtension<OrchatConfiguration> APP = TestApp.create(MODEL, DIR, GOOGLE.settings(DIR,
            TestApp.set("google.bindStateToBrowser", "false"), TestApp.set("attachments.maxSizeBytes", "100")));

    @AfterAll
    static void stop() {
        MODEL.close();
        GOOGLE.close();
    }

    @Test
    void withoutBindingTheStateAloneCompletesTheFlowOnceAndBigAttachmentsAreRefused() throws Exception {
        GoogleClient c = new GoogleClient(APP.getLocalPort(), GOOGLE);
        GoogleClient.Authorized a = c.authorize("{}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.cookie()).as("no state cookie when binding is off").isNull();
        String redirect = GOOGLE.consent(a.authUrl());
        assertThat(c.callback(redirect, null).headers().firstValue("Location")).hasValue("/?auth_success=true&email=ada%40example.com");
        assertThat(c.callback(redirect, null).headers().firstValue("Location")).hasValue("/?auth_error=invalid_state");

        ToolTurns.Outcome pdf = ToolTurns.call(APP.getLocalPort(), MODEL, "big-1", "read_gmail_attachment_text",
                "{\"message_id\":\"m-report\"}");
        assertThat(pdf).isEqualTo(new ToolTurns.Outcome(true, "The attachment is larger than the 100-byte limit."));
        ToolTurns.Outcome notes = ToolTurns.call(APP.getLocalPort(), MODEL, "big-2", "read_gmail_attachment_text",
                "{\"message_id\":\"m-report\",\"filename_contains\":\"notes\"}");
        assertThat(notes.isError()).isFalse();
        assertThat(notes.text()).endsWith("Remember the budget meeting.");
    }
}
