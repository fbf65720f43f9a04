package io.hookline.bench;

import java.util.List;

/**
 * Counts and durations of one run: the full sizes, or smaller ones for {@code --quick}.
 * {@code serverWarmupSeconds}: load run on a fresh server before anything is measured, so that figures are those of
 * a warm server (on two cores the JIT compilers otherwise take most of the CPU during the first seconds).
 */
record Sizes(
        String mode,
        double serverWarmupSeconds,
        double ingestWarmupSeconds,
        double ingestSeconds,
        List<Integer> ingestConcurrency,
        List<Integer> ingestWebhooks,
        double sqliteSeconds,
        List<Integer> latencyRates,
        List<Double> latencySeconds,
        double latencyBaselineSeconds,
        int latencyUsers,
        int fanoutUsers,
        int fanoutWebhooksPerUser,
        int footprintWebhooks,
        int footprintPerUser) {

    static Sizes full() {
        return new Sizes("full", 10.0, 1.0, 4.0, List.of(1, 4, 16), List.of(0, 10, 1000), 3.0,
                List.of(10, 100, 1000), List.of(30.0, 10.0, 10.0), 10.0, 100,
                1000, 10, 100_000, 1000);
    }

    static Sizes quick() {
        return new Sizes("quick", 1.5, 0.3, 1.0, List.of(1, 4, 16), List.of(0, 10, 1000), 1.0,
                List.of(10, 100, 1000), List.of(3.0, 2.0, 2.0), 1.5, 100,
                200, 10, 20_000, 1000);
    }

    int fanoutWebhooks() {
        return fanoutUsers * fanoutWebhooksPerUser;
    }
}
