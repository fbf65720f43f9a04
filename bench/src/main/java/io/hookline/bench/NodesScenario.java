package io.hookline.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * 7. PostgreSQL nodes: the ingest target cell (events.create, c=16, 10 webhooks; one user), the same load written by
 * 16 users each routed to one node, and a fan-out (one change per user, 10 webhooks each, half of scenario 3's
 * users) on SQLite, then on one PostgreSQL database with 1, 2 and 3 nodes, the load spread over the nodes
 * (sender w talks to node w mod n). Each configuration gets a fresh database and fresh nodes, started one after the
 * other (the first migrates) and warmed up the same way. Config defaults ({@code minIntervalMs} 5000): the fan-out's
 * webhooks are new and each delivers once, so the throttle does not hold them back. CPU per event or per delivery
 * is the nodes' CPU summed; PostgreSQL's own is shown beside it when measured ({@link PostgresCpu}). The ingest cell
 * is also paced at a rate every configuration carries ({@link #PACED_PER_SECOND}), and one node also at each of
 * three nodes' share of it: CPU per event read on a machine that is not saturated. The database is analyzed before
 * the measured fan-out, whose webhooks were created seconds before ({@link PostgresDatabases#analyze}); the fan-out
 * rows say how much of their CPU per delivery the nodes' JIT compilers used. Last, the one-user cell again on the
 * 1-node and 3-node configurations, both kept running and loaded in turns ({@link #inTurns}): the target
 * for more nodes is read there.
 */
final class NodesScenario {
    static final String NAME = "7. PostgreSQL nodes";
    private static final int CONCURRENCY = 16;
    private static final int WEBHOOKS = 10;
    private static final int MAX_NODES = 3;
    /**
     * The paced ingest cell's rate: about half of what three nodes carry here, so that no configuration saturates
     * the two cores and its CPU per event is the work's, not the cost of processes taking turns on them.
     */
    private static final double PACED_PER_SECOND = 1000;

    /**
     * What one configuration measured: the ingest cell with one user, the same load paced at
     * {@link #PACED_PER_SECOND} and (one PostgreSQL node only, else null) at a share of it as large as each of
     * {@link #MAX_NODES} nodes gets, the routed cell, and the fan-out with its CPU per delivery by thread kind
     * (summed over the nodes, largest first).
     */
    private record Measured(Cell ingest, Cell paced, Cell pacedShare, Cell routed, FanoutScenario.Burst fanout,
                            Map<String, Double> fanoutByThread) {
    }

    /**
     * An ingest cell after its warm-up. {@code byThread}: its CPU per event by thread kind (names as {@code /proc}
     * gives them, numbers left out), summed over the nodes, largest first.
     */
    private record Cell(Load.Result load, double warmupSeconds, Map<String, Double> byThread, Commits commits) {
        /** Of the cell's CPU per event, what the nodes' JIT compiler threads used. */
        double compilerMsPerEvent() {
            return HooklineProcess.compilers(byThread);
        }
    }

    /** A load over the nodes for the given seconds, after a warm-up of the given seconds. */
    private interface IngestLoad {
        Load.Result run(double warmupSeconds, double seconds) throws Exception;
    }

    /**
     * Warm-up rounds of load; the compilers have settled when {@link #SETTLED_ROUNDS} rounds in a row each cost every
     * node less than {@link #SETTLED_COMPILER_SHARE} of a core. One quiet round is not enough: a JVM's compilations
     * come in bursts (one node was measured compiling 0.14 ms per event after a single quiet round), and a node
     * compiles for 60 to 90 s of steady load on two cores before it is done.
     */
    private static final double WARM_ROUND_SECONDS = 3;
    private static final double SETTLED_COMPILER_SHARE = 0.05;
    private static final int SETTLED_ROUNDS = 3;
    private static final int MAX_WARM_ROUNDS = 40;

    /**
     * Runs the load in rounds, at least the size's server warm-up, until the compilers have settled (at most
     * {@link #MAX_WARM_ROUNDS} rounds), then measures the cell. Every cell warms this way: a new kind of load (other
     * users, other tokens) makes the JVMs compile again, for seconds of CPU on two cores.
     */
    private static Cell warmAndMeasure(Setup s, List<HooklineProcess> servers, String name, IngestLoad load)
            throws Exception {
        Sizes z = s.sizes();
        double warmed = warm(s, servers, load);
        HooklineProcess first = servers.get(0);
        Profiler profiler = Profiler.start(s, first, first.name + "-" + name); // with --profile: the first node
        // Outside the CPU by thread below: each reading of the writers' counts is a /metrics request to every node.
        Commits committed = Commits.of(servers);
        Map<String, Double> before = cpuByThread(servers);
        Load.Result r = load.run(z.ingestWarmupSeconds(), z.ingestSeconds());
        profiler.stop();
        // Over the same requests as the cell's CPU per event (its own warm-up second included).
        Map<String, Double> byThread = perRequest(before, cpuByThread(servers), r.allRequests());
        return new Cell(r, warmed, byThread, Commits.of(servers).since(committed));
    }

    /** The warm-up of {@link #warmAndMeasure}: returns the seconds it took. */
    private static double warm(Setup s, List<HooklineProcess> servers, IngestLoad load) throws Exception {
        long start = System.nanoTime();
        load.run(0, s.sizes().serverWarmupSeconds());
        int quiet = 0;
        for (int round = 0; round < MAX_WARM_ROUNDS && quiet < SETTLED_ROUNDS; round++) {
            double[] before = new double[servers.size()];
            for (int i = 0; i < servers.size(); i++) before[i] = servers.get(i).compilerCpuSeconds();
            load.run(0, WARM_ROUND_SECONDS);
            boolean settled = true;
            for (int i = 0; i < servers.size(); i++) {
                double used = servers.get(i).compilerCpuSeconds() - before[i];
                if (used > SETTLED_COMPILER_SHARE * WARM_ROUND_SECONDS) settled = false;
            }
            quiet = settled ? quiet + 1 : 0;
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Turns of the target cell per configuration ({@link #inTurns}), and the seconds each turn is measured. */
    private static final int TURNS = 4;
    private static final double TURN_SECONDS = 8;

    /**
     * What one configuration carried over its turns together, each turn's events per second, and what its nodes'
     * writers committed meanwhile (the turns' warm-ups included): writes, and the transactions they shared.
     */
    private record Turns(Load.Result total, List<Long> eachPerSecond, Commits commits, double compilerSeconds) {
        static final Turns NONE = new Turns(null, List.of(), new Commits(0, 0), 0);

        Turns plus(Load.Result r, Commits c, double compiling) {
            List<Long> each = new ArrayList<>(eachPerSecond);
            each.add(Math.round(r.perSecond()));
            return new Turns(total == null ? r : total.plus(r), each, commits.plus(c), compilerSeconds + compiling);
        }

        /** Of the turns' CPU per event, what the nodes' JIT compiler threads used. */
        double compilerMsPerEvent() {
            return compilerSeconds * 1000 / total.allRequests();
        }
    }

    /** Writes and transactions committed, from the nodes' {@code hookline.writer.*} gauges. */
    private record Commits(double writes, double transactions) {
        static Commits of(List<HooklineProcess> servers) throws IOException {
            double writes = 0;
            double transactions = 0;
            for (HooklineProcess p : servers) {
                double[] g = p.gauges("hookline.writer.writes", "hookline.writer.transactions");
                writes += g[0];
                transactions += g[1];
            }
            return new Commits(writes, transactions);
        }

        Commits plus(Commits c) {
            return new Commits(writes + c.writes, transactions + c.transactions);
        }

        Commits since(Commits before) {
            return new Commits(writes - before.writes, transactions - before.transactions);
        }

        double perTransaction() {
            return writes / transactions;
        }
    }

    /** A configuration kept running after its cells, for {@link #inTurns}: its nodes and the one-user cell's user. */
    private record Running(List<HooklineProcess> servers, Api.User user) {
    }

    /**
     * The target cell (one user) on 1 node and on {@link #MAX_NODES} nodes: the two configurations measured above,
     * kept running (each on its own database), warmed again on that cell, then loaded in turns of
     * {@link #TURN_SECONDS} (1 node, 3, 3, 1, 1, 3, ...: each as often first of a pair as second). The rows measured
     * one configuration after another see the machine minutes apart, and this shared machine's speed moves by more
     * than the difference sought: SQLite's same ingest cell measured 5,014/s and 3,309/s in two runs 10 minutes apart
     * (BENCHMARKS.md, twenty-third runs). Turns see the same machine. PostgreSQL's CPU counts the idle
     * configuration's few statements (its polls) too.
     */
    private static Turns[] inTurns(Setup s, Running one, Running many) throws Exception {
        List<Running> configs = List.of(one, many);
        for (Running r : configs) {
            warm(s, r.servers(), (warmup, seconds) ->
                    IngestScenario.events(r.servers(), r.user(), CONCURRENCY, warmup, seconds));
        }
        Turns[] out = {Turns.NONE, Turns.NONE};
        for (int t = 0; t < TURNS * configs.size(); t++) {
            int k = t % 4 == 0 || t % 4 == 3 ? 0 : 1;
            Running r = configs.get(k);
            Commits before = Commits.of(r.servers());
            double compiledBefore = HooklineProcess.compilers(cpuByThread(r.servers()));
            Load.Result turn = IngestScenario.events(r.servers(), r.user(), CONCURRENCY,
                    s.sizes().ingestWarmupSeconds(), TURN_SECONDS);
            double compiling = HooklineProcess.compilers(cpuByThread(r.servers())) - compiledBefore;
            out[k] = out[k].plus(turn, Commits.of(r.servers()).since(before), compiling);
        }
        return out;
    }

    private NodesScenario() {
    }

    private static Map<String, Double> cpuByThread(List<HooklineProcess> servers) throws IOException {
        Map<String, Double> sum = new HashMap<>();
        for (HooklineProcess p : servers) p.cpuByThread().forEach((name, cpu) -> sum.merge(name, cpu, Double::sum));
        return sum;
    }

    /** Milliseconds per request used by each thread kind between the two readings, largest first. */
    private static Map<String, Double> perRequest(Map<String, Double> before, Map<String, Double> after,
                                                  long requests) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) * 1000 / requests))
                .filter(e -> e.getValue() >= 0.005)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
        return out;
    }

    static void run(Setup s, Results results, List<String> jvmArgs, PostgresDatabases databases) throws Exception {
        Measured sqlite = measure(s, 0, List.of(new HooklineProcess.Options("nodes-sqlite", 5000, 5, null, jvmArgs)),
                null);
        Map<Integer, Measured> pg = new LinkedHashMap<>();
        Map<Integer, Running> running = new HashMap<>();
        Turns[] turns;
        try {
            for (int n = 1; n <= MAX_NODES; n++) {
                String url = databases.fresh(n + "nodes");
                List<HooklineProcess.Options> nodes = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    nodes.add(new HooklineProcess.Options("nodes-pg" + n + "-" + i, 5000, 5, null, jvmArgs)
                            .onPostgres(url));
                }
                pg.put(n, measure(s, n, nodes, n == 1 || n == MAX_NODES ? running : null));
            }
            turns = inTurns(s, running.get(1), running.get(MAX_NODES));
        } finally {
            running.values().forEach(r -> r.servers().forEach(HooklineProcess::close));
        }

        String cell = "ingest (events.create, c=" + CONCURRENCY + ", " + WEBHOOKS + " webhooks)";
        ingestRows(results, cell, sqlite.ingest(), pg, Measured::ingest, true);
        turnsRow(results, cell, turns[0], turns[1]);
        String routedCell = "ingest (events.create, c=" + CONCURRENCY + ", " + CONCURRENCY + " users with "
                + WEBHOOKS + " webhooks each, each user's writes on one node)";
        ingestRows(results, routedCell, sqlite.routed(), pg, Measured::routed, false);
        pacedRows(results, sqlite.paced(), pg);

        Sizes z = s.sizes();
        String fanout = String.format("fan-out (%,d webhooks, %,d users)", fanoutUsers(z) * z.fanoutWebhooksPerUser(),
                fanoutUsers(z));
        FanoutScenario.Burst oneF = pg.get(1).fanout();
        results.add(new Results.Row(NAME, fanout + ", PostgreSQL, 1 node (" + arrived(oneF, z) + "; "
                + compilingFanout(pg.get(1)) + ")",
                oneF.summary(), oneF.deliveriesPerSecond(), "deliveries/s", "SQLite " + sqlite.fanout().summary()
                + " (" + arrived(sqlite.fanout(), z) + ")", sqlite.fanout().deliveriesPerSecond(), null, null,
                withThreads(details(oneF, sqlite.fanout()), pg.get(1))));
        for (int n = 2; n <= MAX_NODES; n++) {
            FanoutScenario.Burst b = pg.get(n).fanout();
            double cpuRatio = b.cpuMsPerDelivery() / oneF.cpuMsPerDelivery();
            boolean last = n == MAX_NODES;
            Map<String, Object> d = withThreads(details(b, oneF), pg.get(n));
            d.put("nodes", n);
            d.put("cpuPerDeliveryRatioToOneNode", cpuRatio);
            results.add(new Results.Row(NAME, fanout + ", PostgreSQL, " + n + " nodes (" + arrived(b, z)
                    + "; CPU per delivery " + Results.fmt(cpuRatio, 2) + "× 1 node's; " + compilingFanout(pg.get(n))
                    + ")", b.summary(),
                    b.deliveriesPerSecond(), "deliveries/s", "1 node " + oneF.summary(), oneF.deliveriesPerSecond(),
                    last ? "≥ 0.9× 1 node, CPU per delivery ≤ 1.2×" : null,
                    last ? b.deliveriesPerSecond() / oneF.deliveriesPerSecond() >= 0.9 && cpuRatio <= 1.2
                            && b.arrived() == fanoutUsers(z) * z.fanoutWebhooksPerUser() : null, d));
        }
    }

    /**
     * The rows of one ingest cell: 1 node beside SQLite, then more nodes beside 1 node; with {@code targets}, the
     * issue's target for one node (the one-user cell's). That of more nodes is read on the cell measured in turns
     * ({@link #turnsRow}): these rows see each configuration minutes apart.
     */
    private static void ingestRows(Results results, String cell, Cell sqlite, Map<Integer, Measured> pg,
                                   Function<Measured, Cell> which, boolean targets) {
        Cell oneCell = which.apply(pg.get(1));
        Load.Result one = oneCell.load();
        results.add(new Results.Row(NAME, cell + ", PostgreSQL, 1 node (" + compiling(oneCell) + ")",
                IngestScenario.summary(one),
                one.perSecond(), "req/s", "SQLite " + IngestScenario.summary(sqlite.load()),
                sqlite.load().perSecond(), targets ? "≥ 2,500/s and ≥ 0.5× SQLite" : null,
                targets ? one.perSecond() >= 2500 && one.perSecond() / sqlite.load().perSecond() >= 0.5 : null,
                withWarmup(IngestScenario.details(one, sqlite.load()), oneCell)));
        for (int n = 2; n <= MAX_NODES; n++) {
            Cell c = which.apply(pg.get(n));
            Load.Result r = c.load();
            double cpuRatio = r.cpuMsPerRequest() / one.cpuMsPerRequest();
            Map<String, Object> d = withWarmup(IngestScenario.details(r, one), c);
            d.put("nodes", n);
            d.put("cpuPerEventRatioToOneNode", cpuRatio);
            results.add(new Results.Row(NAME, cell + ", PostgreSQL, " + n + " nodes (CPU per event "
                    + Results.fmt(cpuRatio, 2) + "× 1 node's; " + compiling(c) + ")",
                    IngestScenario.summary(r), r.perSecond(), "req/s",
                    "1 node " + IngestScenario.summary(one), one.perSecond(), null, null, d));
        }
    }

    /** The target cell on {@link #MAX_NODES} nodes beside 1 node, measured in turns ({@link #inTurns}). */
    private static void turnsRow(Results results, String cell, Turns oneTurns, Turns manyTurns) {
        Load.Result one = oneTurns.total();
        Load.Result many = manyTurns.total();
        double cpuRatio = many.cpuMsPerRequest() / one.cpuMsPerRequest();
        Map<String, Object> d = IngestScenario.details(many, one);
        d.put("nodes", MAX_NODES);
        d.put("turns", TURNS);
        d.put("turnSeconds", TURN_SECONDS);
        d.put("cpuPerEventRatioToOneNode", cpuRatio);
        d.put("perSecondEachTurn", manyTurns.eachPerSecond());
        d.put("baselinePerSecondEachTurn", oneTurns.eachPerSecond());
        // Why the CPU per event differs, mostly: how many writes shared each commit (BENCHMARKS.md, twenty-fifth
        // runs).
        double shared = manyTurns.commits().perTransaction();
        double sharedOne = oneTurns.commits().perTransaction();
        if (Double.isFinite(shared)) d.put("writesPerTransaction", shared);
        if (Double.isFinite(sharedOne)) d.put("baselineWritesPerTransaction", sharedOne);
        // Compilers still at work after the warm-up would count against whichever configuration has them.
        d.put("compilerMsPerEvent", manyTurns.compilerMsPerEvent());
        d.put("baselineCompilerMsPerEvent", oneTurns.compilerMsPerEvent());
        results.add(new Results.Row(NAME, cell + ", PostgreSQL, " + MAX_NODES + " nodes beside 1 node, measured in "
                + "turns (" + TURNS + " of " + Results.fmt(TURN_SECONDS, 0) + " s each; CPU per event "
                + Results.fmt(cpuRatio, 2) + "× 1 node's; writes per transaction " + Results.fmt(shared, 1)
                + " against " + Results.fmt(sharedOne, 1) + "; JIT compilers " + Results.fmt(manyTurns
                .compilerMsPerEvent(), 2) + " against " + Results.fmt(oneTurns.compilerMsPerEvent(), 2)
                + " ms of the CPU per event)", IngestScenario.summary(many), many.perSecond(),
                "req/s", "1 node " + IngestScenario.summary(one), one.perSecond(),
                "≥ 0.9× 1 node, CPU per event ≤ 1.2×",
                many.perSecond() / one.perSecond() >= 0.9 && cpuRatio <= 1.2, d));
    }

    /**
     * The paced cell's rows: CPU per event (server, and PostgreSQL's beside it) of 1 node beside SQLite, then of more
     * nodes beside 1 node. No target: the is the closed-loop cell's; this one shows what the nodes cost
     * when the machine is not saturated.
     */
    private static void pacedRows(Results results, Cell sqlite, Map<Integer, Measured> pg) {
        String cell = String.format("ingest paced at %,.0f events/s (events.create, c=%d, %d webhooks), CPU per event",
                PACED_PER_SECOND, CONCURRENCY, WEBHOOKS);
        Load.Result one = pg.get(1).paced().load();
        results.add(new Results.Row(NAME, cell + ", PostgreSQL, 1 node" + behind(one, PACED_PER_SECOND),
                IngestScenario.summary(one),
                one.cpuMsPerRequest(), "ms/event", "SQLite " + IngestScenario.summary(sqlite.load()),
                sqlite.load().cpuMsPerRequest(), null, null,
                withWarmup(IngestScenario.details(one, sqlite.load()), pg.get(1).paced())));
        for (int n = 2; n <= MAX_NODES; n++) {
            Cell c = pg.get(n).paced();
            Load.Result r = c.load();
            Map<String, Object> d = withWarmup(IngestScenario.details(r, one), c);
            d.put("nodes", n);
            double dbRatio = r.databaseCpuMsPerRequest() / one.databaseCpuMsPerRequest();
            if (Double.isFinite(dbRatio)) d.put("databaseCpuPerEventRatioToOneNode", dbRatio);
            results.add(new Results.Row(NAME, cell + ", PostgreSQL, " + n + " nodes"
                    + (Double.isFinite(dbRatio) ? " (PostgreSQL's " + Results.fmt(dbRatio, 2) + "× 1 node's)" : "")
                    + behind(r, PACED_PER_SECOND),
                    IngestScenario.summary(r), r.cpuMsPerRequest(), "ms/event",
                    "1 node " + IngestScenario.summary(one), one.cpuMsPerRequest(), null, null, d));
        }
        // A node's CPU per event grows as its load falls (fewer writes share a commit, threads wake for each
        // request): beside one node carrying what each of the nodes above carries, the cluster's own cost shows.
        Cell share = pg.get(1).pacedShare();
        Cell last = pg.get(MAX_NODES).paced();
        Map<String, Object> d = withWarmup(IngestScenario.details(last.load(), share.load()), last);
        d.put("nodes", MAX_NODES);
        results.add(new Results.Row(NAME, cell + ", PostgreSQL, " + MAX_NODES + " nodes beside 1 node carrying "
                + String.format("%,.0f", PACED_PER_SECOND / MAX_NODES) + " events/s, each node's share"
                + behind(last.load(), PACED_PER_SECOND) + behind(share.load(), PACED_PER_SECOND / MAX_NODES),
                IngestScenario.summary(last.load()), last.load().cpuMsPerRequest(), "ms/event",
                "1 node " + IngestScenario.summary(share.load()), share.load().cpuMsPerRequest(), null, null, d));
    }

    /**
     * Said of a paced cell that sent less than 95% of its pace (the servers fell behind, or the machine was busy):
     * its CPU per event is then a saturated one's again.
     */
    private static String behind(Load.Result r, double perSecond) {
        return r.perSecond() >= 0.95 * perSecond ? ""
                : String.format(" (fell behind: %,.0f of %,.0f events/s)", r.perSecond(), perSecond);
    }

    /** The JIT compilers' part of the fan-out's CPU per delivery. */
    private static String compilingFanout(Measured m) {
        return "JIT compilers " + Results.fmt(HooklineProcess.compilers(m.fanoutByThread()), 2)
                + " ms of the CPU per delivery";
    }

    /** The JIT compilers' part of the cell's CPU per event: nodes whose compilers had not settled pay it. */
    private static String compiling(Cell m) {
        return "JIT compilers " + Results.fmt(m.compilerMsPerEvent(), 2) + " ms of the CPU per event";
    }

    private static Map<String, Object> withWarmup(Map<String, Object> d, Cell m) {
        d.put("warmupSeconds", m.warmupSeconds());
        d.put("compilerCpuMsPerRequest", m.compilerMsPerEvent());
        d.put("cpuMsPerRequestByThread", m.byThread());
        double shared = m.commits().perTransaction();
        if (Double.isFinite(shared)) d.put("writesPerTransaction", shared);
        return d;
    }

    private static String arrived(FanoutScenario.Burst b, Sizes z) {
        return String.format("%,d of %,d arrived", b.arrived(), fanoutUsers(z) * z.fanoutWebhooksPerUser());
    }

    /** Half of scenario 3's users: four configurations to set up, on a database slower to write than SQLite. */
    private static int fanoutUsers(Sizes z) {
        return z.fanoutUsers() / 2;
    }

    private static Map<String, Object> withThreads(Map<String, Object> d, Measured m) {
        d.put("serverCpuMsPerDeliveryByThread", m.fanoutByThread());
        return d;
    }

    private static Map<String, Object> details(FanoutScenario.Burst b, FanoutScenario.Burst base) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("arrived", b.arrived());
        d.put("secondsToLastDelivery", b.lastSeconds());
        d.put("secondsToSendChanges", b.changesSeconds());
        d.put("serverCpuMsPerDelivery", b.cpuMsPerDelivery());
        if (Double.isFinite(b.databaseCpuSeconds())) d.put("postgresCpuMsPerDelivery", b.databaseCpuMsPerDelivery());
        d.put("p50Ms", b.latency().ms(50));
        d.put("p99Ms", b.latency().ms(99));
        d.put("baselinePerSecond", base.deliveriesPerSecond());
        d.put("baselineServerCpuMsPerDelivery", base.cpuMsPerDelivery());
        return d;
    }

    /**
     * The ingest cell as a load balancer routing by user makes it: {@link #CONCURRENCY} users with {@link #WEBHOOKS}
     * webhooks each, one sender per user, each user's writes all on one node.
     */
    private static Cell routed(Setup s, List<HooklineProcess> servers, Api api, int n) throws Exception {
        String path = "ingest/routed/" + n + "/";
        List<Api.User> users = new ArrayList<>();
        try (Http http = new Http(servers.get(0).port)) {
            for (int k = 0; k < CONCURRENCY; k++) {
                Api.User u = api.createUser(http, String.format("nodes-routed%02d", k));
                List<String> urls = new ArrayList<>();
                for (int i = 0; i < WEBHOOKS; i++) urls.add(s.receiver().url("ok", path + k + "/" + i));
                api.createWebhooks(http, u, urls);
                users.add(u);
            }
        }
        IngestScenario.prime(s, servers.get(0), users, "/ok/" + path, WEBHOOKS);
        return warmAndMeasure(s, servers, "routed",
                (warmup, seconds) -> IngestScenario.events(servers, users, CONCURRENCY, warmup, seconds));
    }

    /** The ingest cell's load at {@code perSecond}, on nodes the cell has just warmed. */
    private static Cell paced(Setup s, List<HooklineProcess> servers, Api.User u, double perSecond)
            throws Exception {
        Sizes z = s.sizes();
        Commits committed = Commits.of(servers);
        Map<String, Double> before = cpuByThread(servers);
        Load.Result r = IngestScenario.events(servers, List.of(u), CONCURRENCY, perSecond,
                z.ingestWarmupSeconds(), z.ingestSeconds());
        Map<String, Double> byThread = perRequest(before, cpuByThread(servers), r.allRequests());
        return new Cell(r, 0, byThread, Commits.of(servers).since(committed));
    }

    /**
     * Starts the nodes one after the other (the first migrates), measures the two ingest cells and then the fan-out
     * over all of them, and stops them, or leaves them running in {@code keep} (under {@code n}). {@code n} tells the
     * configurations' receiver paths apart.
     */
    private static Measured measure(Setup s, int n, List<HooklineProcess.Options> nodes, Map<Integer, Running> keep)
            throws Exception {
        Sizes z = s.sizes();
        List<HooklineProcess> servers = new ArrayList<>();
        boolean kept = false;
        try {
            for (HooklineProcess.Options o : nodes) servers.add(HooklineProcess.start(s, o));
            HooklineProcess first = servers.get(0);
            Api api = new Api(first);
            Api.User u;
            try (Http http = new Http(first.port)) {
                u = api.createUser(http, "nodes-ingest");
                List<String> urls = new ArrayList<>();
                for (int i = 0; i < WEBHOOKS; i++) urls.add(s.receiver().url("ok", "ingest/" + WEBHOOKS + "/" + i));
                api.createWebhooks(http, u, urls);
            }
            // Put the webhooks in their throttle rhythm, then warm every node at the measured concurrency until the
            // JIT compilers of all of them have settled: each JVM compiles for minutes of CPU on two cores, and a
            // short warm-up counts that work against the configurations with more nodes. A lighter warm-up (c=4)
            // settled too, but left the request path's C2 compilations to the measured cell.
            IngestScenario.prime(s, first, u, WEBHOOKS);
            Cell ingest = warmAndMeasure(s, servers, "ingest",
                    (warmup, seconds) -> IngestScenario.events(servers, u, CONCURRENCY, warmup, seconds));
            Cell paced = paced(s, servers, u, PACED_PER_SECOND);
            Cell pacedShare = n == 1 ? paced(s, servers, u, PACED_PER_SECOND / MAX_NODES) : null;
            Cell routed = routed(s, servers, api, n);

            // The deliveries' code warms up on a fan-out a fifth of the size, then the measured one.
            int per = z.fanoutWebhooksPerUser();
            int warmUsers = Math.max(10, fanoutUsers(z) / 5);
            List<Api.User> warm = FanoutScenario.setup(s, api, "n" + n + "w", warmUsers, per, j -> "ok");
            FanoutScenario.burst(s, servers, warm, "n" + n + "w", warmUsers * per, 30 + warmUsers * per / 100.0);
            List<Api.User> users = FanoutScenario.setup(s, api, "n" + n + "f", fanoutUsers(z), per, j -> "ok");
            first.analyzeDatabase();
            Profiler fanoutProfiler = Profiler.start(s, first, first.name + "-fanout");
            Map<String, Double> before = cpuByThread(servers);
            FanoutScenario.Burst fanout = FanoutScenario.burst(s, servers, users, "n" + n + "f", fanoutUsers(z) * per,
                    30 + fanoutUsers(z) * per / 100.0);
            fanoutProfiler.stop();
            Map<String, Double> byThread = perRequest(before, cpuByThread(servers), Math.max(1, fanout.arrived()));
            if (keep != null) {
                keep.put(n, new Running(servers, u));
                kept = true;
            }
            return new Measured(ingest, paced, pacedShare, routed, fanout, byThread);
        } finally {
            if (!kept) servers.forEach(HooklineProcess::close);
        }
    }
}
