package dev.orchat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.builtin.BuiltinServers;
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
import dev.orchat.cluster.Cluster;
import dev.orchat.db.Database;
import dev.orchat.db.DatabaseFactory;
import dev.orchat.db.Migrations;
import dev.orchat.googleauth.GoogleFactory;
import dev.orchat.mcp.McpSupervisor;
import dev.orchat.openai.OpenAiWiring;
import dev.orchat.openrouter.OpenRouterClient;
import dev.orchat.ops.NonCriticalHealthCheck;
import dev.orchat.ops.PurgeSessionsTask;
import dev.orchat.preset.PresetWiring;
import dev.orchat.settings.SettingsService;
import dev.orchat.stt.DeepgramTokenResource;
import dev.orchat.telemetry.TelemetryWiring;
import dev.orchat.upload.Uploads;
import dev.orchat.web.BearerTokens;
import dev.orchat.web.PublicUrls;
import dev.orchat.web.WebWiring;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.PooledDataSourceFactory;
import io.dropwizard.migrations.MigrationsBundle;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Table of contents of the service: bundles, then shared infrastructure, then one wiring step per feature. */
public class OrchatApplication extends Application<OrchatConfiguration> {
    private final Clock clock = Clock.systemUTC();
    /** {@code ${VAR}} references, from the environment first, then {@code .env}; read once at start. */
    private EnvSubstitutor variables;
    public static void main(String[] args) throws Exception {
        new OrchatApplication().run(args);
    }

    @Override
    public String getName() {
        return "orchat";
    }

    @Override
    public void initialize(Bootstrap<OrchatConfiguration> bootstrap) {
        variables = new EnvSubstitutor(DotEnv.load(Path.of(".env")));
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), variables));
        bootstrap.addBundle(new MigrationsBundle<>() {
            @Override
            public PooledDataSourceFactory getDataSourceFactory(OrchatConfiguration configuration) {
                configuration.getDatabase().normalise(); // db migrate / db status on a postgresql:// URL too
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
        WebWiring.checkBinding(config.getServerFactory(), config.getAuth());
        WebWiring.prepareDirectories(List.of(config.dataDirectory(), config.getAttachments().directory(),
                Path.of("credentials")));
        ObjectMapper mapper = env.getObjectMapper();
        config.getTelemetry().build(env, WebWiring.version()); // OTLP traces if set; managed first, so stopped last
        // Shared infrastructure: database (migrated), this instance among the others (turns recovered), upstream.
        DatabaseFactory.Opened opened = config.getDatabase().open(env);
        Database db = opened.db();
        Cluster cluster = config.getCluster().wire(env, config.getDatabase(), db, clock);
        ConversationStore store = new ConversationStore(db, clock, mapper, cluster.instanceId());
        cluster.join(store); // docs/operations.md, "Several instances"
        OpenRouterClient upstream = config.getOpenrouter().build(env, config.getChat().isVirtualThreads());
        SettingsService settings = SettingsService.wire(env, db, upstream, clock,
                config.getOpenrouter().getDefaultModel(), config.getChat().getDefaultSystemPrompt());
        BearerTokens tokens = new BearerTokens(config.getAuth().getTokens());
        PublicUrls urls = new PublicUrls(config.publicBaseUri(), config.isTrustForwardedHeaders());
        WebWiring.register(env, config.webSettings(), clock, tokens);
        WebWiring.registerUi(env, config.getUi());
        ModelCatalog catalog = wireCatalog(config, env, mapper, upstream);
        Uploads uploads = config.getAttachments().build(env, db, tokens, urls, config.getAuth().getUrlSigningKey(),
                catalog::inputModalities, config.getUser().zone(), clock);
        McpSupervisor mcp = wireTools(config, env, mapper, store, uploads, db, cluster);
        cluster.shareFile("mcp_servers", config.getMcp().configPath(), mcp::reload);
        PresetWiring.wire(env, db, settings, mcp, clock, config.dataDirectory(), variables);
        ChatService chat = ChatWiring.build(config.getChat(), env,
                new ChatWiring.Collaborators(store, upstream, mcp.registry(), settings, uploads.service(),
                        uploads.modelInput(), cluster),
                new ChatWiring.Defaults(config.getOpenrouter().getDefaultModel(),
                        config.getAttachments().getMaxPerMessage(), config.getAttachments().getPdf().getEngine(),
                        config.getUser().zone()),
                clock);
        cluster.deliverCancelsTo(chat::cancelHere);
        OpenAiWiring.register(env, chat, catalog, store, wireHistory(config, env, mapper, db, chat, uploads, urls), clock);
        env.jersey().register(new DeepgramTokenResource(config.getDeepgram().build(env, clock)));
        config.getOperations().wire(env, db.jdbi(), opened.dataSource(), upstream, settings, config.dataDirectory(),
                config.getOpenrouter().getDefaultModel(), clock);
        TelemetryWiring.register(env); // issue 17: /prometheus on the admin port, GenAI metrics
        dev.orchat.search.SearchWiring.register(env, config, db, clock); // search, export, import (api.md §2.28–2.30)
    }

    /** MCP servers (docs/configuration.md, "MCP"): built-ins in process plus configured stdio/HTTP servers. */
    private McpSupervisor wireTools(OrchatConfiguration config, Environment env, ObjectMapper mapper,
                                    ConversationStore store, Uploads uploads, Database db, Cluster cluster) {
        GoogleFactory.GoogleAuth google = config.getGoogle().build(env, config.getSecurity(), db.jdbi(), clock,
                config.frontendUrl());
        cluster.follow("google", google.connection()::sharedState, google.connection()::changedElsewhere);
        var pdf = config.getAttachments().getPdf();
        var builtins = BuiltinServers.factories(new BuiltinServers.Sources(store::history, uploads.service(),
                uploads.pdf(), google.api(), new BuiltinServers.Limits(pdf.getMaxPages(), pdf.getMaxChars(),
                        config.getAttachments().getMaxSizeBytes())), clock, mapper);
        return config.getMcp().wire(env, builtins, variables::replace, NonCriticalHealthCheck::new, clock,
                config.getChat().getToolCallTimeout().toJavaDuration());
    }

    private HistoryService wireHistory(OrchatConfiguration config, Environment env, ObjectMapper mapper,
                                       Database db, ChatService chat, Uploads uploads, PublicUrls urls) {
        HistoryService history = new HistoryService(db, clock, chat, config.getAttachments().directory(), mapper);
        env.jersey().register(new HistoryResource(db.jdbi(), history, new HistoryViews(mapper), uploads.refs(), urls));
        env.admin().addTask(new PurgeSessionsTask(db.jdbi(), history, chat, config.getAttachments().directory(), clock));
        return history;
    }

    /** Model catalogue (docs/api.md, "Models"): cached, enriched, filterable. */
    private ModelCatalog wireCatalog(OrchatConfiguration config, Environment env, ObjectMapper mapper,
                                     OpenRouterClient upstream) {
        ModelCatalog catalog = config.getModels().build(upstream, mapper, clock, env.metrics());
        env.jersey().register(new CatalogResource(catalog, mapper));
        env.admin().addTask(new ModelsRefreshTask(catalog));
        return catalog;
    }
}
