package io.hookline;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.hookline.storage.Backup;
import io.hookline.storage.OpenFailures;
import io.hookline.startup.StartupCommands;
import io.hookline.startup.StartupFailure;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code java -jar hookline.jar backup config.yml [target]}: an online backup of the configured database (see
 * {@link Backup}), safe while the server runs; it only reads the database.
 */
public final class BackupCommand extends ConfiguredCommand<HooklineConfiguration> {
    public BackupCommand() {
        super("backup", "Writes a consistent copy of the database (safe while the server runs)");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("target").nargs("?")
                .help("the backup file to write (must not exist); default: backups/hookline-<time>.db beside the "
                        + "database");
    }

    @Override
    protected void run(Bootstrap<HooklineConfiguration> bootstrap, Namespace namespace, HooklineConfiguration config) {
        if (config.getDatabase().isPostgresql()) throw new StartupFailure(Backup.ON_POSTGRESQL);
        String path = config.getDatabase().getPath();
        if (!Files.isRegularFile(Path.of(path))) {
            throw new StartupFailure("no database at " + Path.of(path).toAbsolutePath()
                    + " (database.path, HOOKLINE_DB): nothing to back up");
        }
        String target = namespace.getString("target");
        Path file = target != null ? Path.of(target) : Backup.defaultTarget(path, Instant.now());
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setBusyTimeout(config.getDatabase().getBusyTimeoutMs());
        Jdbi jdbi = Jdbi.create("jdbc:sqlite:" + path, sqlite.toProperties());
        Backup.Written written;
        try {
            written = jdbi.withHandle(h -> Backup.write(h, file));
        } catch (IllegalArgumentException e) {
            throw new StartupFailure(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw OpenFailures.of(path, e);
        }
        System.out.println(written);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (!StartupCommands.printed(cli, e, "Backup failed")) super.onError(cli, namespace, e);
    }
}
