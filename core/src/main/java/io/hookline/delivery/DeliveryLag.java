package io.hookline.delivery;

import io.hookline.storage.ChangeClock;

import java.util.Optional;

/**
 * How late deliveries are: how long a delivery that could run has waited since it became due
 * ({@link DeliveryStore.Late}). A delivery in flight, a throttled or backing-off webhook and a new webhook before its
 * first message are not late. The {@code delivery-lag} health check and the {@code hookline.deliveries.lagMs} gauge
 * read it.
 */
public final class DeliveryLag {
    private final DeliveryStore store;
    private final ChangeClock clock;

    public DeliveryLag(DeliveryStore store, ChangeClock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The latest delivery now and how late it is. */
    public record Worst(String webhookId, long lagMs) {
    }

    public Optional<Worst> worst() {
        long now = clock.nowMicros();
        return store.mostLate(now).map(l -> new Worst(l.webhookId(), (now - l.dueSince()) / 1000));
    }

    /** Milliseconds the latest delivery has waited past its due time; 0 when none is late. */
    public long worstMs() {
        return worst().map(Worst::lagMs).orElse(0L);
    }

    /** How many deliveries are late by more than {@code lagMs}. */
    public long countLaterThan(long lagMs) {
        return store.lateCount(clock.nowMicros() - lagMs * 1000);
    }
}
