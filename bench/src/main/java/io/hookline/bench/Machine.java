package io.hookline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine and run the figures come from: CPUs, memory, CPU model, Java, load, command. */
final class Machine {
    static String startLoad = "?";
    private static final Map<String, Object> INFO = new LinkedHashMap<>();

    private Machine() {
    }

    static void describe(Results results, Sizes sizes, Map<String, List<String>> args) {
        startLoad = loadAverage();
        INFO.put("date", OffsetDateTime.now(ZoneOffset.UTC).withNano(0).toString());
        INFO.put("mode", sizes.mode());
        INFO.put("command", Bench.one(args, "command", "scripts/bench" + (sizes.mode().equals("quick") ? " --quick" : "")));
        INFO.put("commit", Bench.one(args, "commit", "?"));
        INFO.put("cpus", Runtime.getRuntime().availableProcessors());
        INFO.put("cpuModel", cpuModel());
        INFO.put("memory", memTotal());
        INFO.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        INFO.put("loadAverageAtStart", startLoad);
        INFO.forEach(results::context);
    }

    /** A Markdown paragraph describing the machine and the run. */
    static String header() {
        return "Run " + INFO.get("date") + " (" + INFO.get("mode") + "), `" + INFO.get("command") + "`, commit "
                + INFO.get("commit") + "\n\nMachine: " + INFO.get("cpus") + " CPUs (" + INFO.get("cpuModel") + "), "
                + INFO.get("memory") + ", " + INFO.get("java") + "; load average at start " + startLoad + ", at end "
                + loadAverage() + " (shared machine).\n";
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) return l.substring(l.indexOf(':') + 1).trim();
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return "?";
    }

    private static String memTotal() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return String.format("%.1f GiB RAM", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0);
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return "?";
    }
}
