package io.hookline.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server under test: the built service jar, run as its own process ({@code java -jar hookline.jar server
 * config.yml}) on free loopback ports with a temporary database, plugins from a temporary directory, and loopback
 * allowed as a webhook target. Being a separate process is what lets the bench read its resident memory from
 * {@code /proc} and its heap from {@code jcmd}.
 *
 * <p>Every started process is stopped by {@link #close()}, and by a JVM shutdown hook if the bench dies first;
 * its pid is also written to {@code <work>/server.pids} so that {@code scripts/bench} can stop it if the bench is
 * killed outright.
 */
final class HooklineProcess implements AutoCloseable {
    private static final Set<HooklineProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(HooklineProcess::close), "stop-servers"));
    }

    /**
     * How to start one server; {@code dbUrl}, when set, is the PostgreSQL database it runs on instead of SQLite, and
     * {@code leaseTime}, when set, its {@code webhooks.leaseTime} (e.g. "5 seconds").
     */
    record Options(String name, long minIntervalMs, int maxRetries, String requestTimeout, List<String> jvmArgs,
                   String dbUrl, String leaseTime) {
        Options(String name, long minIntervalMs, int maxRetries, String requestTimeout, List<String> jvmArgs) {
            this(name, minIntervalMs, maxRetries, requestTimeout, jvmArgs, null, null);
        }

        /** The same server on a PostgreSQL database (a JDBC URL). */
        Options onPostgres(String url) {
            return new Options(name, minIntervalMs, maxRetries, requestTimeout, jvmArgs, url, leaseTime);
        }

        /** The same server under another name (its folder under the work directory). */
        Options named(String other) {
            return new Options(other, minIntervalMs, maxRetries, requestTimeout, jvmArgs, dbUrl, leaseTime);
        }

        /** The same server with another lease time (PostgreSQL). */
        Options withLeaseTime(String time) {
            return new Options(name, minIntervalMs, maxRetries, requestTimeout, jvmArgs, dbUrl, time);
        }
    }

    final String name;
    /** Whether it keeps its data in PostgreSQL (then the database server's CPU is part of its cost). */
    final boolean onPostgres;
    /** Its PostgreSQL database, or null on SQLite. */
    private final String dbUrl;
    final int port;
    final int adminPort;
    final String adminKey;
    final Path dir;
    final Path log;
    /** Seconds from process start to the first request the API answered. */
    final double startupSeconds;
    /** Wall-clock time of the process start, to place the server's log lines. */
    final long startedAtMillis;
    private final Process process;

    private HooklineProcess(String name, String dbUrl, int port, int adminPort, String adminKey, Path dir,
                            Path log, Process process, double startupSeconds, long startedAtMillis) {
        this.name = name;
        this.onPostgres = dbUrl != null;
        this.dbUrl = dbUrl;
        this.port = port;
        this.adminPort = adminPort;
        this.adminKey = adminKey;
        this.dir = dir;
        this.log = log;
        this.process = process;
        this.startupSeconds = startupSeconds;
        this.startedAtMillis = startedAtMillis;
    }

    /** Starts a server on the setup's engine (see {@link Engine#place}) and waits until it answers. */
    static HooklineProcess start(Setup setup, Options options) throws Exception {
        Options o = setup.engine().place(options);
        Path dir = Files.createDirectories(setup.work().resolve(o.name()));
        int port = freePort();
        int adminPort = freePort();
        String key = "bench-admin-" + Long.toHexString(System.nanoTime()) + "-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(o.jvmArgs());
        if (o.requestTimeout() != null) cmd.add("-Ddw.webhooks.requestTimeout=" + o.requestTimeout());
        cmd.addAll(List.of("-jar", setup.serverJar().toString(), "server", setup.config().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Path log = dir.resolve("server.log");
        pb.redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("HOOKLINE_PORT", Integer.toString(port));
        env.put("HOOKLINE_ADMIN_PORT", Integer.toString(adminPort));
        env.put("HOOKLINE_BIND", "127.0.0.1");
        env.put("HOOKLINE_ADMIN_BIND", "127.0.0.1");
        env.put("HOOKLINE_DB", dir.resolve("hookline.db").toString());
        if (o.dbUrl() != null) env.put("HOOKLINE_DB_URL", o.dbUrl());
        if (o.leaseTime() != null) env.put("HOOKLINE_LEASE_TIME", o.leaseTime());
        env.put("HOOKLINE_ADMIN_KEY", key);
        env.put("HOOKLINE_PLUGINS_DIR", setup.pluginsDir().toString());
        env.put("HOOKLINE_ALLOWED_NETWORKS", "127.0.0.0/8");
        env.put("HOOKLINE_MIN_INTERVAL_MS", Long.toString(o.minIntervalMs()));
        env.put("HOOKLINE_MAX_RETRIES", Integer.toString(o.maxRetries()));
        env.put("HOOKLINE_LOG_LEVEL", "INFO");

        long t0 = System.nanoTime();
        long wall0 = System.currentTimeMillis();
        Process p = pb.start();
        Files.writeString(setup.work().resolve("server.pids"), p.pid() + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        // Start-up ends at the first request the API answers (an unknown user's 404 is an answer).
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        double startup = -1;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("server " + o.name() + " exited with " + p.exitValue() + "; log:\n" + tail(log));
            }
            try (Http http = new Http(port, 2_000)) {
                int status = http.get("/bench-probe/access-info", null).status();
                if (status > 0) {
                    startup = (System.nanoTime() - t0) / 1e9;
                    break;
                }
            } catch (IOException notYet) {
                Thread.sleep(5);
            }
        }
        HooklineProcess hp = new HooklineProcess(o.name(), o.dbUrl(), port, adminPort, key, dir, log, p, startup, wall0);
        LIVE.add(hp);
        if (startup < 0) {
            hp.close();
            throw new IOException("server " + o.name() + " did not answer within 60 s; log:\n" + tail(log));
        }
        return hp;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Kills the server outright (SIGKILL), as a crash or a lost machine would, and waits until it is gone. */
    void kill() throws InterruptedException {
        LIVE.remove(this);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** A gauge of the server's admin {@code /metrics}, e.g. {@code hookline.deliveries.leases}; NaN if absent. */
    double gauge(String name) throws IOException {
        return gauges(name)[0];
    }

    /** Gauges of the server's admin {@code /metrics}, read in one request, in the order named; NaN where absent. */
    double[] gauges(String... names) throws IOException {
        try (Http http = new Http(adminPort)) {
            Http.Response r = http.get("/metrics", null);
            if (r.status() != 200) throw new IOException(this.name + " /metrics: " + r.status());
            var all = Api.JSON.readTree(r.body()).path("gauges");
            double[] out = new double[names.length];
            for (int i = 0; i < names.length; i++) out[i] = all.path(names[i]).path("value").asDouble(Double.NaN);
            return out;
        }
    }

    /** Resident set size in MiB, from /proc/&lt;pid&gt;/status (VmRSS). */
    double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for " + pid());
    }

    /**
     * CPU time (user + system) the server has used so far, in seconds, from /proc/&lt;pid&gt;/stat. Unlike wall
     * time, CPU per request or per delivery hardly depends on what else runs on the machine.
     */
    double cpuSeconds() {
        return cpuSeconds(pid());
    }

    /** CPU seconds used so far by process {@code pid} (this one too: {@code ProcessHandle.current().pid()}). */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU seconds used so far per kind of server thread, from /proc/&lt;pid&gt;/task/*&#47;stat: thread names (which the
     * kernel cuts at 15 characters) with their numbers dropped, e.g. "C2 CompilerThre", "dw-", "hookline-writer".
     */
    Map<String, Double> cpuByThread() throws IOException {
        Map<String, Double> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[-#]?\\d+", "");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
                out.merge(name, cpu, Double::sum);
            }
        }
        return out;
    }

    /** CPU seconds the JIT compilers have used so far (threads "C1/C2 CompilerThread"). */
    double compilerCpuSeconds() throws IOException {
        return compilers(cpuByThread());
    }

    /** Of a CPU figure by thread kind ({@link #cpuByThread}'s names), the JIT compiler threads' part. */
    static double compilers(Map<String, Double> byThread) {
        return byThread.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    static final int CLOCK_TICKS = clockTicks();

    private static int clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return Integer.parseInt(out);
        } catch (Exception e) {
            return 100;
        }
    }

    /** Heap figures from {@code jcmd <pid> GC.heap_info}, in MiB: used, committed, metaspace used. */
    Map<String, Double> heapInfo() throws IOException, InterruptedException {
        String out = jcmd("GC.heap_info");
        Map<String, Double> m = new LinkedHashMap<>();
        Matcher heap = Pattern.compile("heap\\s+total (\\d+)K, used (\\d+)K").matcher(out);
        if (heap.find()) {
            m.put("heapCommittedMiB", Long.parseLong(heap.group(1)) / 1024.0);
            m.put("heapUsedMiB", Long.parseLong(heap.group(2)) / 1024.0);
        }
        Matcher meta = Pattern.compile("Metaspace\\s+used (\\d+)K").matcher(out);
        if (meta.find()) m.put("metaspaceUsedMiB", Long.parseLong(meta.group(1)) / 1024.0);
        return m;
    }

    /** Runs a diagnostic command in the server, e.g. {@code GC.run} or {@code JFR.start ...}; returns its output. */
    String jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(pid()));
        cmd.addAll(List.of(command));
        Process j = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = j.getInputStream().readAllBytes();
        if (!j.waitFor(60, TimeUnit.SECONDS)) j.destroyForcibly();
        return new String(out, StandardCharsets.UTF_8);
    }

    String logTail() {
        return tail(log);
    }

    private static final Pattern LOG_TIME = Pattern.compile("\\[(\\d{4}-\\d\\d-\\d\\d)[ T](\\d\\d:\\d\\d:\\d\\d)[,.](\\d{3})");

    /**
     * The server's log lines up to the end of start-up, each prefixed with its offset from the process start
     * ("+2.31 s Migrations: ..."): where start-up time goes. The log's timestamps are UTC (config.yml).
     */
    List<String> startupLog() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = LOG_TIME.matcher(line);
            if (!m.find()) continue;
            long at = java.time.LocalDateTime.parse(m.group(1) + "T" + m.group(2) + "." + m.group(3))
                    .toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
            double offset = (at - startedAtMillis) / 1000.0;
            if (offset > startupSeconds + 1) break;
            String text = line.substring(m.end()).replaceFirst("^\\]\\s*", "");
            out.add(String.format(java.util.Locale.ROOT, "+%.2f s %s", offset,
                    text.length() > 120 ? text.substring(0, 120) : text));
        }
        out.add(String.format(java.util.Locale.ROOT, "+%.2f s first request served", startupSeconds));
        return out;
    }

    /**
     * On PostgreSQL, refreshes the planner's statistics of its database after the bench filled it
     * ({@link PostgresDatabases#analyze}); on SQLite nothing.
     */
    void analyzeDatabase() throws java.sql.SQLException {
        if (dbUrl != null) PostgresDatabases.analyze(dbUrl);
    }

    /** Stops the server: SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        LIVE.remove(this);
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
