package io.hookline.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A throwaway PostgreSQL server for scripts/cluster and scripts/bench: the embedded server the tests use, started in
 * a folder of its own. Prints one line, {@code url=<jdbc url>}, once it accepts connections, then runs until its
 * standard input closes or the process is stopped; the data goes with the folder.
 *
 * <pre>java -cp ... io.hookline.support.ThrowawayPostgres &lt;folder&gt;</pre>
 */
public final class ThrowawayPostgres {
    private ThrowawayPostgres() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ThrowawayPostgres <folder for its data>");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("data"))
                .setCleanDataDirectory(true)
                .setServerConfig("max_connections", "300")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException ignored) {
                // the process is ending anyway
            }
        }));
        System.out.println("url=" + pg.getJdbcUrl("postgres", "postgres"));
        System.out.flush();
        // Runs until the script that started it closes our standard input (or stops the process).
        while (System.in.read() != -1) {
            // ignore input
        }
        System.exit(0);
    }
}
