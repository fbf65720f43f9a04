package io.hookline.support;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The README promises that a test run on a developer's own server ({@code HOOKLINE_TEST_PG_URL}) leaves no database
 * behind. A JVM of its own, given this run's server under that name, creates databases as the tests do and exits.
 */
class TestDatabasesTest {

    @Test
    void theDatabasesARunCreatesOnTheServerItWasGivenAreDroppedWhenItsJvmEnds() throws Exception {
        String server = TestDatabases.createDatabase(); // any database of the server names it

        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                "-D" + TestDatabases.ENGINE_PROPERTY + "=postgresql", CreateAndWait.class.getName())
                .redirectErrorStream(true);
        pb.environment().put("HOOKLINE_TEST_PG_URL", server);
        Process child = pb.start();
        try {
            // Bounded: a child that hangs fails the test instead of holding the run.
            List<String> created = assertTimeoutPreemptively(Duration.ofMinutes(2),
                    () -> createdThenEnded(child, server));
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the other JVM ended").isTrue();
            assertThat(child.exitValue()).isZero();
            for (String name : created) assertThat(exists(server, name)).as(name + " after it ended").isFalse();
        } finally {
            child.destroyForcibly();
        }
    }

    /** Reads the names the child created, checks they exist, lets it end, and reads its output to the end. */
    private static List<String> createdThenEnded(Process child, String server) throws Exception {
        List<String> created = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream in = child.getOutputStream()) {
            for (String line; created.size() < 2 && (line = out.readLine()) != null; ) {
                if (line.startsWith("created ")) created.add(line.substring("created ".length()));
            }
            assertThat(created).as("the databases the other JVM created").hasSize(2);
            for (String name : created) assertThat(exists(server, name)).as(name + " while it runs").isTrue();
            in.write('\n'); // it may end now
            in.flush();
            while (out.readLine() != null) {
                // its output until it ends, so that it never blocks on a full pipe
            }
        }
        return created;
    }

    private static boolean exists(String url, String database) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Creates two test databases, prints their names, and ends (normally) when a line comes on its input. */
    public static final class CreateAndWait {
        public static void main(String[] args) throws Exception {
            for (int i = 0; i < 2; i++) {
                System.out.println("created " + TestDatabases.databaseOf(TestDatabases.createDatabase()));
            }
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }
}
