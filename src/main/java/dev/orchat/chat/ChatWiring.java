package dev.orchat.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.mcp.ToolRegistry;
import dev.orchat.openrouter.OpenRouterClient;
import dev.orchat.settings.SettingsStore;
import dev.orchat.upload.AttachmentInput;
import dev.orchat.upload.AttachmentLookup;
import io.dropwizard.core.setup.Environment;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import org.eclipse.jetty.util.component.LifeCycle;
import org.jdbi.v3.core.Jdbi;

/** Assembles the chat feature for the application: its executors, prober, resources and shutdown hook. */
public final class ChatWiring {
    private ChatWiring() {
    }

    /** What a turn needs from the other features. */
    public record Collaborators(ConversationStore store, OpenRouterClient upstream, ToolRegistry tools,
                                SettingsStore settings, Jdbi jdbi, AttachmentLookup attachments,
                                AttachmentInput attachmentInput) {
    }

    /** Limits and defaults read from other configuration blocks. */
    public record Defaults(String defaultModel, int maxAttachmentsPerMessage, String pdfEngine, ZoneId zone) {
    }

    public static ChatService build(ChatFactory config, Environment env, Collaborators with, Defaults defaults,
                                    Clock clock) {
        ObjectMapper mapper = env.getObjectMapper();
        TurnRegistry turns = new TurnRegistry(config.getMaxConcurrentTurns());
        RelayExecutor relays = new RelayExecutor("relay", config.isVirtualThreads());
        RelayExecutor toolThreads = new RelayExecutor("tool", config.isVirtualThreads());
        StreamProber prober = new StreamProber(turns, config, clock);
        SessionTitler titler = new SessionTitler(with.store(), with.upstream(), mapper,
                config.getTitles().getMode() == ChatFactory.TitlesFactory.Mode.MODEL
                        ? config.getTitles().modelOr(defaults.defaultModel()) : null);
        ChatServices services = new ChatServices(config, with.store(), with.upstream(), with.tools(),
                new PayloadBuilder(mapper, with.upstream().flavor(), defaults.pdfEngine()),
                new WireMessages(mapper, config.isReplayReasoningDetails()),
                new ChatMetrics(env.metrics(), turns), mapper, clock, defaults.zone(), toolThreads.executor(),
                with.attachments(), with.attachmentInput(), titler);
        ChatService chat = new ChatService(services,
                new ChatRequestParser(mapper, config.getMaxRequestMessages(), defaults.maxAttachmentsPerMessage()),
                turns, with.settings(), with.attachments(), defaults.defaultModel(), relays.executor());
        // Shutdown order: turns are cancelled before Jetty's graceful stop (an open SSE stream would hold it for
        // the whole grace period, DESIGN §4.6), then the titler, the executors and the prober stop as managed
        // objects (Dropwizard stops them in reverse order of registration; the titler's pending titles are dropped).
        env.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopping(LifeCycle event) {
                chat.cancelAll(Duration.ofSeconds(10));
            }
        });
        env.lifecycle().manage(prober);
        env.lifecycle().manage(relays);
        env.lifecycle().manage(toolThreads);
        env.lifecycle().manage(titler);
        env.jersey().register(new SseEventWriter());
        env.jersey().register(new SseHeadersFilter());
        env.jersey().register(new ChatResource(chat, with.jdbi()));
        env.jersey().register(new GenerationResource(with.upstream()));
        return chat;
    }
}
