package io.hookline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Closed-loop load: {@code concurrency} threads, each on its own connection, send one request after the other for a
 * warm-up and then a measured period. Reports requests per second and the latency of the measured requests. A paced
 * load ({@link #paced}) sends at a set rate instead, so that its CPU per request is read on a machine that is not
 * saturated.
 */
final class Load {
    /** One request of one worker; must return the HTTP status. */
    interface Call {
        int run(Http http, int worker, long seq) throws Exception;
    }

    /**
     * {@code requests} and {@code latency} cover the measured period; {@code allRequests} also the warm-up,
     * {@code serverCpuSeconds} the servers' CPU time over the whole run (NaN when not measured), and
     * {@code databaseCpuSeconds} the PostgreSQL server's (NaN on SQLite or when not measured, see {@link PostgresCpu}).
     */
    record Result(int concurrency, long requests, double seconds, Stats latency, long errors, long allRequests,
                  double serverCpuSeconds, double databaseCpuSeconds) {
        double perSecond() {
            return requests / seconds;
        }

        /** Server CPU milliseconds per request, a cost that does not depend on how busy the machine is. */
        double cpuMsPerRequest() {
            return serverCpuSeconds * 1000 / allRequests;
        }

        /** PostgreSQL's CPU milliseconds per request (NaN on SQLite). */
        double databaseCpuMsPerRequest() {
            return databaseCpuSeconds * 1000 / allRequests;
        }

        /** This result and {@code other}'s, of the same load measured at another time, as one. */
        Result plus(Result other) {
            return new Result(concurrency, requests + other.requests, seconds + other.seconds,
                    latency.plus(other.latency), errors + other.errors, allRequests + other.allRequests,
                    serverCpuSeconds + other.serverCpuSeconds, databaseCpuSeconds + other.databaseCpuSeconds);
        }
    }

    private static final int MAX_SAMPLES = 2_000_000;

    /** Runs the load; any status other than {@code okStatus} counts as an error (the first is reported). */
    static Result run(HooklineProcess server, int concurrency, double warmupSeconds, double seconds, int okStatus,
                      Call call) throws Exception {
        return run(List.of(server), concurrency, warmupSeconds, seconds, okStatus, call);
    }

    /**
     * The same load spread over several servers (nodes of one database): worker {@code w} talks to server
     * {@code w % servers.size()}; the server CPU is the sum over all of them.
     */
    static Result run(List<HooklineProcess> servers, int concurrency, double warmupSeconds, double seconds,
                      int okStatus, Call call) throws Exception {
        return run(servers, concurrency, 0, warmupSeconds, seconds, okStatus, call);
    }

    /**
     * The load of {@link #run(List, int, double, double, int, Call)} at {@code perSecond} requests a second over all
     * workers: request {@code i} is due {@code i / perSecond} seconds after the start and goes to the next free
     * worker, at once if it is late. Its latency counts from when it was due, so that a server falling behind shows
     * in it rather than in fewer requests sent.
     */
    static Result paced(List<HooklineProcess> servers, int concurrency, double perSecond, double warmupSeconds,
                        double seconds, int okStatus, Call call) throws Exception {
        if (!(perSecond > 0)) throw new IllegalArgumentException("perSecond must be positive");
        return run(servers, concurrency, perSecond, warmupSeconds, seconds, okStatus, call);
    }

    /** {@code perSecond} 0: closed loop. */
    private static Result run(List<HooklineProcess> servers, int concurrency, double perSecond, double warmupSeconds,
                              double seconds, int okStatus, Call call) throws Exception {
        double cpu0 = cpuSeconds(servers);
        double db0 = databaseCpuSeconds(servers);
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        long[][] samples = new long[concurrency][];
        int[] counts = new int[concurrency];
        long[] all = new long[concurrency];
        long[] errors = new long[concurrency];
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicLong tickets = new AtomicLong();
        double intervalNanos = perSecond > 0 ? 1e9 / perSecond : 0;
        CountDownLatch done = new CountDownLatch(concurrency);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            int port = servers.get(w % servers.size()).port;
            samples[w] = new long[Math.min(MAX_SAMPLES / concurrency, (int) (seconds * 50_000) + 16)];
            Thread t = new Thread(() -> {
                long seq = 0;
                try (Http http = new Http(port)) {
                    while (true) {
                        long t0 = System.nanoTime();
                        if (perSecond > 0) {
                            long due = start + (long) (tickets.getAndIncrement() * intervalNanos);
                            if (due >= end) break;
                            for (long now = t0; now < due; now = System.nanoTime()) LockSupport.parkNanos(due - now);
                            t0 = due;
                        }
                        if (t0 >= end) break;
                        int status;
                        try {
                            status = call.run(http, worker, seq++);
                        } catch (Exception e) {
                            status = -1;
                            firstError.compareAndSet(null, e.toString());
                        }
                        long t1 = System.nanoTime();
                        all[worker]++;
                        if (t0 >= measureFrom && t1 <= end) {
                            if (status != okStatus) {
                                errors[worker]++;
                                firstError.compareAndSet(null, "status " + status);
                            } else if (counts[worker] < samples[worker].length) {
                                samples[worker][counts[worker]++] = t1 - t0;
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + w);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        done.await();
        double cpu = cpuSeconds(servers) - cpu0;
        double db = databaseCpuSeconds(servers) - db0;
        int total = 0;
        for (int c : counts) total += c;
        long[] measured = new long[total];
        int at = 0;
        long errs = 0;
        long allRequests = 0;
        for (int w = 0; w < concurrency; w++) {
            System.arraycopy(samples[w], 0, measured, at, counts[w]);
            at += counts[w];
            errs += errors[w];
            allRequests += all[w];
        }
        if (errs > 0) System.err.printf("  ! %d failed requests (first: %s)%n", errs, firstError.get());
        return new Result(concurrency, total, seconds, Stats.of(measured), errs, allRequests, cpu, db);
    }

    /** The servers' CPU seconds so far, summed. */
    static double cpuSeconds(List<HooklineProcess> servers) {
        double sum = 0;
        for (HooklineProcess s : servers) sum += s.cpuSeconds();
        return sum;
    }

    /** The PostgreSQL server's CPU seconds so far when these servers run on it, else NaN. */
    static double databaseCpuSeconds(List<HooklineProcess> servers) {
        return servers.stream().anyMatch(s -> s.onPostgres) ? PostgresCpu.seconds() : Double.NaN;
    }
}
