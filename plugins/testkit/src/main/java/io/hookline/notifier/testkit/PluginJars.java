package io.hookline.notifier.testkit;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds small plugin jars inside tests, for plugins written in the test itself (one that misbehaves on purpose, or
 * one that bundles what it must not). It compiles the source with the test's class path, where PF4J's annotation
 * processor writes {@code META-INF/extensions.idx}, and packs the classes with a PF4J manifest.
 *
 * <pre>{@code
 * Path jar = PluginJars.build(tempDir, "slow-plugin", "test.Slow", "package test; ...");
 * }</pre>
 */
public final class PluginJars {
    private PluginJars() {
    }

    /**
     * Compiles {@code className} from {@code source} and packs it as plugin {@code pluginId} (version 1.2.3) into
     * {@code dir}/{@code pluginId}.jar.
     *
     * @param extraEntries further empty entries to add, by name (to build a jar that breaks a packaging rule)
     * @return the jar
     * @throws IllegalStateException when the source does not compile, with javac's messages
     */
    public static Path build(Path dir, String pluginId, String className, String source, String... extraEntries)
            throws IOException {
        Path src = dir.resolve("src-" + pluginId).resolve(className.replace('.', '/') + ".java");
        Path classes = dir.resolve("classes-" + pluginId);
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, errors, errors, "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), src.toString());
        if (rc != 0) throw new IllegalStateException("javac failed:\n" + errors.toString(StandardCharsets.UTF_8));

        Path jar = dir.resolve(pluginId + ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        manifest.getMainAttributes().putValue("Plugin-Id", pluginId);
        manifest.getMainAttributes().putValue("Plugin-Version", "1.2.3");
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            for (String extra : List.of(extraEntries)) {
                out.putNextEntry(new JarEntry(extra));
                out.closeEntry();
            }
        }
        return jar;
    }
}
