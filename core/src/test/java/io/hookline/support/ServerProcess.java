package io.hookline.support;

import io.hookline.HooklineApplication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hookline as a separate process on loopback ports, with the repository's config.yml, a database in {@code dir} and
 * the bundled plugins: for tests that kill it or measure its memory.
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts it and waits until its admin port answers; {@code env} and {@code jvmOptions} add to the defaults. */
    /**
     * A start takes seconds; on a machine busy with other builds (a JVM's start is mostly JIT work) it took over a
     * minute, so the bound is generous: it only ends a wait for a server that will never answer.
     */
    private static final Duration START_BOUND = Duration.ofMinutes(3);

    public static Process start(Path dir, int port, int adminPort, Map<String, String> env, List<String> jvmOptions)
            throws IOException {
        return start(dir, port, adminPort, env, jvmOptions, HooklineApplication.class);
    }

    /** As above, with another main class that runs Hookline (for instance with a clock that is off). */
    public static Process start(Path dir, int port, int adminPort, Map<String, String> env, List<String> jvmOptions,
                                Class<?> main) throws IOException {
        Path plugins = TestPlugins.installBundled(dir.resolve("plugins"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                main.getName(), "server", TestApps.configFile()));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> e = pb.environment();
        e.put("HOOKLINE_PORT", Integer.toString(port));
        e.put("HOOKLINE_ADMIN_PORT", Integer.toString(adminPort));
        e.put("HOOKLINE_BIND", "127.0.0.1");
        // The engine under test: the SQLite file, or a PostgreSQL database of its own for that file.
        e.putAll(TestDatabases.environment(dir.resolve("hookline.db")));
        e.put("HOOKLINE_ADMIN_KEY", TestApps.ADMIN_KEY);
        e.put("HOOKLINE_PLUGINS_DIR", plugins.toString());
        e.put("HOOKLINE_ALLOWED_NETWORKS", "127.0.0.0/8");
        e.put("HOOKLINE_LOG_LEVEL", "WARN");
        e.putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("server-" + System.nanoTime() + ".log").toFile());
        Process p = pb.start();
        ApiClient admin = new ApiClient("http://127.0.0.1:" + adminPort);
        try {
            Wait.until(() -> {
                if (!p.isAlive()) throw new AssertionError("Hookline exited with " + p.exitValue() + "; logs in " + dir);
                try {
                    return admin.get("/healthcheck", null).status() > 0;
                } catch (UncheckedIOException ex) {
                    return false;
                }
            }, START_BOUND, "Hookline to start");
        } catch (AssertionError notStarted) {
            // The test fails here, before it could stop this server: a server left running would outlive the suite.
            p.destroyForcibly();
            throw notStarted;
        }
        return p;
    }

    /** Sends a signal ({@code STOP}, {@code CONT}, ...) to a process; one that already ended is left alone. */
    public static void signal(Process p, String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
            if (exit != 0 && p.isAlive()) throw new AssertionError("kill -" + signal + " failed");
        } catch (IOException e) {
            throw new AssertionError("kill -" + signal + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
