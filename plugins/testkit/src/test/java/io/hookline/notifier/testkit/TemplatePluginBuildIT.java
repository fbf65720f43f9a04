package io.hookline.notifier.testkit;

import io.hookline.notifier.DeliveryOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The integrator guide, followed by a machine: the template project in src/test/resources/template-plugin (which
 * plugins/README.md shows verbatim) is built by a separate Maven run, as an integrator would build it, and the jar it
 * produces is loaded and driven through the kit.
 */
class TemplatePluginBuildIT {
    private static final Path BASEDIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Path TEMPLATE = BASEDIR.resolve("src/test/resources/template-plugin");
    private static final Path GUIDE = BASEDIR.resolve("../README.md").normalize();
    private static final String JAR = "target/hookline-plugin-echo-1.0.0.jar";
    /** A cold Maven on a small machine compiles this in well under a minute; the bound only stops a stuck run. */
    private static final long BUILD_TIMEOUT_MINUTES = 5;

    @Test
    void theGuideShowsTheTemplateFilesVerbatim() throws IOException {
        String guide = Files.readString(GUIDE);
        for (String file : List.of("pom.xml", "src/main/java/com/example/echo/EchoNotifier.java",
                "src/test/java/com/example/echo/EchoNotifierIT.java")) {
            assertThat(guide).as("plugins/README.md shows %s of the template exactly", file)
                    .contains(Files.readString(TEMPLATE.resolve(file)).strip());
        }
    }

    @Test
    void theTemplateBuildsWithMavenAndItsJarDelivers(@TempDir Path work) throws Exception {
        Path project = work.resolve("echo");
        copyTree(TEMPLATE, project);
        Path repo = localRepository();
        for (String needed : List.of("hookline-parent/0.1.0", "hookline-notifier-api/0.1.0",
                "hookline-notifier-host/0.1.0", "hookline-notifier-testkit/0.1.0")) {
            assertThat(repo.resolve("io/hookline/" + needed)).as(
                    "%s in the local repository %s: the template resolves it from there, so build the reactor with "
                            + "`mvn install` from the root", needed, repo).isDirectory();
        }

        // Offline first: everything the template needs is in the local repository after the reactor build.
        Build build = maven(project, work.resolve("build.log"), repo, true);
        if (build.exit != 0 && build.log.contains("offline")) {
            build = maven(project, work.resolve("build-online.log"), repo, false);
        }
        if (build.exit != 0) fail("The template did not build (exit " + build.exit + "):\n" + tail(build.log, 60));

        Path jar = project.resolve(JAR);
        assertThat(jar).isRegularFile();
        // Kept for the server's own end-to-end test (core: NewPluginTypeTest), which installs it and delivers.
        Path kept = BASEDIR.resolve("target/template-plugin");
        Files.createDirectories(kept);
        Files.copy(jar, kept.resolve(jar.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (NotifierTestKit kit = NotifierTestKit.load(jar); LoopbackReceiver receiver = LoopbackReceiver.start()) {
            assertThat(kit.plugins()).singleElement().satisfies(p -> {
                assertThat(p.id()).isEqualTo("template-echo");
                assertThat(p.version()).isEqualTo("1.0.0");
                assertThat(p.types()).containsExactly("template-echo");
            });
            var settings = kit.createSettings(receiver.url(), kit.object("{\"tag\": \"from-the-guide\"}"));

            DeliveryOutcome outcome = kit.deliver(receiver.url(), settings, "eventsChanged", "streamsChanged");

            assertThat(outcome).isEqualTo(DeliveryOutcome.delivered(200));
            var request = receiver.lastRequest();
            assertThat(request.header("x-echo-tag")).isEqualTo("from-the-guide");
            assertThat(request.header("x-echo-messages")).isEqualTo("eventsChanged,streamsChanged");
            assertThat(request.bodyText()).startsWith("{\"messages\":[\"eventsChanged\",\"streamsChanged\"]");
        }
    }

    private record Build(int exit, String log) {
    }

    private static Build maven(Path project, Path log, Path repo, boolean offline) throws Exception {
        List<String> command = new ArrayList<>(List.of(mavenExecutable(), "-q", "-B"));
        if (offline) command.add("-o");
        command.add("-Dmaven.repo.local=" + repo);
        command.add("package");
        Process process = new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .start();
        if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("The template build ran past " + BUILD_TIMEOUT_MINUTES + " minutes:\n" + tail(Files.readString(log), 60));
        }
        return new Build(process.exitValue(), Files.readString(log));
    }

    private static String mavenExecutable() {
        String home = System.getProperty("hookline.maven.home");
        if (home != null && !home.isBlank()) {
            Path mvn = Path.of(home, "bin", isWindows() ? "mvn.cmd" : "mvn");
            if (Files.isExecutable(mvn)) return mvn.toString();
        }
        return isWindows() ? "mvn.cmd" : "mvn";
    }

    private static Path localRepository() {
        String repo = System.getProperty("hookline.maven.repo");
        return repo != null && !repo.isBlank()
                ? Path.of(repo)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase().contains("win");
    }

    private static java.io.File nullDevice() {
        return new java.io.File(isWindows() ? "NUL" : "/dev/null");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.toString().contains("/target/")) {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }
}
