package io.hookline.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 6. PostgreSQL: the ingest target cell (events.create, c=16, 10 webhooks, config defaults) on SQLite and on
 * PostgreSQL in the same run, then with 2 and 3 nodes on one PostgreSQL database, the load spread over the nodes
 * (worker w talks to node w mod n). Each configuration gets a fresh database and fresh, warmed-up servers. CPU per
 * event is the nodes' CPU (summed) per request; PostgreSQL's own CPU is not counted.
 */
final class PostgresScenario {
    static final String NAME = "6. PostgreSQL";
    private static final int CONCURRENCY = 16;
    private static final int WEBHOOKS = 10;
    private static final int MAX_NODES = 3;

    private PostgresScenario() {
    }

    static void run(Setup s, Results results, List<String> jvmArgs, PostgresDatabases databases) throws Exception {
        HooklineProcess.Options options = new HooklineProcess.Options("pg-sqlite", 5000, 5, null, jvmArgs);
        Load.Result sqlite = ingest(s, List.of(options));
        Map<Integer, Load.Result> pg = new LinkedHashMap<>();
        for (int n = 1; n <= MAX_NODES; n++) {
            String url = databases.fresh(n + "nodes");
            List<HooklineProcess.Options> nodes = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                nodes.add(new HooklineProcess.Options("pg-" + n + "nodes-" + i, 5000, 5, null, jvmArgs)
                        .onPostgres(url));
            }
            pg.put(n, ingest(s, nodes));
        }

        String cell = "events.create, c=" + CONCURRENCY + ", " + WEBHOOKS + " webhooks";
        Load.Result one = pg.get(1);
        results.add(new Results.Row(NAME, cell + ", PostgreSQL, 1 node", IngestScenario.summary(one),
                one.perSecond(), "req/s", "SQLite " + IngestScenario.summary(sqlite), sqlite.perSecond(),
                "≥ 2,500/s and ≥ 0.5× SQLite",
                one.perSecond() >= 2500 && one.perSecond() / sqlite.perSecond() >= 0.5,
                IngestScenario.details(one, sqlite)));
        for (int n = 2; n <= MAX_NODES; n++) {
            Load.Result r = pg.get(n);
            double cpuRatio = r.cpuMsPerRequest() / one.cpuMsPerRequest();
            boolean last = n == MAX_NODES;
            Map<String, Object> d = IngestScenario.details(r, one);
            d.put("nodes", n);
            d.put("cpuPerEventRatioToOneNode", cpuRatio);
            results.add(new Results.Row(NAME, cell + ", PostgreSQL, " + n + " nodes (CPU per event "
                    + Results.fmt(cpuRatio, 2) + "× 1 node's)", IngestScenario.summary(r), r.perSecond(), "req/s",
                    "1 node " + IngestScenario.summary(one), one.perSecond(),
                    last ? "≥ 0.9× 1 node, CPU per event ≤ 1.2×" : null,
                    last ? r.perSecond() / one.perSecond() >= 0.9 && cpuRatio <= 1.2 : null, d));
        }
    }

    /** Starts the nodes one after the other (the first migrates), measures the target cell over all, stops them. */
    private static Load.Result ingest(Setup s, List<HooklineProcess.Options> nodes) throws Exception {
        Sizes z = s.sizes();
        List<HooklineProcess> servers = new ArrayList<>();
        try {
            for (HooklineProcess.Options o : nodes) servers.add(HooklineProcess.start(s, o));
            HooklineProcess first = servers.get(0);
            Api api = new Api(first);
            Api.User u;
            try (Http http = new Http(first.port)) {
                u = api.createUser(http, "pg-ingest");
                List<String> urls = new ArrayList<>();
                for (int i = 0; i < WEBHOOKS; i++) urls.add(s.receiver().url("ok", "ingest/" + WEBHOOKS + "/" + i));
                api.createWebhooks(http, u, urls);
            }
            // Put the webhooks in their throttle rhythm, then warm every node (c=4 reaches up to 4 nodes).
            IngestScenario.prime(s, first, u, WEBHOOKS);
            IngestScenario.events(servers, u, 4, 0, z.serverWarmupSeconds());
            Profiler profiler = Profiler.start(s, first, first.name); // with --profile: the first node only
            Load.Result r = IngestScenario.events(servers, u, CONCURRENCY, z.ingestWarmupSeconds(), z.ingestSeconds());
            profiler.stop();
            return r;
        } finally {
            servers.forEach(HooklineProcess::close);
        }
    }
}
