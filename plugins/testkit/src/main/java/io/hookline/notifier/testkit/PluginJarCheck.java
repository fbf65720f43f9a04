package io.hookline.notifier.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Checks that a plugin jar does not bundle classes the server provides. The server lends plugins the notifier API,
 * pf4j, slf4j and Jackson (and runs on Dropwizard, Jakarta APIs, JDBI and sqlite-jdbc); a second copy inside a plugin
 * would shadow the server's, since PF4J looks in the plugin first, and fail at run time with
 * {@code ClassCastException} or {@code LinkageError}, or silently run another version. Declare those dependencies
 * with {@code provided} scope.
 *
 * <p>{@link NotifierTestKit} runs this check on every jar it loads. Hookline's own build runs the same rule
 * (the parent pom's {@code check-plugin-jar}); keep both lists in step.
 */
public final class PluginJarCheck {
    /** Entry-name prefixes a plugin jar must not contain. */
    public static final List<String> FORBIDDEN_PREFIXES = List.of(
            "io/hookline/notifier/",
            "org/slf4j/",
            "ch/qos/logback/",
            "com/fasterxml/jackson/",
            "jakarta/",
            "io/dropwizard/",
            "org/jdbi/",
            "org/sqlite/",
            "org/pf4j/");

    // Multi-release jars keep per-Java-version copies of classes under META-INF/versions/<n>/.
    private static final Pattern VERSIONED = Pattern.compile("^META-INF/versions/\\d+/");

    private PluginJarCheck() {
    }

    /**
     * The forbidden entries of a plugin jar (or PF4J zip), including those of jars nested in it (a zip's
     * {@code lib/}), each named {@code nested.jar!/entry}. Directories count too, so a bundled package shows even
     * when empty.
     */
    public static List<String> forbiddenEntries(Path jar) throws IOException {
        List<String> found = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (isForbidden(e.getName())) {
                    found.add(e.getName());
                } else if (!e.isDirectory() && e.getName().endsWith(".jar")) {
                    try (InputStream in = zip.getInputStream(e)) {
                        scanNested(e.getName(), in, found);
                    }
                }
            }
        }
        return found;
    }

    /**
     * Fails with an {@link AssertionError} that lists the offending entries (at most 20) when the jar bundles
     * anything the server provides.
     *
     * @throws IllegalArgumentException when the file is not there
     */
    public static void assertClean(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("No plugin jar at " + jar.toAbsolutePath());
        }
        List<String> found;
        try {
            found = forbiddenEntries(jar);
        } catch (IOException e) {
            throw new AssertionError("Cannot read plugin jar " + jar + ": " + e.getMessage(), e);
        }
        if (!found.isEmpty()) {
            List<String> shown = found.size() > 20 ? found.subList(0, 20) : found;
            throw new AssertionError("Plugin jar " + jar.getFileName() + " bundles " + found.size()
                    + " entries the server provides (declare those dependencies with provided scope):\n  "
                    + String.join("\n  ", shown) + (found.size() > shown.size() ? "\n  ..." : ""));
        }
    }

    /** Whether one entry name falls under a forbidden prefix. */
    public static boolean isForbidden(String entryName) {
        String name = VERSIONED.matcher(entryName).replaceFirst("");
        for (String prefix : FORBIDDEN_PREFIXES) {
            if (name.startsWith(prefix)) return true;
        }
        return false;
    }

    private static void scanNested(String jarName, InputStream in, List<String> found) throws IOException {
        try (ZipInputStream nested = new ZipInputStream(in)) {
            for (ZipEntry e = nested.getNextEntry(); e != null; e = nested.getNextEntry()) {
                if (isForbidden(e.getName())) found.add(jarName + "!/" + e.getName());
            }
        }
    }
}
