package io.hookline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 1. Ingest: {@code events.create} over HTTP at concurrency 1, 4 and 16, on a user with 0, 10 or 1,000 active
 * webhooks. Baselines: a no-op authenticated request (GET access-info) on the same server at the same concurrency,
 * measured just before, and a bare JDBC insert loop on an SQLite file with the same pragmas.
 *
 * <p>The server runs with the default {@code minIntervalMs} of config.yml (5000): the webhooks are active and are
 * notified (each event makes them pending in the same transaction), at most once per 5 s each. The latency scenario
 * measures one ingest figure with {@code minIntervalMs} 0, where deliveries run alongside.
 */
final class IngestScenario {
    static final String NAME = "1. ingest";

    private IngestScenario() {
    }

    static void run(Setup s, Results results, List<String> jvmArgs) throws Exception {
        Sizes z = s.sizes();
        Load.Result target = null;
        try (HooklineProcess server = HooklineProcess.start(s,
                new HooklineProcess.Options("ingest", 5000, 5, null, jvmArgs))) {
            Api api = new Api(server);
            Map<Integer, Api.User> users = new LinkedHashMap<>();
            try (Http http = new Http(server.port)) {
                for (int w : z.ingestWebhooks()) {
                    Api.User u = api.createUser(http, "ingest-w" + w);
                    List<String> urls = new ArrayList<>();
                    for (int i = 0; i < w; i++) urls.add(s.receiver().url("ok", "ingest/" + w + "/" + i));
                    api.createWebhooks(http, u, urls);
                    users.put(w, u);
                }
            }
            Profiler profiler = Profiler.start(s, server, "ingest");
            Api.User quiet = users.get(z.ingestWebhooks().get(0));
            // Warm the server's JIT on both request kinds before measuring anything.
            events(server, quiet, 4, 0, z.serverWarmupSeconds() * 2 / 3);
            noop(server, quiet, 4, 0, z.serverWarmupSeconds() / 3);

            // Webhook count outermost, so that the deliveries of the 1,000-webhook user (every 5 s each while
            // events come) run only behind its own cells; each cell's no-op baseline is measured just before it.
            for (int w : z.ingestWebhooks()) {
                prime(s, server, users.get(w), w);
                for (int c : z.ingestConcurrency()) {
                    Load.Result base = s.measuresBaselines()
                            ? noop(server, users.get(w), c, z.ingestWarmupSeconds(), z.ingestSeconds()) : null;
                    Load.Result r = events(server, users.get(w), c, z.ingestWarmupSeconds(), z.ingestSeconds());
                    boolean isTarget = c == 16 && w == 10 && base != null;
                    if (isTarget) target = r;
                    Boolean holds = isTarget ? r.perSecond() >= 5000 && r.perSecond() / base.perSecond() >= 0.5 : null;
                    results.add(new Results.Row(NAME,
                            "events.create, c=" + c + ", " + w + " webhooks",
                            summary(r), r.perSecond(), "req/s", base == null ? null : "no-op " + summary(base),
                            base == null ? Double.NaN : base.perSecond(),
                            isTarget ? "≥ 5,000/s and ≥ 0.5× no-op" : null, holds,
                            details(r, base)));
                }
            }
            scoped(s, server, api, results);
            reads(s, server, quiet, results);
            profiler.stop();
        }
        if (!s.measuresBaselines()) return;
        // With the server stopped, so that it does not compete.
        double sqlite = SqliteBaseline.insertsPerSecond(s.work().resolve("baseline-sqlite.db"), z.sqliteSeconds());
        results.add(new Results.Row(NAME, "bare JDBC insert loop (SQLite, same pragmas, 1 tx per insert, 1 thread)",
                Results.rate(sqlite), sqlite, "inserts/s", null, Double.NaN, null, null, Map.of()));
        if (target != null) {
            results.add(new Results.Row(NAME, "events.create, c=16, 10 webhooks vs bare JDBC loop",
                    Results.rate(target.perSecond()), target.perSecond(), "req/s",
                    "JDBC " + Results.rate(sqlite), sqlite, null, null, Map.of()));
        }
    }

    /**
     * The target row again on the delivery server ({@code minIntervalMs} 0): every event makes the user's 10 webhooks
     * deliver, so deliveries and their writes run alongside the ingest.
     */
    static void withDeliveries(Setup s, HooklineProcess server, Results results) throws Exception {
        Sizes z = s.sizes();
        Api api = new Api(server);
        Api.User u;
        try (Http http = new Http(server.port)) {
            u = api.createUser(http, "ingest-live");
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < 10; i++) urls.add(s.receiver().url("ok", "ingest-live/" + i));
            api.createWebhooks(http, u, urls);
        }
        Profiler profiler = Profiler.start(s, server, "ingest-live");
        Load.Result base = s.measuresBaselines() ? noop(server, u, 16, z.ingestWarmupSeconds(), z.ingestSeconds()) : null;
        long before = s.receiver().requests();
        Load.Result r = events(server, u, 16, z.ingestWarmupSeconds(), z.ingestSeconds());
        long deliveries = s.receiver().requests() - before;
        profiler.stop();
        Map<String, Object> d = details(r, base);
        d.put("deliveriesDuringRun", deliveries);
        results.add(new Results.Row(NAME, "events.create, c=16, 10 webhooks, minIntervalMs 0 (deliveries running: "
                + String.format("%,d", deliveries) + ")",
                summary(r), r.perSecond(), "req/s", base == null ? null : "no-op " + summary(base),
                base == null ? Double.NaN : base.perSecond(), null, null, d));
        Thread.sleep(1000); // let the webhooks drain before the next scenario
    }

    /**
     * Fresh webhooks are due at once: one event, then waiting for its {@code w} deliveries, puts them in their
     * throttle rhythm, so that this initial burst does not land on whichever cell comes first.
     */
    static void prime(Setup s, HooklineProcess server, Api.User u, int w) throws Exception {
        prime(s, server, List.of(u), "/ok/ingest/" + w + "/", w);
    }

    /** The same for several users whose {@code w} webhooks each have URLs under the receiver's {@code prefix}. */
    static void prime(Setup s, HooklineProcess server, List<Api.User> users, String prefix, int w) throws Exception {
        if (w == 0) return;
        int expected = users.size() * w;
        Hits hits = new Hits(prefix);
        s.receiver().sink(hits);
        try (Http http = new Http(server.port)) {
            for (Api.User u : users) {
                Api.expect(http.post(u.events(), u.appToken(), Api.eventBody(0)), 201, "events.create");
            }
            if (!hits.await(prefix, expected, 30)) {
                System.err.printf("  ! priming: %d of %d deliveries%n", hits.count(prefix), expected);
            }
        } finally {
            s.receiver().sink(null);
        }
    }

    /**
     * The target cell (c=16) for a user with 10 scoped webhooks (a scope on the events' stream, so each change is
     * matched against them when it commits) beside 10 plain ones, next to a user with the 10 plain ones only.
     */
    private static void scoped(Setup s, HooklineProcess server, Api api, Results results) throws Exception {
        Sizes z = s.sizes();
        Api.User plain;
        Api.User mixed;
        try (Http http = new Http(server.port)) {
            plain = api.createUser(http, "ingest-plain10");
            mixed = api.createUser(http, "ingest-scoped10");
            List<String> plainUrls = new ArrayList<>();
            List<String> mixedUrls = new ArrayList<>();
            List<String> scopedUrls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                plainUrls.add(s.receiver().url("ok", "ingest/plain/" + i));
                mixedUrls.add(s.receiver().url("ok", "ingest/mixed/" + i));
                scopedUrls.add(s.receiver().url("ok", "ingest/scoped/" + i));
            }
            api.createWebhooks(http, plain, plainUrls);
            api.createWebhooks(http, mixed, mixedUrls);
            ObjectNode scopes = Api.JSON.createObjectNode();
            scopes.putObject("stepsChanged").put("kind", "events").putObject("query")
                    .putArray("streams").add(Api.STREAM);
            api.createWebhooks(http, mixed, scopedUrls, scopes);
        }
        int c = 16;
        Load.Result base = events(server, plain, c, z.ingestWarmupSeconds(), z.ingestSeconds());
        Load.Result r = events(server, mixed, c, z.ingestWarmupSeconds(), z.ingestSeconds());
        results.add(new Results.Row(NAME, "events.create, c=" + c + ", 10 scoped + 10 plain webhooks",
                summary(r), r.perSecond(), "req/s", "10 plain only " + summary(base), base.perSecond(),
                null, null, details(r, base)));
    }

    /**
     * The read path: events.get of the user's 20 latest events (one snapshot of the database per request), at c=1
     * and c=16, each beside the no-op request. The user has the thousands of events the cells above wrote.
     */
    private static void reads(Setup s, HooklineProcess server, Api.User u, Results results) throws Exception {
        Sizes z = s.sizes();
        String path = u.events() + "?limit=20";
        String token = u.appToken();
        Load.Call get = (http, worker, seq) -> http.get(path, token).status();
        Load.run(server, 4, 0, z.serverWarmupSeconds() / 3, 200, get); // warms the JIT on reads
        for (int c : List.of(1, 16)) {
            Load.Result base = s.measuresBaselines()
                    ? noop(server, u, c, z.ingestWarmupSeconds(), z.ingestSeconds()) : null;
            Load.Result r = Load.run(server, c, z.ingestWarmupSeconds(), z.ingestSeconds(), 200, get);
            results.add(new Results.Row(NAME, "events.get (the 20 latest), c=" + c, summary(r), r.perSecond(),
                    "req/s", base == null ? null : "no-op " + summary(base),
                    base == null ? Double.NaN : base.perSecond(), null, null, details(r, base)));
        }
    }

    private static Load.Result events(HooklineProcess server, Api.User u, int c, double warmup, double seconds)
            throws Exception {
        return events(List.of(server), u, c, warmup, seconds);
    }

    /** events.create by {@code u}, spread over the given nodes of one database. */
    static Load.Result events(List<HooklineProcess> servers, Api.User u, int c, double warmup, double seconds)
            throws Exception {
        return events(servers, List.of(u), c, warmup, seconds);
    }

    /**
     * events.create spread over the given nodes of one database, sender {@code w} writing as user
     * {@code w mod users} to node {@code w mod nodes}: with as many users as senders, each user's writes all go to
     * one node, as a load balancer routing by user sends them.
     */
    static Load.Result events(List<HooklineProcess> servers, List<Api.User> users, int c, double warmup,
                              double seconds) throws Exception {
        return events(servers, users, c, 0, warmup, seconds);
    }

    /** As {@link #events(List, List, int, double, double)}, at {@code perSecond} events a second (0: closed loop). */
    static Load.Result events(List<HooklineProcess> servers, List<Api.User> users, int c, double perSecond,
                              double warmup, double seconds) throws Exception {
        String[] paths = new String[c];
        String[] tokens = new String[c];
        byte[][] bodies = new byte[c][];
        for (int i = 0; i < c; i++) {
            Api.User u = users.get(i % users.size());
            paths[i] = u.events();
            tokens[i] = u.appToken();
            bodies[i] = Api.eventBody(i);
        }
        Load.Call call = (http, worker, seq) -> http.post(paths[worker], tokens[worker], bodies[worker]).status();
        return perSecond > 0 ? Load.paced(servers, c, perSecond, warmup, seconds, 201, call)
                : Load.run(servers, c, warmup, seconds, 201, call);
    }

    private static Load.Result noop(HooklineProcess server, Api.User u, int c, double warmup, double seconds)
            throws Exception {
        String path = u.accessInfo();
        String token = u.appToken();
        return Load.run(server, c, warmup, seconds, 200, (http, worker, seq) -> http.get(path, token).status());
    }

    /**
     * "5,123/s · p50 1.10 · p99 4.20 ms · CPU 0.31 ms/req" (server CPU per request), on PostgreSQL followed by the
     * database server's own CPU per request when it is measured: "(+ PostgreSQL 0.25)".
     */
    static String summary(Load.Result r) {
        return Results.rate(r.perSecond()) + " · " + Results.percentiles(r.latency(), 50, 99) + " · CPU "
                + Results.fmt(r.cpuMsPerRequest(), 2) + " ms/req" + Results.plusDatabase(r.databaseCpuMsPerRequest());
    }

    /** The figures of a cell and of its baseline (null when none was measured) for the JSON. */
    static Map<String, Object> details(Load.Result r, Load.Result base) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("concurrency", r.concurrency());
        d.put("requests", r.requests());
        d.put("errors", r.errors());
        d.put("p50Ms", r.latency().ms(50));
        d.put("p99Ms", r.latency().ms(99));
        d.put("maxMs", r.latency().maxMs());
        d.put("serverCpuMsPerRequest", r.cpuMsPerRequest());
        if (Double.isFinite(r.databaseCpuSeconds())) d.put("postgresCpuMsPerRequest", r.databaseCpuMsPerRequest());
        if (base == null) return d;
        d.put("baselineServerCpuMsPerRequest", base.cpuMsPerRequest());
        d.put("baselinePerSecond", base.perSecond());
        d.put("baselineP50Ms", base.latency().ms(50));
        d.put("baselineP99Ms", base.latency().ms(99));
        return d;
    }
}
