package io.hookline.support;

import io.hookline.HooklineApplication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hookline as a separate process, started as {@code scripts/run} starts it (the repository's {@code config.yml},
 * settings from the environment), on free loopback ports, with its log in a file of {@code dir}.
 */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    public final int port;
    public final int adminPort;

    private ServerProcess(Process process, Path log, int port, int adminPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.adminPort = adminPort;
    }

    /** Starts a server on the database {@code db} and waits until it answers. */
    public static ServerProcess start(Path dir, Path db, int port, int adminPort, List<String> jvmOptions,
                                      Map<String, String> extraEnv) throws IOException {
        Path plugins = TestPlugins.installBundled(dir.resolve("plugins"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HooklineApplication.class.getName(),
                "server", TestApps.configFile()));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("HOOKLINE_PORT", Integer.toString(port));
        env.put("HOOKLINE_ADMIN_PORT", Integer.toString(adminPort));
        env.put("HOOKLINE_BIND", "127.0.0.1");
        env.put("HOOKLINE_DB", db.toString());
        env.put("HOOKLINE_ADMIN_KEY", TestApps.ADMIN_KEY);
        env.put("HOOKLINE_PLUGINS_DIR", plugins.toString());
        env.put("HOOKLINE_ALLOWED_NETWORKS", "127.0.0.0/8");
        env.put("HOOKLINE_LOG_LEVEL", "WARN");
        env.putAll(extraEnv);
        Path log = dir.resolve("server-" + System.nanoTime() + ".log");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        ApiClient admin = new ApiClient("http://127.0.0.1:" + adminPort);
        Wait.until(() -> {
            if (!p.isAlive()) throw new AssertionError("Hookline exited with " + p.exitValue() + "; log in " + log);
            try {
                return admin.get("/healthcheck", null).status() > 0;
            } catch (UncheckedIOException e) {
                return false;
            }
        }, Duration.ofSeconds(60), "Hookline to start");
        return new ServerProcess(p, log, port, adminPort);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Resident memory of the process now, in bytes (Linux {@code VmRSS}). */
    public long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS for process " + process.pid());
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
