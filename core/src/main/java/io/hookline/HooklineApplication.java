package io.hookline;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jdbi3.JdbiFactory;
import io.hookline.auth.AccessesResource;
import io.hookline.auth.AccessesService;
import io.hookline.auth.AccountsService;
import io.hookline.auth.Authenticator;
import io.hookline.auth.LoginResource;
import io.hookline.auth.PasswordHasher;
import io.hookline.data.EventsResource;
import io.hookline.data.EventsService;
import io.hookline.data.StreamsResource;
import io.hookline.data.StreamsService;
import io.hookline.edge.Api;
import io.hookline.edge.BatchResource;
import io.hookline.edge.EnvelopeFilter;
import io.hookline.edge.ErrorMappers;
import io.hookline.edge.JsonBody;
import io.hookline.edge.Meta;
import io.hookline.edge.Methods;
import io.hookline.storage.ChangeClock;
import io.hookline.storage.Database;
import io.hookline.storage.MigrateCommand;
import io.hookline.storage.Migrations;
import io.hookline.storage.Writer;
import io.hookline.system.SystemResource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Hookline: Pryv-compatible streams and events, with webhooks. */
public class HooklineApplication extends Application<HooklineConfiguration> {
    private static final Logger LOG = LoggerFactory.getLogger(HooklineApplication.class);
    private static final int PASSWORD_ITERATIONS = 210_000;

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
        bootstrap.addCommand(new MigrateCommand());
    }

    @Override
    public void run(HooklineConfiguration config, Environment env) {
        if (config.getServerFactory() instanceof AbstractServerFactory server) {
            // Every error must be JSON with an API.md id; Dropwizard's own mappers answer in another shape.
            server.setRegisterDefaultExceptionMappers(false);
        }
        if (HooklineConfiguration.DEVELOPMENT_ADMIN_KEY.equals(config.getAdminKey())) {
            LOG.warn("**********************************************************************");
            LOG.warn("* adminKey is the development default: anyone can create users.     *");
            LOG.warn("* Set HOOKLINE_ADMIN_KEY to a long random secret before going live. *");
            LOG.warn("**********************************************************************");
        }
        env.getObjectMapper().getFactory().configure(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature(), true);

        Database db = openDatabase(config, env);

        Methods methods = new Methods();
        AccessesService accesses = new AccessesService(db);
        accesses.register(methods);
        new StreamsService(db).register(methods);
        new EventsService(db, config.getLimits().getMaxResults()).register(methods);

        Authenticator authenticator = new Authenticator(db);
        JsonBody bodies = new JsonBody(env.getObjectMapper(), config.getLimits().getMaxRequestBody().toBytes());
        Api api = new Api(authenticator, methods, bodies, config.getPublicUrl());
        AccountsService accounts = new AccountsService(db, new PasswordHasher(PASSWORD_ITERATIONS));

        env.jersey().register(new EnvelopeFilter(db.clock(), new Meta(config.getSerial())));
        ErrorMappers.all().forEach(env.jersey()::register);
        env.jersey().register(new SystemResource(api, accounts, config.getAdminKey()));
        env.jersey().register(new LoginResource(api, accounts));
        env.jersey().register(new AccessesResource(api));
        env.jersey().register(new StreamsResource(api));
        env.jersey().register(new EventsResource(api));
        env.jersey().register(new BatchResource(api, config.getLimits().getMaxBatchCalls()));
    }

    private static Database openDatabase(HooklineConfiguration config, Environment env) {
        createParentDirectory(config.getDatabase().getPath());
        JdbiFactory factory = new JdbiFactory();
        Jdbi writerJdbi = factory.build(env, config.getDatabase().writer(), "sqlite-writer");
        Jdbi readerJdbi = factory.build(env, config.getDatabase().readers(), "sqlite-readers");
        Migrations.apply(writerJdbi);
        ChangeClock clock = new ChangeClock(Clock.systemUTC());
        Writer writer = new Writer(writerJdbi, clock, config.getDatabase().getMaxWriteGroup(), 10_000);
        env.lifecycle().manage(writer);
        return new Database(readerJdbi, writer, clock);
    }

    static void createParentDirectory(String dbPath) {
        Path parent = Path.of(dbPath).toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the database directory " + parent, e);
        }
    }
}
