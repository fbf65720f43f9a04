package io.hookline;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's packages depend on each other in one direction only: a cycle would tie features together (a second
 * database or a new delivery store would have to change both ends). Read from the built classes with the JDK's
 * jdeps.
 */
class PackageCyclesTest {
    private static final Pattern EDGE = Pattern.compile("^\\s+(io\\.hookline[\\w.]*)\\s+->\\s+(io\\.hookline[\\w.]*)\\s");

    @Test
    void noPackageCycles() {
        Path classes = Path.of("target/classes");
        assertThat(Files.isDirectory(classes)).as("built classes at %s", classes.toAbsolutePath()).isTrue();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new AssertionError("jdeps is missing: run the tests on a JDK"));
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none",
                "-e", "io\\.hookline\\..*", classes.toString());
        assertThat(status).as(out.toString()).isZero();

        Map<String, Set<String>> uses = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                uses.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        assertThat(uses).as("jdeps found the packages' dependencies").containsKeys("io.hookline.webhooks",
                "io.hookline.delivery");
        assertThat(uses.get("io.hookline.webhooks")).contains("io.hookline.delivery");
        assertThat(cycles(uses)).isEmpty();
    }

    /** Every package from which a path of dependencies leads back to itself, with that path. */
    private static List<String> cycles(Map<String, Set<String>> uses) {
        List<String> found = new ArrayList<>();
        for (String start : uses.keySet()) {
            Deque<List<String>> paths = new ArrayDeque<>();
            paths.add(List.of(start));
            Set<String> seen = new TreeSet<>();
            while (!paths.isEmpty()) {
                List<String> path = paths.poll();
                for (String next : uses.getOrDefault(path.get(path.size() - 1), Set.of())) {
                    List<String> longer = new ArrayList<>(path);
                    longer.add(next);
                    if (next.equals(start)) found.add(String.join(" -> ", longer));
                    else if (seen.add(next)) paths.add(longer);
                }
            }
        }
        return found;
    }
}
