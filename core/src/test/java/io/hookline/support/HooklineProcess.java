package io.hookline.support;

import io.hookline.HooklineApplication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Hookline command ({@code server}, {@code backup}, ...) in a process of its own, as an operator would, with
 * configuration overrides given as {@code -Ddw.<key>=<value>}; for what only a second process can show.
 */
public final class HooklineProcess {
    private HooklineProcess() {
    }

    /** How the process ended: its exit code and what it printed. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** Runs {@code args} against the repository's config.yml with {@code overrides}; fails after {@code timeout}. */
    public static Result run(Duration timeout, Map<String, String> overrides, String... args)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path")));
        overrides.forEach((k, v) -> cmd.add("-Ddw." + k + "=" + v));
        cmd.add(HooklineApplication.class.getName());
        cmd.addAll(List.of(args));
        Path dir = TestApps.tempDir();
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Hookline " + String.join(" ", args) + " did not end within " + timeout
                    + "; stderr: " + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
