package io.hookline.startup;

import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code scripts/run} installs the bundled plugins beside an operator's own, replacing only earlier bundled ones. */
class InstallPluginsScriptTest {
    @Test
    void anOperatorsOwnPluginSurvivesTheInstallOfTheBundledOnes() throws Exception {
        Path dir = Files.createDirectories(TestApps.tempDir().resolve("plugins"));
        for (String jar : new String[]{"hookline-plugin-discord-1.0.0.jar", "hookline-plugin-http-extra-2.0.jar",
                "hookline-plugin-http-0.0.1.jar"}) {
            Files.writeString(dir.resolve(jar), "a jar");
        }
        Path lib = Path.of("../scripts/lib.sh").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("bash", "-c", "source \"$0\" && install_plugins \"$1\"", lib.toString(),
                dir.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .contains("hookline-plugin-discord-1.0.0.jar", "hookline-plugin-http-extra-2.0.jar")
                    .doesNotContain("hookline-plugin-http-0.0.1.jar")
                    .anyMatch(f -> f.matches("hookline-plugin-http-\\d.*\\.jar"))
                    .anyMatch(f -> f.startsWith("hookline-plugin-slack-"));
        }
    }
}
