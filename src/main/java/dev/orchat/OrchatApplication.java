package dev.orchat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.catalog.CatalogResource;
import dev.orchat.catalog.ModelCatalog;
import dev.orchat.catalog.ModelsRefreshTask;
import dev.orchat.chat.ChatService;
import dev.orchat.chat.ChatWiring;
import dev.orchat.config.DotEnv;
import dev.orchat.config.EnvSubstitutor;
import dev.orchat.conversation.ConversationStore;
import dev.orchat.conversation.HistoryResource;
import dev.orchat.conversation.HistoryService;
import dev.orchat.conversation.HistoryViews;
import dev.orchat.db.Migrations;
import dev.orchat.builtin.CalculatorServer;
import dev.orchat.builtin.CalendarServer;
import dev.orchat.builtin.DriveServer;
import dev.orchat.builtin.GmailServer;
import dev.orchat.googleauth.GoogleFactory;
import dev.orchat.builtin.HousekeepingServer;
import dev.orchat.conversation.MessageDao;
import dev.orchat.mcp.McpRefreshTask;
import dev.orchat.mcp.McpResource;
import dev.orchat.mcp.McpSupervisor;
import dev.orchat.mcp.config.McpConfigFile;
import dev.orchat.mcp.ServerToolRegistry;
import dev.orchat.mcp.ToolRegistry;
import dev.orchat.mcp.ToolServer;
import dev.orchat.openrouter.OpenRouterClient;
import dev.orchat.openrouter.OpenRouterHealthCheck;
import dev.orchat.ops.DatabaseHealthCheck;
import dev.orchat.ops.DiskSpaceHealthCheck;
import dev.orchat.ops.HealthResource;
import dev.orchat.ops.NonCriticalHealthCheck;
import dev.orchat.ops.PurgeSessionsTask;
import dev.orchat.preset.LegacyImport;
import dev.orchat.preset.PresetResource;
import dev.orchat.preset.PresetService;
import dev.orchat.stt.DeepgramTokenResource;
import dev.orchat.settings.ActiveProviderExplainer;
import dev.orchat.settings.SettingsResource;
import dev.orchat.settings.SettingsService;
import dev.orchat.settings.SettingsStore;
import dev.orchat.builtin.PdfServer;
import dev.orchat.upload.AttachmentRefViews;
import dev.orchat.upload.Uploads;
import dev.orchat.web.BearerTokens;
import dev.orchat.web.PublicUrls;
import dev.orchat.web.WebWiring;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.db.PooledDataSourceFactory;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.migrations.MigrationsBundle;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/** Table of contents of the service: bundles, then shared infrastructure, then one wiring step per feature. */
public class OrchatApplication extends Application<OrchatConfiguration> {
    private final Clock clock = Clock.systemUTC();

    public static void main(String[] args) throws Exception {
        new OrchatApplication().run(args);
    }

    @Override
    public String getName() {
        return "orchat";
    }

    @Override
    public void initialize(Bootstrap<OrchatConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvSubstitutor(DotEnv.load(Path.of(".env")))));
        bootstrap.addBundle(new MigrationsBundle<>() {
            @Override
            public PooledDataSourceFactory getDataSourceFactory(OrchatConfiguration configuration) {
                return configuration.getDatabase();
            }

            @Override
            public String getMigrationsFileName() {
                return Migrations.CHANGELOG;
            }
        });
    }

    @Override
    public void run(OrchatConfiguration config, Environment env) throws Exception {
        WebWiring.checkBinding(config);
        WebWiring.prepareDirectories(List.of(config.dataDirectory(), config.getAttachments().directory(),
                Path.of("credentials")));
        config.getDatabase().prepareStorage();
        ObjectMapper mapper = env.getObjectMapper();

        // Shared infrastructure: database (migrated, recovered), upstream client, executors.
        ManagedDataSource dataSource = config.getDatabase().build(env.metrics(), "database");
        Jdbi jdbi = new JdbiFactory().build(env, config.getDatabase(), dataSource, "database");
        if (config.getDatabase().isMigrateOnStart()) {
            Migrations.apply(dataSource);
        }
        ConversationStore store = new ConversationStore(jdbi, clock);
        env.lifecycle().manage(store); // holds the writer connection; stopped after the relays, before the pool
        store.recoverInterruptedTurns();
        OpenRouterClient upstream = config.getOpenrouter().build(env);
        SettingsService settings = wireSettings(config, env, mapper, store, upstream);

        BearerTokens tokens = new BearerTokens(config.getAuth().getTokens());
        WebWiring.register(env, config, clock, tokens);
        WebWiring.registerUi(env, config.getUi());
        PublicUrls urls = new PublicUrls(config.publicBaseUri(), config.isTrustForwardedHeaders());
        ModelCatalog catalog = wireCatalog(config, env, mapper, upstream);
        Uploads uploads = config.getAttachments().build(env, store, tokens, urls, config.getAuth().getUrlSigningKey(),
                catalog::inputModalities, config.getUser().zone(), clock);
        McpSupervisor mcp = wireTools(config, env, mapper, store, uploads);
        wirePresets(config, env, mapper, store, settings, mcp);
        ChatService chat = wireChat(config, env, store, upstream, mcp.registry(), settings, jdbi, uploads);
        wireHistory(config, env, mapper, store, chat, jdbi, uploads.refs(), urls);
        wireSpeech(config, env);
        wireOperations(config, env, jdbi, dataSource, upstream, settings);
        dev.orchat.search.SearchWiring.register(env, config, store, clock); // search, export, import
    }

    /** The chat stream (SPEC §4): one relay per turn over the stored history, tools and attachments. */
    private ChatService wireChat(OrchatConfiguration config, Environment env, ConversationStore store,
                                 OpenRouterClient upstream, ToolRegistry tools, SettingsStore settings, Jdbi jdbi,
                                 Uploads uploads) {
        return ChatWiring.build(config.getChat(), env,
                new ChatWiring.Collaborators(store, upstream, tools, settings, jdbi, uploads.service(), uploads.modelInput()),
                new ChatWiring.Defaults(config.getOpenrouter().getDefaultModel(), config.getAttachments().getMaxPerMessage(),
                        config.getAttachments().getPdf().getEngine(), config.getUser().zone()),
                clock);
    }

    /** MCP servers (SPEC §6): built-ins in process plus configured stdio/HTTP servers, behind one registry. */
    private McpSupervisor wireTools(OrchatConfiguration config, Environment env, ObjectMapper mapper, ConversationStore store,
                                    Uploads uploads) {
        ServerToolRegistry registry = new ServerToolRegistry(List.of(), mapper, env.metrics());
        GoogleFactory.GoogleAuth google = config.getGoogle().build(env, config.getSecurity(), store.jdbi(), clock,
                config.frontendUrl());
        Map<String, Function<String, ToolServer>> builtins = Map.of(
                "calculator", CalculatorServer::new,
                "housekeeping", id -> new HousekeepingServer(id, clock,
                        sessionId -> store.read(h -> h.dao(MessageDao.class).bySession(sessionId))),
                "pdf", id -> new PdfServer(id, uploads.service(), uploads.pdf(),
                        config.getAttachments().getPdf().getMaxPages(), config.getAttachments().getPdf().getMaxChars(), mapper),
                "gmail", id -> new GmailServer(id, google.api(), clock, config.getAttachments().getMaxSizeBytes(),
                        config.getAttachments().getPdf().getMaxPages()),
                "calendar", id -> new CalendarServer(id, google.api(), clock),
                "gdrive", id -> new DriveServer(id, google.api(), clock, config.getAttachments().getPdf().getMaxPages()));
        EnvSubstitutor references = new EnvSubstitutor(DotEnv.load(Path.of(".env")));
        McpSupervisor supervisor = new McpSupervisor(config.getMcp(),
                new McpConfigFile(config.getMcp().configPath(), mapper, clock), builtins, registry, references::replace,
                mapper, env.metrics(), env.healthChecks(), NonCriticalHealthCheck::new, clock,
                config.getChat().getToolCallTimeout().toJavaDuration());
        env.lifecycle().manage(supervisor);
        env.jersey().register(new McpResource(supervisor, mapper));
        env.admin().addTask(new McpRefreshTask(supervisor));
        return supervisor;
    }

    /** Model settings and system prompt (SPEC §9.2), loaded before any turn can start. */
    private SettingsService wireSettings(OrchatConfiguration config, Environment env, ObjectMapper mapper,
                                         ConversationStore store, OpenRouterClient upstream) {
        SettingsService settings = new SettingsService(store, mapper, clock, config.getOpenrouter().getDefaultModel(),
                config.getChat().getDefaultSystemPrompt());
        settings.load();
        env.jersey().register(new SettingsResource(settings, new ActiveProviderExplainer(upstream, mapper)));
        return settings;
    }

    /** Presets (SPEC §9.3) and the one-time import of the legacy settings and presets files (SPEC §1.6). */
    private void wirePresets(OrchatConfiguration config, Environment env, ObjectMapper mapper, ConversationStore store,
                             SettingsService settings, McpSupervisor mcp) {
        PresetService presets = new PresetService(store, settings, mcp, mapper, clock);
        EnvSubstitutor variables = new EnvSubstitutor(DotEnv.load(Path.of(".env")));
        new LegacyImport(settings, presets, mapper).runIfFirstStart(
                Path.of(variables.replace("${MODEL_SETTINGS_PATH:-" + config.dataDirectory().resolve("model_settings.json") + "}")),
                Path.of(variables.replace("${PRESETS_PATH:-" + config.dataDirectory().resolve("presets.json") + "}")));
        env.jersey().register(new PresetResource(presets, mapper));
    }

    private void wireHistory(OrchatConfiguration config, Environment env, ObjectMapper mapper, ConversationStore store,
                             ChatService chat, Jdbi jdbi, AttachmentRefViews refs, PublicUrls urls) {
        HistoryService history = new HistoryService(store, chat, config.getAttachments().directory(), mapper);
        env.jersey().register(new HistoryResource(jdbi, history, new HistoryViews(mapper), refs, urls));
        env.admin().addTask(new PurgeSessionsTask(jdbi, history, chat, config.getAttachments().directory(), clock));
    }

    /** Model catalogue (SPEC §5): cached, enriched, filterable. */
    private ModelCatalog wireCatalog(OrchatConfiguration config, Environment env, ObjectMapper mapper,
                                     OpenRouterClient upstream) {
        ModelCatalog catalog = config.getModels().build(upstream, mapper, clock, env.metrics());
        env.jersey().register(new CatalogResource(catalog, mapper));
        env.admin().addTask(new ModelsRefreshTask(catalog));
        return catalog;
    }

    /** Deepgram tokens for in-browser speech input (SPEC §10). */
    private void wireSpeech(OrchatConfiguration config, Environment env) {
        env.jersey().register(new DeepgramTokenResource(config.getDeepgram().build(env, clock)));
    }

    private void wireOperations(OrchatConfiguration config, Environment env, Jdbi jdbi, ManagedDataSource dataSource,
                                OpenRouterClient upstream, SettingsStore settings) throws Exception {
        env.healthChecks().unregister("database");
        env.healthChecks().register("database", new DatabaseHealthCheck(jdbi, Migrations.changesetCount(dataSource)));
        env.healthChecks().register("disk-space", new DiskSpaceHealthCheck(config.dataDirectory(),
                config.getOperations().getMinFreeDiskBytes()));
        env.healthChecks().register("openrouter", new NonCriticalHealthCheck(new OpenRouterHealthCheck(upstream, clock)));
        env.jersey().register(new HealthResource(config.getOpenrouter().getDefaultModel(), settings, WebWiring.version()));
    }
}
