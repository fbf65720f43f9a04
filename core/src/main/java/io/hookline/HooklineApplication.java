package io.hookline;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.forms.MultiPartBundle;
import io.dropwizard.lifecycle.AutoCloseableManager;
import io.hookline.auth.AccessCache;
import io.hookline.auth.AccountResource;
import io.hookline.auth.AccessesResource;
import io.hookline.auth.AccessesService;
import io.hookline.auth.AccountsService;
import io.hookline.auth.Authenticator;
import io.hookline.auth.LoginResource;
import io.hookline.auth.PasswordHasher;
import io.hookline.config.WebhooksConfig;
import io.hookline.console.ConsoleServlet;
import io.hookline.console.DeliveryHistory;
import io.hookline.data.AttachmentFiles;
import io.hookline.data.Attachments;
import io.hookline.data.EventsResource;
import io.hookline.delivery.Backoff;
import io.hookline.cluster.PostgresCluster;
import io.hookline.delivery.Cluster;
import io.hookline.delivery.DeliveryEngine;
import io.hookline.delivery.DeliveryOutbox;
import io.hookline.delivery.DeliveryStore;
import io.hookline.delivery.LocalDeliveryStore;
import io.hookline.delivery.PostgresDeliveryStore;
import io.hookline.delivery.DeliveryHealth;
import io.hookline.delivery.DeliveryLag;
import io.hookline.delivery.DeliveryMetrics;
import io.hookline.delivery.InstalledTypes;
import io.hookline.delivery.RunRules;
import io.hookline.data.EventsService;
import io.hookline.data.StreamsResource;
import io.hookline.data.StreamsService;
import io.hookline.edge.AnswerMemory;
import io.hookline.edge.AnswerRelease;
import io.hookline.auth.MethodCalls;
import io.hookline.auth.BatchResource;
import io.hookline.edge.EnvelopeFilter;
import io.hookline.edge.EdgeHandlers;
import io.hookline.edge.ErrorMappers;
import io.hookline.edge.JsonBody;
import io.hookline.edge.JsonErrorHandler;
import io.hookline.edge.Meta;
import io.hookline.auth.Methods;
import io.hookline.metrics.PrometheusMetrics;
import io.hookline.outbound.GuardedHttpClient;
import io.hookline.outbound.NetworkGuard;
import io.hookline.notifier.host.Notifiers;
import io.hookline.storage.BackupTask;
import io.hookline.storage.Database;
import io.hookline.storage.Dialect;
import io.hookline.storage.DatabaseLock;
import io.hookline.storage.Databases;
import io.hookline.startup.StartupCommands;
import io.hookline.startup.Version;
import io.hookline.storage.Json;
import io.hookline.storage.Migrations;
import io.hookline.system.AdminKey;
import io.hookline.signin.AccessRequests;
import io.hookline.signin.AccessRequestsResource;
import io.hookline.signin.AssetsResource;
import io.hookline.signin.SignInResource;
import io.hookline.service.ServiceInfoResource;
import io.hookline.system.SystemResource;
import io.hookline.system.SystemWebhooksResource;
import io.hookline.webhooks.AccessDeletionCascade;
import io.hookline.webhooks.OperatorWebhooks;
import io.hookline.webhooks.WebhookScopes;
import io.hookline.webhooks.WebhooksResource;
import io.hookline.webhooks.SystemWebhooks;
import io.hookline.webhooks.WebhooksService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Hookline: Pryv-compatible streams and events, with webhooks. */
public class HooklineApplication extends Application<HooklineConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(HooklineApplication.class);
    /** PBKDF2-HMAC-SHA256 iterations per password hash: slow for guessing, a fraction of a second per login. */
    private static final int PASSWORD_ITERATIONS = 210_000;
    /** Tokens whose user and access stay cached: bounded, since the default heap is 256 MiB. */
    private static final int CACHED_TOKENS = 10_000;
    /** The notifier's own call may take the whole request timeout; the engine's limit leaves it this margin. */
    private static final Duration ATTEMPT_MARGIN = Duration.ofSeconds(2);
    /**
     * Delivery lag is unhealthy past this many request timeouts (a due webhook may wait for a few attempts ahead of
     * it at a full host), and never below {@link #MIN_LAG_ALARM}.
     */
    private static final int LAG_ALARM_TIMEOUTS = 6;
    private static final Duration MIN_LAG_ALARM = Duration.ofMinutes(1);

    private final Clock clock;

    public HooklineApplication() {
        this(Clock.systemUTC());
    }

    /**
     * @param clock the one clock every time rule reads: change stamps, throttle, backoff, sign-in expiry, and what
     *              notifiers are lent (tests move it to reach expiries)
     */
    public HooklineApplication(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        new HooklineApplication().run(args);
    }

    @Override
    public String getName() {
        return "hookline";
    }

    @Override
    public void initialize(Bootstrap<HooklineConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.setObjectMapper(Json.newMapper());
        bootstrap.addBundle(new MultiPartBundle());
        bootstrap.addCommand(new MigrateCommand());
        bootstrap.addCommand(new CopyCommand());
        bootstrap.addCommand(new BackupCommand());
    }

    @Override
    protected void addDefaultCommands(Bootstrap<HooklineConfiguration> bootstrap) {
        bootstrap.addCommand(StartupCommands.server(this));
        bootstrap.addCommand(StartupCommands.check(this,
                config -> Preflight.check(config, bootstrap.getObjectMapper())));
    }

    @Override
    public void run(HooklineConfiguration config, Environment env) {
        if (config.getServerFactory() instanceof AbstractServerFactory server) {
            // Every error must be JSON with a docs/API.md id; Dropwizard's own mappers answer in another shape.
            server.setRegisterDefaultExceptionMappers(false);
        }
        if (HooklineConfiguration.DEVELOPMENT_ADMIN_KEY.equals(config.getAdminKey())) {
            LOG.warn("**********************************************************************");
            LOG.warn("* adminKey is the development default: anyone can create users.     *");
            LOG.warn("* Set HOOKLINE_ADMIN_KEY to a long random secret before going live. *");
            LOG.warn("**********************************************************************");
        }
        env.getObjectMapper().getFactory().configure(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature(), true);

        Preflight.delivers(config);
        if (config.getDatabase().isPostgresql()) {
            // Nodes share a PostgreSQL database by design; the database itself keeps them apart.
            serve(config, env);
            return;
        }
        DatabaseLock lock = DatabaseLock.acquire(config.getDatabase().getPath());
        try {
            env.lifecycle().manage(lock);
            serve(config, env);
        } catch (RuntimeException e) {
            // Nothing is served: the next start (a test's, or the operator's after a fix) must find the lock free.
            lock.close();
            throw e;
        }
    }

    private void serve(HooklineConfiguration config, Environment env) {
        Database db = Databases.open(config.getDatabase(), env, clock);
        env.admin().addTask(new BackupTask(db, config.getDatabase().getPath()));

        Methods methods = new Methods();
        AccessesService accesses = new AccessesService(db);
        accesses.register(methods);
        AttachmentFiles files = new AttachmentFiles(
                config.getAttachments().directory(config.getDatabase().getPath()),
                config.getLimits().getMaxAttachmentSize().toBytes());
        Preflight.attachmentsFolder(db, files);
        new StreamsService(db, files).register(methods);
        EventsService events = new EventsService(db, config.getLimits().getMaxResults(), files);
        events.register(methods);

        AccessCache accessCache = new AccessCache(CACHED_TOKENS,
                () -> db.clock().recentAccessDeletions(AccessCache.OTHERS_AGE));
        db.writer().addChangeSink(accessCache);
        Authenticator authenticator = new Authenticator(db, accessCache);
        JsonBody bodies = new JsonBody(env.getObjectMapper(), config.getLimits().getMaxRequestBody().toBytes());
        AnswerMemory answers = new AnswerMemory(config.getLimits().getResponseBytesInFlight().toBytes(),
                config.getLimits().getMaxResponseBytes().toBytes());
        MethodCalls calls = new MethodCalls(authenticator, methods, bodies, config.getPublicUrl(), answers);
        env.jersey().register(new AnswerRelease());
        AccountsService accounts = new AccountsService(db, new PasswordHasher(PASSWORD_ITERATIONS));
        accounts.register(methods);

        env.jersey().register(new EnvelopeFilter(db.clock(), new Meta(config.getSerial())));
        env.lifecycle().addEventListener(new EdgeHandlers(Math.max(bodies.maxBytes(),
                config.getLimits().getMaxAttachmentSize().toBytes())));
        JsonErrorHandler jettyErrors = new JsonErrorHandler(env.getObjectMapper(), db.clock(), new Meta(config.getSerial()));
        env.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(jettyErrors));
        ErrorMappers.all().forEach(env.jersey()::register);
        Delivery delivery = startWebhooks(config, env, db, clock, methods, accesses);
        SystemWebhooks systemWebhooks = delivery.system();
        AdminKey adminKey = new AdminKey(config.getAdminKey());
        env.jersey().register(new SystemResource(calls, accounts, systemWebhooks.notifiers(), adminKey));
        env.jersey().register(new SystemWebhooksResource(systemWebhooks, bodies, adminKey));
        env.jersey().register(new WebhooksResource(calls));
        env.jersey().register(new LoginResource(calls, accounts));
        env.jersey().register(new AccountResource(calls));
        AccessRequests signIn = new AccessRequests(db, accounts, authenticator, methods, clock, config.getSignIn());
        env.jersey().register(new AccessRequestsResource(calls, signIn));
        env.jersey().register(new SignInResource(calls, signIn));
        env.jersey().register(new AssetsResource());
        env.jersey().register(new ServiceInfoResource(calls, config.getService(), config.getSerial()));
        env.jersey().register(new AccessesResource(calls));
        env.jersey().register(new StreamsResource(calls));
        env.jersey().register(new EventsResource(calls, new Attachments(db, events, files)));
        PrometheusMetrics.serve(env, delivery.metrics());
        serveConsole(config, env, db, delivery, adminKey);
        env.jersey().register(new BatchResource(calls, config.getLimits().getMaxBatchCalls()));
    }

    /** The operators' console: open on the admin port (loopback), behind the admin key on the API port. */
    private static void serveConsole(HooklineConfiguration config, Environment env, Database db, Delivery delivery,
                                     AdminKey adminKey) {
        ConsoleServlet.Builder console = new ConsoleServlet.Builder()
                .webhooks(delivery.operators(), delivery.system().notifiers())
                .health(env.healthChecks(), delivery.history())
                .answers(new Meta(config.getSerial()), db.clock(), env.getObjectMapper());
        env.admin().addServlet("console", console.open()).addMapping(ConsoleServlet.PATH);
        env.servlets().addServlet("console", console.keyed(adminKey)).addMapping(ConsoleServlet.PATH);
    }

    /** What the rest of the wiring needs of delivery: the operators' calls, the console's, the metrics. */
    private record Delivery(SystemWebhooks system, OperatorWebhooks operators, DeliveryMetrics metrics,
                            DeliveryHistory history) {
    }

    /** Outbound client, plugins, delivery engine, outbox and the webhooks API, wired once; the operators' calls. */
    private static Delivery startWebhooks(HooklineConfiguration config, Environment env, Database db,
                                                Clock clock, Methods methods, AccessesService accesses) {
        WebhooksConfig wc = config.getWebhooks();
        NetworkGuard guard = Preflight.networkGuard(config);
        GuardedHttpClient http = Preflight.http(wc, guard);
        env.lifecycle().manage(http);
        Notifiers notifiers = Preflight.notifiers(config, http, clock, env.getObjectMapper());
        env.lifecycle().manage(new AutoCloseableManager(notifiers));
        Map<String, Long> activeByType = db.read(InstalledTypes::activeByType);
        InstalledTypes.requireAll(activeByType, notifiers, Preflight.pluginsDirectory(config));
        RunRules rules = new RunRules(new Backoff(wc.getMaxBackoff().toJavaDuration(), new SplittableRandom()),
                wc.getRunsSize());
        // Several nodes may share a PostgreSQL database: their claims are leases in it. One SQLite file has one node.
        DeliveryStore store = db.dialect() == Dialect.POSTGRESQL
                ? new PostgresDeliveryStore(db, rules, PostgresDeliveryStore.nodeName(), wc.getLeaseTime().toJavaDuration())
                : new LocalDeliveryStore(db, rules);
        boolean delivers = config.getDelivery().isEnabled();
        DeliveryLag lag = new DeliveryLag(store, db.clock());
        DeliveryMetrics metrics = new DeliveryMetrics(env.metrics(), store, lag, notifiers.types());
        LOG.info("Hookline {}: database {} (schema {}); {}; notifier types {}; active webhooks by type {}, "
                        + "{} inactive", Version.current(), Databases.describe(config.getDatabase()),
                Migrations.latest(), delivers ? "delivering webhooks" : "API only, delivering nothing",
                notifiers.types(), activeByType, store.inactiveCount());
        Cluster cluster = cluster(config, env, db, store, delivers);
        DeliveryEngine engine = new DeliveryEngine(db, store, notifiers, new Meta(config.getSerial()),
                env.getObjectMapper(), wc.getRequestTimeout().toJavaDuration().plus(ATTEMPT_MARGIN),
                wc.getMaxInFlight(), wc.getMaxInFlightPerHost(), metrics, cluster);
        if (delivers) env.lifecycle().manage(engine);
        db.writer().addChangeSink(new DeliveryOutbox(store, new WebhookScopes(), cluster));
        accesses.onDeletion(new AccessDeletionCascade(engine));
        new WebhooksService(db, notifiers, guard, wc, engine).register(methods);

        env.healthChecks().register("plugins", DeliveryHealth.plugins(db, notifiers));
        long maxLagMs = Math.max(MIN_LAG_ALARM.toMillis(),
                wc.getRequestTimeout().toMilliseconds() * LAG_ALARM_TIMEOUTS);
        // The lag is the delivering nodes' concern: an API-only node stays healthy while they catch up.
        if (delivers) env.healthChecks().register("delivery-lag", DeliveryHealth.lag(lag, maxLagMs));
        if (delivers && store instanceof PostgresDeliveryStore leases) {
            env.healthChecks().register("delivery-leases", DeliveryHealth.leases(leases, lag));
        }
        SystemWebhooks system = new SystemWebhooks(db, notifiers, engine);
        OperatorWebhooks operators = new OperatorWebhooks(db, system, engine, maxLagMs);
        DeliveryHistory history = new DeliveryHistory(clock, metrics::counts, lag::worstMs);
        env.lifecycle().manage(history);
        return new Delivery(system, operators, metrics, history);
    }

    /** A SQLite process is alone; a PostgreSQL node signals its work to, and hears of, the other nodes. */
    private static Cluster cluster(HooklineConfiguration config, Environment env, Database db, DeliveryStore store,
                                   boolean delivers) {
        if (!config.getDatabase().isPostgresql()) return Cluster.alone(store);
        PostgresCluster cluster = new PostgresCluster(config.getDatabase(), db, store, delivers);
        env.lifecycle().manage(cluster);
        env.lifecycle().addServerLifecycleListener(server -> cluster.deliveryStarted());
        cluster.register(env.metrics(), env.healthChecks());
        return cluster;
    }
}
