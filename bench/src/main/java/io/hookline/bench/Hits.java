package io.hookline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records the receiver's arrivals whose path starts with a prefix ("/ok/fo/", ...), keeping the path and the
 * arrival time, and lets a scenario wait, with a bound, until enough have arrived.
 */
final class Hits implements Receiver.Sink {
    record Hit(String path, long nanos) {
        /** The path segments after the prefix, e.g. "12/3" for "/ok/fo/12/3". */
        String[] ids(String prefix) {
            return path.substring(prefix.length()).split("/");
        }
    }

    private final List<String> prefixes;
    private final AtomicInteger[] counts;
    private final ConcurrentLinkedQueue<Hit> hits = new ConcurrentLinkedQueue<>();

    /** Records paths starting with any of {@code prefixes}, and counts them per prefix. */
    Hits(String... prefixes) {
        this.prefixes = List.of(prefixes);
        this.counts = new AtomicInteger[prefixes.length];
        for (int i = 0; i < prefixes.length; i++) counts[i] = new AtomicInteger();
    }

    @Override
    public void hit(String path, long nanos) {
        for (int i = 0; i < counts.length; i++) {
            if (path.startsWith(prefixes.get(i))) {
                hits.add(new Hit(path, nanos));
                counts[i].incrementAndGet();
                return;
            }
        }
    }

    /** Hits whose path starts with {@code prefix}. */
    List<Hit> with(String prefix) {
        List<Hit> out = new ArrayList<>();
        for (Hit h : hits) if (h.path().startsWith(prefix)) out.add(h);
        return out;
    }

    /** Hits so far of one of the constructor's prefixes. */
    int count(String prefix) {
        return counts[prefixes.indexOf(prefix)].get();
    }

    /**
     * Waits until {@code prefix} (one of the constructor's) has {@code n} hits, or {@code seconds} pass; returns
     * whether they arrived. Arrival times are recorded by the receiver, so the polling step costs no precision.
     */
    boolean await(String prefix, int n, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (count(prefix) < n && System.nanoTime() < deadline) TimeUnit.MILLISECONDS.sleep(10);
        return count(prefix) >= n;
    }

    /**
     * Like {@link #await}, but also returns once no hit has arrived for {@code quietSeconds}: when deliveries may
     * be merged, fewer than {@code n} hits can be all there is.
     */
    boolean awaitQuiet(String prefix, int n, double seconds, double quietSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long quiet = (long) (quietSeconds * 1e9);
        int seen = count(prefix);
        long lastChange = System.nanoTime();
        while (count(prefix) < n && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
            int c = count(prefix);
            if (c != seen) {
                seen = c;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange >= quiet) {
                break;
            }
        }
        return count(prefix) >= n;
    }
}
