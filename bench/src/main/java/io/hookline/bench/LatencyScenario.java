package io.hookline.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * 2. Notification latency: events created at a steady rate (10, 100, 1,000 per second), spread round-robin over
 * 100 users with one webhook each, on a server with {@code minIntervalMs} 0. Latency is the time from the moment
 * the bench has the {@code events.create} response to the moment the receiver has the POST, both read from
 * {@link System#nanoTime} in this process. Each event is matched with the first delivery to its user's webhook that
 * arrives after the event was sent (two close events of a user may share one delivery). A delivery can reach the
 * receiver before the client has read the response; such a latency counts as 0. The server has been warmed up by
 * {@link #warmUp}. With {@code BENCH_DEBUG} set, events that saw no delivery are listed, and the 20 slowest
 * notifications.
 *
 * <p>Baseline in the same run: a bare JDK HttpClient posting the same body to the same receiver at the same rate;
 * its latency is from the start of the send to the receiver having the POST (the floor of one delivery).
 */
final class LatencyScenario {
    static final String NAME = "2. notification latency";
    private static final int SENDERS = 32;

    private LatencyScenario() {
    }

    static void run(Setup s, HooklineProcess server, Results results) throws Exception {
        Sizes z = s.sizes();
        Api api = new Api(server);
        List<Api.User> users = api.parallel(z.latencyUsers(), 8, (http, i) -> {
            Api.User u = api.createUser(http, String.format("lat-%05d", i));
            api.createWebhooks(http, u, List.of(s.receiver().url("ok", "lat/" + i)));
            return u;
        });
        Profiler profiler = Profiler.start(s, server, "latency");
        for (int r = 0; r < z.latencyRates().size(); r++) {
            int rate = z.latencyRates().get(r);
            double seconds = z.latencySeconds().get(r);
            double cpu0 = server.cpuSeconds();
            Paced run = hookline(s, server, users, rate, seconds, "/ok/lat/", true);
            Stats lat = run.latency();
            double cpuMsPerEvent = (server.cpuSeconds() - cpu0) * 1000 / (rate * seconds);
            Stats base = s.measuresBaselines() ? bare(s, rate, Math.min(seconds, z.latencyBaselineSeconds())) : null;
            double target = rate == 10 ? 5 : rate == 1000 ? 20 : Double.NaN;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("rate", rate);
            d.put("achievedRate", run.achievedRate());
            d.put("sendsLateOver5ms", run.late());
            d.put("events", lat.count());
            d.put("p50Ms", lat.ms(50));
            d.put("p95Ms", lat.ms(95));
            d.put("p99Ms", lat.ms(99));
            d.put("maxMs", lat.maxMs());
            // includes the JIT and other background work: meaningful at high rates only
            d.put("serverCpuMsPerEventAndDelivery", cpuMsPerEvent);
            if (base != null) {
                d.put("bareP50Ms", base.ms(50));
                d.put("bareP99Ms", base.ms(99));
            }
            results.add(new Results.Row(NAME,
                    "change → receiver at " + rate + " events/s" + (run.achievedRate() < rate * 0.95
                            ? " (achieved " + Results.rate(run.achievedRate()) + ")" : "") + ", 100 users (n="
                            + lat.count() + ")",
                    Results.percentiles(lat, 50, 95, 99), lat.ms(99), "ms (p99)",
                    base == null ? null : "bare POST " + Results.percentiles(base, 50, 99),
                    base == null ? Double.NaN : base.ms(99),
                    Double.isNaN(target) ? null : "p99 < " + (int) target + " ms",
                    Double.isNaN(target) ? null : lat.ms(99) < target, d));
        }
        profiler.stop();
    }

    /**
     * Warms a fresh delivery server (requests and deliveries, so that the JIT has compiled both paths) with the
     * latency load at 200 events/s over 20 users of its own, for {@code serverWarmupSeconds}; nothing is measured.
     */
    static void warmUp(Setup s, HooklineProcess server) throws Exception {
        Api api = new Api(server);
        List<Api.User> users = api.parallel(20, 4, (http, i) -> {
            Api.User u = api.createUser(http, String.format("warm-%05d", i));
            api.createWebhooks(http, u, List.of(s.receiver().url("ok", "warm-lat/" + i)));
            return u;
        });
        hookline(s, server, users, 200, s.sizes().serverWarmupSeconds(), "/ok/warm-lat/", false);
    }

    /** What a paced run measured: latencies, the rate the server let the bench reach, sends started late. */
    record Paced(Stats latency, double achievedRate, long late) {
    }

    /**
     * Creates {@code rate × seconds} events on schedule (a sender whose previous request is still running sends
     * late; the achieved rate says when the server could not keep up); returns the change → delivery latencies.
     */
    private static Paced hookline(Setup s, HooklineProcess server, List<Api.User> users, int rate, double seconds,
                                  String prefix, boolean report) throws Exception {
        int n = (int) Math.round(rate * seconds);
        long[] sent = new long[n];
        long[] answered = new long[n];
        Hits hits = new Hits(prefix);
        s.receiver().sink(hits);
        AtomicLong late = new AtomicLong();
        long t0 = System.nanoTime() + 50_000_000L;
        long step = 1_000_000_000L / rate;
        CountDownLatch done = new CountDownLatch(SENDERS);
        for (int w = 0; w < SENDERS; w++) {
            int first = w;
            Thread t = new Thread(() -> {
                try (Http http = new Http(server.port)) {
                    for (int k = first; k < n; k += SENDERS) {
                        long at = t0 + k * step;
                        long now;
                        while ((now = System.nanoTime()) < at) LockSupport.parkNanos(at - now);
                        if (now - at > 5_000_000L) late.incrementAndGet();
                        Api.User u = users.get(k % users.size());
                        sent[k] = System.nanoTime();
                        int status = http.post(u.events(), u.appToken(), Api.eventBody(k)).status();
                        answered[k] = System.nanoTime();
                        if (status != 201) answered[k] = -1;
                    }
                } catch (Exception e) {
                    System.err.println("  ! latency sender: " + e);
                } finally {
                    done.countDown();
                }
            }, "latency-" + w);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        long lastAnswer = t0;
        for (long a : answered) lastAnswer = Math.max(lastAnswer, a);
        double achieved = n / ((lastAnswer - t0) / 1e9);
        // Each event should bring one delivery (two events of a user may share one if they come close together).
        hits.awaitQuiet(prefix, n, 5.0, 1.0);
        s.receiver().sink(null);
        if (report && late.get() > 0) System.err.printf("  ! %d of %d sends started > 5 ms late%n", late.get(), n);

        int userCount = users.size();
        List<List<Long>> byUser = new ArrayList<>();
        for (int i = 0; i < userCount; i++) byUser.add(new ArrayList<>());
        for (Hits.Hit h : hits.with(prefix)) byUser.get(Integer.parseInt(h.ids(prefix)[0])).add(h.nanos());
        long[][] arrivalsByUser = new long[userCount][];
        for (int i = 0; i < userCount; i++) {
            arrivalsByUser[i] = byUser.get(i).stream().mapToLong(Long::longValue).sorted().toArray();
        }
        long[] latencies = new long[n];
        int count = 0;
        int missing = 0;
        for (int k = 0; k < n; k++) {
            long[] arrivals = arrivalsByUser[k % userCount];
            int i = Arrays.binarySearch(arrivals, sent[k]);
            int first = i >= 0 ? i : -i - 1; // the first delivery to this user's webhook after the event was sent
            if (answered[k] <= 0 || first >= arrivals.length) {
                missing++;
                if (report && System.getenv("BENCH_DEBUG") != null) {
                    StringBuilder sb = new StringBuilder();
                    for (long a : arrivals) sb.append(' ').append((a - t0) / 1_000_000);
                    System.err.printf("  missing k=%d user=%d sent=%d answered=%d arrivals(ms):%s%n", k,
                            k % userCount, (sent[k] - t0) / 1_000_000, (answered[k] - t0) / 1_000_000, sb);
                }
                continue;
            }
            latencies[count++] = Math.max(0, arrivals[first] - answered[k]);
        }
        if (report && missing > 0) System.err.printf("  ! %d of %d events saw no delivery%n", missing, n);
        if (report && System.getenv("BENCH_DEBUG") != null) slowest(sent, answered, arrivalsByUser, t0);
        return new Paced(new Stats(latencies, count), achieved, late.get());
    }

    /**
     * With {@code BENCH_DEBUG}: the 20 slowest notifications with when they were sent (ms into the run) and how long
     * the request itself took, to tell a stall of the whole server (slow requests at the same moment) from one of
     * the delivery path alone.
     */
    private static void slowest(long[] sent, long[] answered, long[][] arrivalsByUser, long t0) {
        List<long[]> rows = new ArrayList<>();
        for (int k = 0; k < sent.length; k++) {
            long[] arrivals = arrivalsByUser[k % arrivalsByUser.length];
            int i = Arrays.binarySearch(arrivals, sent[k]);
            int first = i >= 0 ? i : -i - 1;
            if (answered[k] <= 0 || first >= arrivals.length) continue;
            rows.add(new long[]{k, sent[k] - t0, answered[k] - sent[k], Math.max(0, arrivals[first] - answered[k])});
        }
        rows.sort((a, b) -> Long.compare(b[3], a[3]));
        // Wall-clock times too, to line them up with the server's and PostgreSQL's logs.
        long wallMinusNanoMs = System.currentTimeMillis() - System.nanoTime() / 1_000_000;
        for (long[] r : rows.subList(0, Math.min(20, rows.size()))) {
            System.err.printf("  slow k=%d sent=%.1f ms (%s) request=%.2f ms notification=%.2f ms%n", r[0],
                    r[1] / 1e6, java.time.Instant.ofEpochMilli(wallMinusNanoMs + (t0 + r[1]) / 1_000_000), r[2] / 1e6,
                    r[3] / 1e6);
        }
    }

    /** The floor: a bare client posting to the receiver at the same rate; send start → receiver. */
    private static Stats bare(Setup s, int rate, double seconds) throws Exception {
        int n = Math.max(10, (int) Math.round(rate * seconds));
        String prefix = "/ok/latbase/";
        Hits hits = new Hits(prefix);
        s.receiver().sink(hits);
        long[] sent = new long[n];
        Arrays.fill(sent, -1);
        BareClient client = new BareClient();
        for (int i = 0; i < 50; i++) client.post(s.receiver().url("ok", "warm/" + i)); // connections, JIT
        long t0 = System.nanoTime() + 50_000_000L;
        long step = 1_000_000_000L / rate;
        CountDownLatch done = new CountDownLatch(SENDERS);
        for (int w = 0; w < SENDERS; w++) {
            int first = w;
            Thread t = new Thread(() -> {
                try {
                    for (int k = first; k < n; k += SENDERS) {
                        long at = t0 + k * step;
                        long now;
                        while ((now = System.nanoTime()) < at) LockSupport.parkNanos(at - now);
                        sent[k] = System.nanoTime();
                        client.post(s.receiver().url("ok", "latbase/" + k));
                    }
                } catch (Exception e) {
                    System.err.println("  ! bare sender: " + e);
                } finally {
                    done.countDown();
                }
            }, "bare-latency-" + w);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        hits.await(prefix, n, 5.0);
        s.receiver().sink(null);
        long[] lat = new long[n];
        int count = 0;
        for (Hits.Hit h : hits.with(prefix)) {
            int k = Integer.parseInt(h.ids(prefix)[0]);
            if (sent[k] > 0) lat[count++] = h.nanos() - sent[k];
        }
        return new Stats(lat, count);
    }
}
