package io.hookline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Installs the plugin jars built by this repository's plugin modules into a plugins directory. */
public final class TestPlugins {
    private TestPlugins() {
    }

    /** Copies more plugin jars into a plugins directory. */
    public static void install(Path target, java.util.List<Path> jars) {
        try {
            for (Path jar : jars) Files.copy(jar, target.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path installBundled(Path target) {
        try {
            Files.createDirectories(target);
            Path pluginsRoot = Path.of("../plugins");
            int copied = 0;
            try (DirectoryStream<Path> modules = Files.newDirectoryStream(pluginsRoot)) {
                for (Path module : modules) {
                    Path built = module.resolve("target");
                    if (!Files.isDirectory(built)) continue;
                    try (DirectoryStream<Path> jars = Files.newDirectoryStream(built, "hookline-plugin-*.jar")) {
                        for (Path jar : jars) {
                            if (jar.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar")) continue;
                            Files.copy(jar, target.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                            copied++;
                        }
                    }
                }
            }
            if (copied == 0) {
                throw new IllegalStateException("No plugin jar under ../plugins/*/target: build the plugins first "
                        + "(mvn install builds them before core)");
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
