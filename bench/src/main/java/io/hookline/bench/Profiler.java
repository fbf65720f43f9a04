package io.hookline.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * With {@code --profile}: a JFR recording of the server during one scenario ({@code jcmd JFR.start} with the JDK's
 * profile settings, and waits recorded from 1 ms instead of 10), saved as {@code <out>/<scenario>.jfr} with a text
 * summary beside it: where the server's threads were sampled on CPU (by thread pool, top frame, and method anywhere
 * on the stack), and where they waited (parks, monitors, socket reads and writes), by the Hookline method waiting.
 */
final class Profiler {
    private final HooklineProcess server;
    private final Path file;
    private final Map<String, Double> cpuAtStart;

    private Profiler(HooklineProcess server, Path file, Map<String, Double> cpuAtStart) {
        this.server = server;
        this.file = file;
        this.cpuAtStart = cpuAtStart;
    }

    static Profiler start(Setup s, HooklineProcess server, String name) throws Exception {
        if (!s.profile()) return new Profiler(null, null, null);
        Path file = s.outDir().resolve(s.engine().tag(name) + ".jfr").toAbsolutePath();
        Path settings = s.work().resolve("bench-profile.jfc").toAbsolutePath();
        if (!Files.exists(settings)) {
            String jfc = Files.readString(Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc"));
            jfc = jfc.replaceAll("(control=\"(locking|socket)-threshold\">)[^<]*<", "$11 ms<");
            Files.writeString(settings, jfc);
        }
        server.jcmd("JFR.start", "name=bench-" + file.getFileName().toString().replace(".jfr", ""),
                "settings=" + settings);
        return new Profiler(server, file, server.cpuByThread());
    }

    void stop() throws Exception {
        if (server == null) return;
        String name = file.getFileName().toString().replace(".jfr", "");
        Map<String, Double> cpu = server.cpuByThread();
        server.jcmd("JFR.stop", "name=bench-" + name, "filename=" + file);
        Path summary = file.resolveSibling(name + "-profile.txt");
        StringBuilder sb = new StringBuilder("Server CPU seconds during the scenario, by thread (from /proc):\n");
        cpu.forEach((k, v) -> cpu.put(k, v - cpuAtStart.getOrDefault(k, 0.0)));
        cpu.entrySet().stream().filter(en -> en.getValue() >= 0.01)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(en -> sb.append(String.format("%8.2f s  %s%n", en.getValue(), en.getKey())));
        Files.writeString(summary, sb + "\n" + summarize(file, 30));
        System.out.println("  profile: " + file + " (summary: " + summary + ")");
    }

    /** Top frames of execution samples (Java) and native-method samples. */
    static String summarize(Path jfr, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> nativeSelf = new HashMap<>();
        Map<String, Double> waits = new HashMap<>();
        int samples = 0;
        int nativeSamples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String type = e.getEventType().getName();
            if (WAITS.contains(type)) {
                wait(e, type, waits);
                continue;
            }
            boolean java = type.equals("jdk.ExecutionSample");
            if (!java && !type.equals("jdk.NativeMethodSample")) continue;
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) continue;
            List<RecordedFrame> frames = st.getFrames();
            if (java) {
                samples++;
                self.merge(name(frames.get(0)), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (seen.add(n)) total.merge(n, 1, Integer::sum);
                }
                String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
                threads.merge(thread == null ? "?" : thread.replaceAll("-?\\d+$", "-N"), 1, Integer::sum);
            } else {
                nativeSamples++;
                nativeSelf.merge(name(frames.get(0)) + " <- " + name(frames.get(Math.min(1, frames.size() - 1))),
                        1, Integer::sum);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("JFR ").append(jfr.getFileName()).append(": ").append(samples).append(" Java samples, ")
                .append(nativeSamples).append(" native-method samples\n");
        section(sb, "Java samples by thread", threads, samples, top);
        section(sb, "Top frames (self)", self, samples, top);
        section(sb, "Methods on the stack (total), io.hookline / sqlite / jdbi / jetty / jersey / httpclient",
                total.entrySet().stream().filter(en -> interesting(en.getKey()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), samples, top);
        section(sb, "Native-method samples (top frame <- caller)", nativeSelf, nativeSamples, top);
        sb.append("\n== Waits of 1 ms or more, seconds summed (thread pool | event | waiting in) ==\n");
        waits.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top)
                .forEach(en -> sb.append(String.format("%8.2f s  %s%n", en.getValue(), en.getKey())));
        return sb.toString();
    }

    private static final Set<String> WAITS = Set.of("jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait",
            "jdk.SocketRead", "jdk.SocketWrite");

    /**
     * Adds a wait to its group: the thread pool, the event type, and the innermost Hookline frame (or, for threads
     * that were only idle in a library, the innermost frame outside java.*).
     */
    private static void wait(RecordedEvent e, String type, Map<String, Double> waits) {
        RecordedStackTrace st = e.getStackTrace();
        String where = "(idle)";
        if (st != null) {
            String firstOther = null;
            for (RecordedFrame f : st.getFrames()) {
                String n = name(f);
                if (n.startsWith("io.hookline")) {
                    where = n + ":" + f.getLineNumber();
                    firstOther = null;
                    break;
                }
                if (firstOther == null && !n.startsWith("java.") && !n.startsWith("jdk.") && !n.startsWith("sun.")) {
                    firstOther = n;
                }
            }
            if (firstOther != null) where = "(idle/library) " + firstOther;
        }
        String thread = e.getThread("eventThread") == null ? "?" : e.getThread("eventThread").getJavaName();
        thread = thread == null ? "?" : thread.replaceAll("-?\\d+$", "-N");
        waits.merge(thread + " | " + type.substring(4) + " | " + where, e.getDuration().toNanos() / 1e9, Double::sum);
    }

    private static boolean interesting(String method) {
        return method.startsWith("io.hookline") || method.startsWith("org.sqlite") || method.startsWith("org.jdbi")
                || method.startsWith("org.eclipse.jetty.server") || method.startsWith("org.glassfish.jersey.server")
                || method.startsWith("org.apache.hc.client5") || method.startsWith("com.fasterxml.jackson.databind");
    }

    private static void section(StringBuilder sb, String title, Map<String, Integer> counts, int of, int top) {
        sb.append("\n== ").append(title).append(" ==\n");
        Map<String, Integer> sorted = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        sorted.forEach((k, v) -> sb.append(String.format("%6d %5.1f%%  %s%n", v, of == 0 ? 0 : 100.0 * v / of, k)));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** {@code java -cp hookline-bench.jar io.hookline.bench.Profiler file.jfr}: prints the summary of a recording. */
    public static void main(String[] args) throws IOException {
        for (String a : args) System.out.println(summarize(Path.of(a), 40));
    }
}
