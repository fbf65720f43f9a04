package io.hookline.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Hookline benchmarks, run by {@code scripts/bench}. Starts the built service as separate processes on
 * loopback, drives it from this process with receivers in this process, and prints every figure beside a baseline
 * measured in the same run, as a Markdown table; the same figures go to {@code <out>/<time>-<mode>.json}.
 *
 * <pre>
 * java -jar hookline-bench.jar --server-jar core/target/hookline.jar --config config.yml --plugins DIR
 *     [--quick] [--only ingest,latency,fanout,footprint,nodes,failover] [--profile] [--out bench-results]
 *     [--work DIR] [--server-jvm-arg ARG]... [--command TEXT] [--commit TEXT] [--pg-url JDBC-URL] [--pg-pid PID]
 * </pre>
 *
 * With {@code --pg-url} (a PostgreSQL server where that user may create databases), scenarios 1–5 run on SQLite and
 * then on PostgreSQL, each figure shown beside SQLite's (6), and two more run: ingest and fan-out with 1, 2 and 3
 * nodes on one database (7) and a node killed while it holds leases (8). {@code --pg-pid}, the PostgreSQL server's
 * postmaster on this machine, adds its CPU to the figures.
 *
 * Servers:
 * <ul>
 *   <li>"ingest": config defaults ({@code minIntervalMs} 5000) — scenario 1;</li>
 *   <li>"deliver": {@code minIntervalMs} 0, {@code maxRetries} 0, {@code webhooks.requestTimeout} 1s — scenarios 2,
 *       3 and 4 (the timeout and retries matter only to 4, but must be the same for 3, its reference);</li>
 *   <li>"footprint": config defaults — scenario 5;</li>
 *   <li>"pg-*": the same on PostgreSQL, each on a fresh database — scenario 6;</li>
 *   <li>"nodes-*": config defaults, on SQLite or n nodes on a fresh PostgreSQL database — scenario 7;</li>
 *   <li>"failover-*": {@code minIntervalMs} 0, a long request timeout, a short lease time — scenario 8.</li>
 * </ul>
 */
public final class Bench {
    private static final List<String> SCENARIOS = List.of("ingest", "latency", "fanout", "footprint", "nodes",
            "failover");
    private static final Set<String> NEED_POSTGRES = Set.of("nodes", "failover");
    private static final String DELIVERY_TIMEOUT = "1s";
    private static final double DELIVERY_TIMEOUT_SECONDS = 1.0;

    private Bench() {
    }

    public static void main(String[] argv) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Map<String, List<String>> args = parse(argv);
        boolean quick = args.containsKey("quick");
        Sizes sizes = quick ? Sizes.quick() : Sizes.full();
        String pgUrl = one(args, "pg-url", null);
        List<String> only = args.containsKey("only") ? Arrays.asList(one(args, "only", "").split(","))
                : pgUrl == null ? SCENARIOS.subList(0, 4) : SCENARIOS;
        for (String o : only) {
            if (!SCENARIOS.contains(o)) throw new IllegalArgumentException("unknown scenario " + o + "; use " + SCENARIOS);
            if (NEED_POSTGRES.contains(o) && pgUrl == null) {
                throw new IllegalArgumentException(o + " needs PostgreSQL (--postgres or --pg-url)");
            }
        }
        PostgresDatabases databases = pgUrl == null ? null : new PostgresDatabases(pgUrl);
        if (args.containsKey("pg-pid")) PostgresCpu.watch(Long.parseLong(one(args, "pg-pid", "")));
        List<Engine> engines = databases == null ? List.of(Engine.SQLITE)
                : List.of(Engine.SQLITE, Engine.postgres(databases));
        Path out = Path.of(one(args, "out", "bench-results"));
        Path work = Files.createDirectories(Path.of(one(args, "work",
                Files.createTempDirectory("hookline-bench").toString())));
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path runDir = Files.createDirectories(out.resolve(stamp + "-" + sizes.mode()));
        List<String> jvmArgs = args.getOrDefault("server-jvm-arg", List.of());

        // Bounded whatever happens: past this, stop (the shutdown hook stops the servers). With PostgreSQL, scenario 7
        // warms each configuration until its JIT compilers settle, as long in a quick run as in a full one.
        long limitSeconds = databases == null ? (quick ? 300 : 1500) : (quick ? 1200 : 3000);
        Thread watchdog = new Thread(() -> {
            try {
                TimeUnit.SECONDS.sleep(limitSeconds);
                System.err.println("bench: over " + limitSeconds + " s, stopping");
                System.exit(3);
            } catch (InterruptedException ignored) {
                // finished in time
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        Results results = new Results();
        // Scenarios 1-5 on PostgreSQL: shown only beside the same figures on SQLite (scenario 6).
        Results onPostgres = new Results();
        Machine.describe(results, sizes, args);
        long t0 = System.nanoTime();
        boolean failed = false;
        try (Receiver receiver = new Receiver((long) (DELIVERY_TIMEOUT_SECONDS * 1000) + 4000)) {
            Setup s = new Setup(Path.of(one(args, "server-jar", "core/target/hookline.jar")),
                    Path.of(one(args, "config", "config.yml")), Path.of(one(args, "plugins", "plugins-installed")),
                    work, runDir, receiver, sizes, args.containsKey("profile"), Engine.SQLITE);
            System.out.printf("Hookline benchmarks (%s), receivers on 127.0.0.1:%d, work dir %s%n", sizes.mode(),
                    receiver.port(), work);
            // Each scenario on SQLite, then at once on PostgreSQL: the two figures are measured close together.
            if (only.contains("ingest")) {
                for (Engine e : engines) {
                    Results r = e.isPostgres() ? onPostgres : results;
                    failed |= !step(title("1. ingest", e), () -> IngestScenario.run(s.on(e), r, jvmArgs));
                }
            }
            if (only.contains("latency") || only.contains("fanout")) {
                for (Engine e : engines) failed |= !deliveries(s.on(e), e.isPostgres() ? onPostgres : results, only, jvmArgs);
            }
            if (only.contains("footprint")) {
                for (Engine e : engines) {
                    Results r = e.isPostgres() ? onPostgres : results;
                    failed |= !step(title("5. footprint", e), () -> FootprintScenario.run(s.on(e), r, jvmArgs));
                }
            }
            if (only.contains("nodes")) {
                failed |= !step(NodesScenario.NAME, () -> NodesScenario.run(s, results, jvmArgs, databases));
            }
            if (only.contains("failover")) {
                failed |= !step(FailoverScenario.NAME, () -> FailoverScenario.run(s, results, jvmArgs, databases));
            }
        } finally {
            if (databases != null) databases.dropAll();
        }
        if (!onPostgres.rows().isEmpty()) {
            System.out.println("== " + EngineComparison.NAME);
            EngineComparison.add(results.rows(), onPostgres.rows(), results);
        }
        results.context("elapsedSeconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        results.context("loadAverageAtEnd", Machine.loadAverage());
        if (quick) {
            results.note("--quick: smaller counts (fan-out " + String.format("%,d", sizes.fanoutWebhooks())
                    + " webhooks over " + sizes.fanoutUsers() + " users, footprint "
                    + String.format("%,d", sizes.footprintWebhooks()) + " webhooks, " + sizes.ingestSeconds()
                    + " s per ingest cell); targets are stated for the full sizes.");
        }
        if (databases != null && !Double.isFinite(PostgresCpu.seconds())) {
            results.note("PostgreSQL's own CPU is not measured (a server elsewhere): CPU figures are Hookline's.");
        }
        results.note("Shared machine: other engineers' builds may run at the same time (load average at start "
                + Machine.startLoad + ", at end " + Machine.loadAverage() + "); the baselines are measured in the same "
                + "run so that ratios stay meaningful.");
        String table = results.markdown();
        System.out.println();
        System.out.println(table);
        results.writeJson(runDir.resolve("results.json"));
        Files.writeString(runDir.resolve("results.md"), Machine.header() + "\n" + table);
        System.out.println("Results: " + runDir.resolve("results.json") + " and results.md");
        System.out.printf("Took %.0f s%n", (System.nanoTime() - t0) / 1e9);
        watchdog.interrupt();
        System.exit(failed ? 1 : 0);
    }

    /** Scenarios 2, 3 and 4 on one "deliver" server; returns whether all of them ran. */
    private static boolean deliveries(Setup s, Results results, List<String> only, List<String> jvmArgs) {
        boolean ok = true;
        Engine e = s.engine();
        HooklineProcess deliver = null;
        try {
            deliver = HooklineProcess.start(s, new HooklineProcess.Options("deliver", 0, 0, DELIVERY_TIMEOUT,
                    jvmArgs));
            HooklineProcess server = deliver;
            ok &= step(title("warm-up of the delivery server", e), () -> LatencyScenario.warmUp(s, server));
            if (only.contains("latency")) {
                ok &= step(title("2. notification latency", e), () -> LatencyScenario.run(s, server, results));
                ok &= step(title("1. ingest, deliveries running", e),
                        () -> IngestScenario.withDeliveries(s, server, results));
            }
            if (only.contains("fanout")) {
                ok &= step(title("3. fan-out and 4. isolation", e), () -> FanoutScenario.run(s, server, results,
                        DELIVERY_TIMEOUT, DELIVERY_TIMEOUT_SECONDS));
            }
        } catch (Exception ex) {
            ok = false;
            System.err.println("! delivery server" + (e.isPostgres() ? " on PostgreSQL" : "") + ": " + ex);
        } finally {
            if (deliver != null) deliver.close();
        }
        return ok;
    }

    private static String title(String scenario, Engine e) {
        return e.isPostgres() ? scenario + " — on PostgreSQL" : scenario;
    }

    interface Step {
        void run() throws Exception;
    }

    /** Runs one scenario; a failure is reported and the other scenarios still run. */
    private static boolean step(String name, Step step) {
        System.out.println("== " + name);
        long t0 = System.nanoTime();
        try {
            step.run();
            System.out.printf("   (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
            return true;
        } catch (Exception | Error e) {
            System.err.println("! " + name + " failed: " + e);
            e.printStackTrace();
            return false;
        }
    }

    private static Map<String, List<String>> parse(String[] argv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a);
            String key = a.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (!key.equals("quick") && !key.equals("profile")) {
                if (i + 1 >= argv.length) throw new IllegalArgumentException(a + " needs a value");
                value = argv[++i];
            }
            m.computeIfAbsent(key, k -> new ArrayList<>());
            if (value != null) m.get(key).add(value);
        }
        return m;
    }

    static String one(Map<String, List<String>> args, String key, String dflt) {
        List<String> v = args.get(key);
        return v == null || v.isEmpty() ? dflt : v.get(v.size() - 1);
    }
}
