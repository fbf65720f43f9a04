package io.hookline.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 3. Fan-out and 4. isolation, on a server with {@code minIntervalMs} 0, {@code maxRetries} 0 and a short
 * {@code webhooks.requestTimeout} (the same for both runs).
 *
 * <p>Fan-out: users with 10 webhooks each (created by their app access; a webhook's URL path names its user and
 * index), then one event per user, sent at concurrency 16. Measured: the time from the first send to the last
 * delivery, deliveries per second over that time, and each delivery's latency from its user's change (the
 * events.create response). Baseline: a bare JDK HttpClient posting as many requests to the same receiver from as
 * many threads as the server has deliveries in flight to one host ({@code webhooks.maxInFlightPerHost}), then as
 * many as it has in flight in all ({@code webhooks.maxInFlight}); the faster of the two. Healthy, failing and hanging
 * targets are receivers on ports of their own.
 *
 * <p>Isolation: the same on new users, where webhooks 0–1 of each user hang past the timeout and 2–3 answer 500
 * (20% and 20%); the healthy 60% are compared with the clean run.
 */
final class FanoutScenario {
    static final String FANOUT = "3. fan-out";
    static final String ISOLATION = "4. isolation";
    static final int IN_FLIGHT = 1024; // webhooks.maxInFlight in config.yml (default)
    static final int PER_HOST = 128; // webhooks.maxInFlightPerHost (default): what one receiver gets at once
    private static final int SENDERS = 16;

    /** What one burst measured. */
    record Burst(int arrived, double lastSeconds, Stats latency, double changesSeconds, int failingAttempts,
                 double serverCpuSeconds, double databaseCpuSeconds) {
        double cpuMsPerDelivery() {
            return serverCpuSeconds * 1000 / arrived;
        }

        /** PostgreSQL's CPU per delivery (NaN on SQLite or when not measured). */
        double databaseCpuMsPerDelivery() {
            return databaseCpuSeconds * 1000 / arrived;
        }

        double deliveriesPerSecond() {
            return arrived / lastSeconds;
        }

        /** "4,241/s · server CPU 0.40 ms/delivery (+ PostgreSQL 0.20)". */
        String summary() {
            return Results.rate(deliveriesPerSecond()) + " · server CPU " + Results.fmt(cpuMsPerDelivery(), 2)
                    + " ms/delivery" + Results.plusDatabase(databaseCpuMsPerDelivery());
        }
    }

    private FanoutScenario() {
    }

    static void run(Setup s, HooklineProcess server, Results results, String timeout, double timeoutSeconds)
            throws Exception {
        Sizes z = s.sizes();
        int users = z.fanoutUsers();
        int per = z.fanoutWebhooksPerUser();
        int n = z.fanoutWebhooks();
        String scale = String.format("%,d webhooks, %,d users", n, users);
        Api api = new Api(server);

        List<Api.User> clean = setup(s, api, "fo", users, per, j -> "ok");
        server.analyzeDatabase();
        Profiler profiler = Profiler.start(s, server, "fanout");
        Burst c = burst(s, List.of(server), clean, "fo", n, 30 + n / 100.0);
        profiler.stop();
        // The bare client at the server's concurrency towards one receiver, and at its global limit: the baseline is
        // the faster of the two.
        double bareSeconds = Double.MAX_VALUE;
        double bareCpu = 0;
        int bareInFlight = 0;
        long self = ProcessHandle.current().pid();
        if (s.measuresBaselines()) try (BareClient bare = new BareClient()) {
            bare.burst(Math.min(n, 1000), IN_FLIGHT, i -> s.receiver().url("ok", "warm/" + i));
            for (int inFlight : new int[] {PER_HOST, IN_FLIGHT}) {
                double cpu0 = HooklineProcess.cpuSeconds(self);
                double seconds = bare.burst(n, inFlight, i -> s.receiver().url("ok", "fobase" + inFlight + "/" + i));
                double cpu = HooklineProcess.cpuSeconds(self) - cpu0;
                System.out.printf("  (bare client, %d threads: %.2f s, CPU %.2f ms/post)%n", inFlight, seconds,
                        cpu * 1000 / n);
                if (seconds < bareSeconds) {
                    bareSeconds = seconds;
                    bareCpu = cpu;
                    bareInFlight = inFlight;
                }
            }
        }
        double rate = c.deliveriesPerSecond();
        double bareRate = bareInFlight == 0 ? Double.NaN : n / bareSeconds;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("webhooks", n);
        d.put("users", users);
        d.put("arrived", c.arrived());
        d.put("secondsToLastDelivery", c.lastSeconds());
        d.put("secondsToSendChanges", c.changesSeconds());
        d.put("bareSeconds", bareSeconds);
        d.put("bareInFlight", bareInFlight);
        d.put("serverCpuMsPerDelivery", c.cpuMsPerDelivery());
        if (Double.isFinite(c.databaseCpuSeconds())) d.put("postgresCpuMsPerDelivery", c.databaseCpuMsPerDelivery());
        d.put("bareCpuMsPerPostClientAndReceiver", bareCpu * 1000 / n);
        d.put("p50Ms", c.latency().ms(50));
        d.put("p99Ms", c.latency().ms(99));
        results.add(new Results.Row(FANOUT, "first change → last delivery (" + scale + "; the " + users
                + " changes took " + Results.fmt(c.changesSeconds(), 2) + " s)",
                Results.fmt(c.lastSeconds(), 2) + " s", c.lastSeconds(), "s",
                bareInFlight == 0 ? null : "bare client " + Results.fmt(bareSeconds, 2) + " s",
                bareInFlight == 0 ? Double.NaN : bareSeconds, null, null, d));
        results.add(new Results.Row(FANOUT, "deliveries/s (" + c.arrived() + " of " + n + " arrived)",
                c.summary(), rate, "deliveries/s",
                bareInFlight == 0 ? null : "bare client, " + bareInFlight + " threads " + Results.rate(bareRate)
                        + " · CPU (client and receiver) " + Results.fmt(bareCpu * 1000 / n, 2) + " ms/post",
                bareRate, bareInFlight == 0 ? null : "≥ 5,000/s and ≥ 0.5× bare",
                bareInFlight == 0 ? null : rate >= 5000 && rate / bareRate >= 0.5 && c.arrived() == n, d));
        results.add(new Results.Row(FANOUT, "change → delivery latency",
                Results.percentiles(c.latency(), 50, 99), c.latency().ms(99), "ms (p99)",
                null, Double.NaN, null, null, Map.of()));

        // Isolation: 20% of targets hang past the timeout, 20% answer 500.
        List<Api.User> mixed = setup(s, api, "iso", users, per, j -> j < per / 5 ? "hang" : j < 2 * per / 5 ? "fail" : "ok");
        server.analyzeDatabase();
        int healthy = users * (per - 2 * (per / 5));
        Profiler isoProfiler = Profiler.start(s, server, "isolation");
        // Worst case for the healthy ones: every hanging delivery holds one of the places in flight for the timeout.
        double hangSeconds = users * (per / 5) * timeoutSeconds / PER_HOST;
        Burst iso = burst(s, List.of(server), mixed, "iso", healthy, 60 + 2 * hangSeconds);
        isoProfiler.stop();
        Map<String, Object> di = new LinkedHashMap<>();
        di.put("healthyWebhooks", healthy);
        di.put("healthyArrived", iso.arrived());
        di.put("secondsToLastHealthyDelivery", iso.lastSeconds());
        di.put("secondsToSendChanges", iso.changesSeconds());
        di.put("healthyP50Ms", iso.latency().ms(50));
        di.put("healthyP99Ms", iso.latency().ms(99));
        di.put("cleanP99Ms", c.latency().ms(99));
        di.put("requestTimeout", timeout);
        di.put("failingAttemptsSeenByThen", iso.failingAttempts());
        double ratio = iso.latency().ms(99) / c.latency().ms(99);
        results.add(new Results.Row(ISOLATION, "healthy targets' change → delivery (" + healthy + " of " + n
                + "; 20% hang > " + timeout + ", 20% answer 500)",
                Results.percentiles(iso.latency(), 50, 99), iso.latency().ms(99), "ms (p99)",
                "clean run " + Results.percentiles(c.latency(), 50, 99), c.latency().ms(99),
                "p99 ≤ 2× clean", ratio <= 2 && iso.arrived() == healthy, di));
        results.add(new Results.Row(ISOLATION, "first change → last healthy delivery (changes took "
                + Results.fmt(iso.changesSeconds(), 2) + " s)",
                Results.fmt(iso.lastSeconds(), 2) + " s", iso.lastSeconds(), "s",
                "clean run " + Results.fmt(c.lastSeconds(), 2) + " s", c.lastSeconds(), null, null, Map.of()));
    }

    /** Creates users, each with {@code per} webhooks whose kind (ok, fail, hang) is {@code kind(index)}. */
    static List<Api.User> setup(Setup s, Api api, String tag, int users, int per,
                                        java.util.function.IntFunction<String> kind) throws Exception {
        return api.parallel(users, 8, (http, i) -> {
            Api.User u = api.createUser(http, String.format("%s-%05d", tag, i));
            List<String> urls = new ArrayList<>();
            for (int j = 0; j < per; j++) urls.add(s.receiver().url(kind.apply(j), tag + "/" + i + "/" + j));
            api.createWebhooks(http, u, urls);
            return u;
        });
    }

    /**
     * One change per user, sent at concurrency {@value #SENDERS} (sender w to server w mod n: the nodes of one
     * database share the load); waits (at most {@code boundSeconds}) for {@code expectOk} healthy deliveries. Times
     * are from the first send; the server CPU is summed over the servers.
     */
    static Burst burst(Setup s, List<HooklineProcess> servers, List<Api.User> users, String tag, int expectOk,
                       double boundSeconds) throws Exception {
        String okPrefix = "/ok/" + tag + "/";
        Hits hits = new Hits(okPrefix, "/fail/" + tag + "/", "/hang/" + tag + "/");
        s.receiver().sink(hits);
        long[] answered = new long[users.size()];
        AtomicInteger next = new AtomicInteger();
        double cpu0 = Load.cpuSeconds(servers);
        double db0 = Load.databaseCpuSeconds(servers);
        long t0 = System.nanoTime();
        List<Thread> senders = new ArrayList<>();
        for (int w = 0; w < SENDERS; w++) {
            int port = servers.get(w % servers.size()).port;
            Thread t = new Thread(() -> {
                try (Http http = new Http(port)) {
                    for (int i = next.getAndIncrement(); i < users.size(); i = next.getAndIncrement()) {
                        Api.User u = users.get(i);
                        int status = http.post(u.events(), u.appToken(), Api.eventBody(i)).status();
                        answered[i] = status == 201 ? System.nanoTime() : -1;
                    }
                } catch (Exception e) {
                    System.err.println("  ! fan-out sender: " + e);
                }
            }, "fanout-" + w);
            t.setDaemon(true);
            senders.add(t);
            t.start();
        }
        for (Thread t : senders) t.join(120_000);
        double changesSeconds = (System.nanoTime() - t0) / 1e9;
        if (!hits.await(okPrefix, expectOk, boundSeconds)) {
            System.err.printf("  ! %s: %d of %d healthy deliveries within %.0f s%n", tag, hits.count(okPrefix),
                    expectOk, boundSeconds);
        }
        double cpu = Load.cpuSeconds(servers) - cpu0;
        double db = Load.databaseCpuSeconds(servers) - db0;
        s.receiver().sink(null);
        List<Hits.Hit> ok = hits.with(okPrefix);
        long[] lat = new long[ok.size()];
        int count = 0;
        long last = t0;
        for (Hits.Hit h : ok) {
            int user = Integer.parseInt(h.ids(okPrefix)[0]);
            last = Math.max(last, h.nanos());
            if (answered[user] > 0) lat[count++] = Math.max(0, h.nanos() - answered[user]);
        }
        int failing = hits.count("/fail/" + tag + "/") + hits.count("/hang/" + tag + "/");
        return new Burst(ok.size(), (last - t0) / 1e9, new Stats(lat, count), changesSeconds, failing, cpu, db);
    }
}
