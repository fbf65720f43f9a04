package io.hookline.support;

import io.hookline.HooklineApplication;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs a Hookline command (server, migrate, copy...) as an operator does: a separate process, its own output. */
public final class Commands {
    /** How the command ended and what it printed. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private Commands() {
    }

    /**
     * Runs {@code java ... HooklineApplication <command> <repository config.yml>} with these environment variables
     * over the inherited ones, and waits (at most a minute) for it to end.
     */
    public static Result run(Map<String, String> environment, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Stream.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                HooklineApplication.class.getName(), command, TestApps.configFile()).toList());
        pb.environment().putAll(environment);
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("hookline " + command + " did not end within a minute");
        }
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
