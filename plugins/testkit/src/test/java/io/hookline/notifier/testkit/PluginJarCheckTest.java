package io.hookline.notifier.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginJarCheckTest {
    @TempDir
    Path dir;

    @Test
    void aJarWithOnlyItsOwnClassesIsClean() throws IOException {
        Path jar = jar("clean.jar", "META-INF/extensions.idx", "com/example/Echo.class", "com/example/lib/Util.class");

        assertThat(PluginJarCheck.forbiddenEntries(jar)).isEmpty();
        assertThatCode(() -> PluginJarCheck.assertClean(jar)).doesNotThrowAnyException();
    }

    @Test
    void bundledServerClassesAreListed() throws IOException {
        Path jar = jar("dirty.jar", "com/example/Echo.class", "org/slf4j/Logger.class",
                "com/fasterxml/jackson/databind/ObjectMapper.class", "io/hookline/notifier/Notifier.class",
                "META-INF/versions/9/org/pf4j/Plugin.class", "jakarta/ws/rs/GET.class");

        assertThat(PluginJarCheck.forbiddenEntries(jar)).containsExactly("org/slf4j/Logger.class",
                "com/fasterxml/jackson/databind/ObjectMapper.class", "io/hookline/notifier/Notifier.class",
                "META-INF/versions/9/org/pf4j/Plugin.class", "jakarta/ws/rs/GET.class");
        assertThatThrownBy(() -> PluginJarCheck.assertClean(jar))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("bundles 5 entries")
                .hasMessageContaining("org/slf4j/Logger.class");
    }

    @Test
    void jarsNestedInAPluginZipAreSearchedToo() throws IOException {
        Path inner = jar("inner.jar", "ch/qos/logback/classic/Logger.class", "org/example/Ok.class");
        Path zip = dir.resolve("plugin.zip");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new JarEntry("lib/inner.jar"));
            Files.copy(inner, out);
            out.closeEntry();
        }

        assertThat(PluginJarCheck.forbiddenEntries(zip)).containsExactly("lib/inner.jar!/ch/qos/logback/classic/Logger.class");
    }

    @Test
    void similarlyNamedPackagesAreAllowed() {
        assertThat(PluginJarCheck.isForbidden("io/hookline/plugins/slack/SlackNotifier.class")).isFalse();
        assertThat(PluginJarCheck.isForbidden("com/example/jakarta/Thing.class")).isFalse();
        assertThat(PluginJarCheck.isForbidden("org/sqlite/native/Linux/x86_64/libsqlitejdbc.so")).isTrue();
    }

    @Test
    void aMissingJarIsReportedAsSuch() {
        assertThatThrownBy(() -> PluginJarCheck.assertClean(dir.resolve("nope.jar")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No plugin jar");
    }

    private Path jar(String name, String... entries) throws IOException {
        Path jar = dir.resolve(name);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        manifest.getMainAttributes().putValue("Plugin-Id", "test");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (String entry : entries) {
                out.putNextEntry(new JarEntry(entry));
                out.closeEntry();
            }
        }
        return jar;
    }
}
