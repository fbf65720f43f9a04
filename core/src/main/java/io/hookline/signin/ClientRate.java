package io.hookline.signin;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many sign-in requests each client (by network address) may create: {@code perMinute}, refilled evenly over
 * the minute (a token bucket per client). The clients remembered are bounded: past {@code maxClients}, the one seen
 * least recently is forgotten (it starts again with a full bucket, which costs an attacker nothing it could not get
 * from a fresh address anyway).
 */
final class ClientRate {
    private static final double MINUTE_MS = 60_000;

    private final Clock clock;
    private final int perMinute;
    private final Map<String, Bucket> buckets;

    private static final class Bucket {
        double tokens;
        long atMs;

        Bucket(double tokens, long atMs) {
            this.tokens = tokens;
            this.atMs = atMs;
        }
    }

    ClientRate(Clock clock, int perMinute, int maxClients) {
        this.clock = clock;
        this.perMinute = perMinute;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxClients;
            }
        };
    }

    /**
     * Takes one request for {@code client}: 0 when allowed, else how many seconds until it would be (at least 1).
     */
    synchronized long take(String client) {
        long now = clock.millis();
        Bucket b = buckets.computeIfAbsent(client, c -> new Bucket(perMinute, now));
        b.tokens = Math.min(perMinute, b.tokens + (now - b.atMs) * perMinute / MINUTE_MS);
        b.atMs = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - b.tokens) * MINUTE_MS / perMinute / 1000));
    }
}
