package io.hookline.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * 8. PostgreSQL failover: three nodes on one fresh database with a lease time of {@value #LEASE_SECONDS} s; users
 * with one webhook each, on a receiver of its own that holds every answer for longer than the scenario lasts; one
 * change per user. Once every delivery is in flight, the node holding the most leases is killed (SIGKILL); then the
 * same again with new users on the two nodes left. Measured each time:
 * from the kill to the first delivery of one of its webhooks by another node, and to the last. The other nodes'
 * deliveries are still held (their request timeout is longer too), so any delivery after the kill is one of the dead
 * node's webhooks sent again. Beside it: the lease time; the target is at most the lease time plus one second
 * (the delivering nodes' backstop poll).
 */
final class FailoverScenario {
    static final String NAME = "8. PostgreSQL failover";
    static final int LEASE_SECONDS = 5;
    private static final int NODES = 3;
    private static final int USERS = 30;
    private static final long HOLD_MS = 60_000;
    private static final String REQUEST_TIMEOUT = "45s";

    private FailoverScenario() {
    }

    static void run(Setup s, Results results, List<String> jvmArgs, PostgresDatabases databases) throws Exception {
        String url = databases.fresh("failover");
        List<HooklineProcess> servers = new ArrayList<>();
        try {
            for (int i = 1; i <= NODES; i++) {
                servers.add(HooklineProcess.start(s, new HooklineProcess.Options("failover-" + i, 0, 5,
                        REQUEST_TIMEOUT, jvmArgs).onPostgres(url).withLeaseTime(LEASE_SECONDS + " seconds")));
            }
            // Closed before the nodes stop, so that their graceful stop does not wait for the held deliveries.
            try (Receiver holding = new Receiver(HOLD_MS)) {
                // Twice: one of 3 nodes killed, then one of the 2 left (whose leases include the first one's work).
                List<HooklineProcess> alive = new ArrayList<>(servers);
                for (int trial = 1; trial < NODES; trial++) alive.remove(kill(s, alive, holding, trial, results));
            }
        } finally {
            servers.forEach(HooklineProcess::close);
        }
    }

    /**
     * New users and their changes, then the node holding the most leases killed once their deliveries are in
     * flight; returns that node.
     */
    private static HooklineProcess kill(Setup s, List<HooklineProcess> servers, Receiver holding, int trial,
                                        Results results) throws Exception {
        Api api = new Api(servers.get(0));
        List<Api.User> users = api.parallel(USERS, 4, (http, i) -> {
            Api.User u = api.createUser(http, String.format("failover%d-%03d", trial, i));
            api.createWebhooks(http, u, List.of(holding.url("hang", "failover/" + trial + "/" + i)));
            return u;
        });
        String prefix = "/hang/failover/";
        String these = prefix + trial + "/";
        Hits hits = new Hits(these);
        holding.sink(hits);
        for (int i = 0; i < USERS; i++) {
            Api.User u = users.get(i);
            try (Http http = new Http(servers.get(i % servers.size()).port)) {
                Api.expect(http.post(u.events(), u.appToken(), Api.eventBody(i)), 201, "events.create");
            }
        }
        if (!hits.await(these, USERS, 30)) {
            throw new IllegalStateException(hits.count(these) + " of " + USERS + " deliveries in flight after 30 s");
        }
        HooklineProcess victim = null;
        int victimLeases = 0;
        Map<String, Integer> leases = new LinkedHashMap<>();
        for (HooklineProcess node : servers) {
            int held = (int) node.gauge("hookline.deliveries.leases");
            leases.put(node.name, held);
            if (held > victimLeases) {
                victim = node;
                victimLeases = held;
            }
        }
        if (victim == null) throw new IllegalStateException("no node held a lease with every delivery in flight");
        // Every delivery from now on is one of the killed node's webhooks sent again (this trial's or an earlier
        // one's): the others' are still held.
        Hits after = new Hits(prefix);
        holding.sink(after);
        long killedAt = System.nanoTime();
        victim.kill();
        double bound = LEASE_SECONDS + 15;
        after.await(prefix, victimLeases, bound);

        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        Set<String> again = new HashSet<>();
        for (Hits.Hit h : after.with(prefix)) {
            if (h.nanos() < killedAt) continue;
            first = Math.min(first, h.nanos());
            last = Math.max(last, h.nanos());
            again.add(h.path());
        }
        double firstSeconds = again.isEmpty() ? Double.NaN : (first - killedAt) / 1e9;
        double lastSeconds = again.isEmpty() ? Double.NaN : (last - killedAt) / 1e9;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("nodes", servers.size());
        d.put("leaseSeconds", LEASE_SECONDS);
        d.put("leasesByNode", leases);
        d.put("killed", victim.name);
        d.put("killedNodeLeases", victimLeases);
        d.put("webhooksDeliveredAgain", again.size());
        d.put("secondsToFirst", firstSeconds);
        d.put("secondsToLast", lastSeconds);
        String lease = "lease time " + Results.fmt(LEASE_SECONDS, 2) + " s";
        int held = leases.values().stream().mapToInt(Integer::intValue).sum();
        results.add(new Results.Row(NAME, "kill → first delivery of one of its webhooks by another node (1 of "
                + servers.size() + " nodes killed; it held " + victimLeases + " of " + held + " leases)",
                again.isEmpty() ? "none within " + Results.fmt(bound, 0) + " s" : Results.fmt(firstSeconds, 2) + " s",
                firstSeconds, "s", lease, LEASE_SECONDS, "≤ lease time + 1 s",
                !again.isEmpty() && firstSeconds <= LEASE_SECONDS + 1, d));
        results.add(new Results.Row(NAME, "kill → the last of its webhooks delivered again (" + again.size() + " of "
                + victimLeases + ")", again.isEmpty() ? "n/a" : Results.fmt(lastSeconds, 2) + " s", lastSeconds, "s",
                lease, LEASE_SECONDS, null, null, Map.of()));
        holding.sink(null);
        return victim;
    }
}
