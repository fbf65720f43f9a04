package io.hookline.support;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Compiles one notifier class and packs it as a PF4J plugin jar (manifest and extensions index), for tests that
 * need a plugin that misbehaves on purpose.
 */
public final class PluginJarBuilder {
    private PluginJarBuilder() {
    }

    public static Path build(Path dir, String pluginId, String className, String source) {
        try {
            Path src = dir.resolve("src");
            Path classes = dir.resolve("classes");
            Path file = src.resolve(className.replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.createDirectories(classes);
            Files.writeString(file, source);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int status = javac.run(null, null, errors, "-proc:none", "-cp", System.getProperty("java.class.path"),
                    "-d", classes.toString(), file.toString());
            if (status != 0) throw new IllegalStateException("Plugin source did not compile: " + errors);
            Manifest manifest = new Manifest();
            Attributes a = manifest.getMainAttributes();
            a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
            a.putValue("Plugin-Id", pluginId);
            a.putValue("Plugin-Version", "0.0.1");
            Path jar = dir.resolve(pluginId + ".jar");
            try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest);
                 Stream<Path> files = Files.walk(classes)) {
                for (Path c : files.filter(Files::isRegularFile).toList()) {
                    j.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
                    j.write(Files.readAllBytes(c));
                    j.closeEntry();
                }
                j.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                j.write((className + "\n").getBytes(StandardCharsets.UTF_8));
                j.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
