package dev.orchat.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.mcp.ToolRegistry;
import dev.orchat.openrouter.Flavor;
import dev.orchat.openrouter.OpenRouterClient;
import dev.orchat.settings.SettingsStore;
import dev.orchat.upload.AttachmentInput;
import dev.orchat.upload.AttachmentLookup;
import io.dropwizard.core.setup.Environment;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.function.Supplier;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Assembles the chat feature: its executors, the turn engine's parts (each given exactly what it uses), the
 * prober, the resources and the shutdown hook.
 */
public final class ChatWiring {
    private ChatWiring() {
    }

    /** What a turn needs from the other features. */
    public record Collaborators(ConversationStore store, OpenRouterClient upstream, ToolRegistry tools,
                                SettingsStore settings, AttachmentLookup attachments,
                                AttachmentInput attachmentInput, TurnPeers peers) {
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
        ChatMetrics metrics = new ChatMetrics(env.metrics(), turns);
        SessionTitler titler = new SessionTitler(with.store(), with.upstream(), mapper,
                config.getTitles().getMode() == ChatFactory.TitlesFactory.Mode.MODEL
                        ? config.getTitles().modelOr(defaults.defaultModel()) : null);
        Supplier<ZonedDateTime> localTime = config.isDateTimeContext()
                ? () -> ZonedDateTime.now(clock.withZone(defaults.zone())) : () -> null;
        ToolApprovals approvals = new ToolApprovals(with.tools(), with.store(), mapper);
        HopPayloads payloads = new HopPayloads(with.store(), new WireMessages(mapper, config.isReplayReasoningDetails()),
                new PayloadBuilder(mapper, with.upstream().flavor(), defaults.pdfEngine()), with.attachmentInput(),
                with.attachments(), with.tools(), localTime, with.upstream().flavor() == Flavor.GENERIC);
        TurnLoop loop = new TurnLoop(payloads, new HopRunner(with.upstream(), with.store(), metrics, clock, mapper,
                relays.continuations()),
                new ToolRound(with.tools(), with.store(), toolThreads.executor(), metrics, ToolLimits.of(config),
                        clock.withZone(defaults.zone()), mapper, approvals),
                with.store(), turns, metrics, titler, HopLimits.of(config));
        TurnAdmission admission = new TurnAdmission(
                new ChatRequestParser(mapper, config.getMaxRequestMessages(), defaults.maxAttachmentsPerMessage()),
                turns, with.settings(), with.attachments(), with.store(), new TurnAdmission.Defaults(
                        defaults.defaultModel(), config.isRequireExistingSession(), with.upstream()::isConfigured));
        TurnLogs logs = new TurnLogs(config.getDetachGrace().toJavaDuration(), config.getReplayRetention().toJavaDuration(),
                config.getReplayEndedBytes().toBytes());
        ChatService chat = new ChatService(admission, loop, turns, logs, relays.executor(), metrics,
                new ChatService.Replay(mapper, config.getReplayBufferBytes().toBytes()), with.peers());
        // Shutdown order: turns are cancelled before Jetty's graceful stop (an open SSE stream would hold it for
        // the whole grace period), then the titler, the executors and the prober stop as managed objects
        // (Dropwizard stops them in reverse order of registration; the titler's pending titles are dropped).
        env.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopping(LifeCycle event) {
                chat.cancelAll(Duration.ofSeconds(10));
            }
        });
        env.lifecycle().manage(prober);
        env.lifecycle().manage(logs);
        env.lifecycle().manage(relays);
        env.lifecycle().manage(toolThreads);
        env.lifecycle().manage(titler);
        env.jersey().register(new SseEventWriter());
        env.jersey().register(new SseHeadersFilter());
        env.jersey().register(new ChatResource(chat, with.store(), new TurnAnswers(logs, approvals)));
        env.jersey().register(new GenerationResource(with.upstream()));
        return chat;
    }
}
