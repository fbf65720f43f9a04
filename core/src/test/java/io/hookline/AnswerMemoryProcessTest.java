package io.hookline;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.support.ApiClient;
import io.hookline.support.ServerProcess;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hookline in its own JVM with the heap {@code scripts/run} gives it (256 MiB) and the repository's limits: with
 * large events stored, the largest answers one user can ask for, several at once, are answered or refused with 413,
 * never an OutOfMemoryError; the process stays within its memory; another user's requests keep succeeding meanwhile.
 */
class AnswerMemoryProcessTest {
    static final int EVENT_BYTES = 5 * 1024 * 1024;
    static final int EVENTS = 8;
    static final int GREEDY_CLIENTS = 4;
    static final int ROUNDS = 2;
    static final long MIB = 1024 * 1024;
    /** Heap 256 MiB plus the JVM's own (code, metaspace, threads, SQLite's page caches). */
    static final long MAX_RESIDENT = 640 * MIB;

    @Test
    void theWorstAnswersStayWithinTheHeapAndOthersAreServedMeanwhile() throws Exception {
        var dir = TestApps.tempDir();
        int port = ServerProcess.freePort();
        String url = "http://127.0.0.1:" + port;
        Process server = ServerProcess.start(dir, port, ServerProcess.freePort(), Map.of(), List.of("-Xmx256m"));
        try {
            ApiClient api = new ApiClient(url);
            ApiClient.User greedy = api.newUser("greedy");
            String g = "/" + greedy.username();
            assertThat(api.post(g + "/streams", greedy.token(), Map.of("id", "s", "name", "s")).status()).isEqualTo(201);
            String big = "x".repeat(EVENT_BYTES);
            for (int i = 0; i < EVENTS; i++) {
                ApiClient.Reply r = api.post(g + "/events", greedy.token(),
                        Map.of("streamIds", List.of("s"), "type", "note/txt", "content", big, "clientData",
                                Map.of("i", i)));
                assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
            }
            ApiClient.User other = api.newUser("other");
            String o = "/" + other.username();
            assertThat(api.post(o + "/streams", other.token(), Map.of("id", "s", "name", "s")).status()).isEqualTo(201);

            List<Map<String, Object>> batch = new ArrayList<>();
            // The most a batch can ask: a call answering 15 MiB (just under the answer limit), then 999 calls for
            // everything.
            batch.add(Map.of("method", "events.get", "params", Map.of("limit", 3)));
            for (int i = 1; i < 1000; i++) batch.add(Map.of("method", "events.get", "params", Map.of("limit", 1000)));
            ConcurrentLinkedQueue<String> greedyAnswers = new ConcurrentLinkedQueue<>();
            AtomicLong maxResident = new AtomicLong(residentBytes(server));
            ExecutorService pool = Executors.newFixedThreadPool(GREEDY_CLIENTS);
            List<Future<?>> greedyRuns = new ArrayList<>();
            for (int c = 0; c < GREEDY_CLIENTS; c++) {
                greedyRuns.add(pool.submit(() -> {
                    ApiClient client = new ApiClient(url);
                    for (int round = 0; round < ROUNDS; round++) {
                        ApiClient.Reply b = client.post(g + "/", greedy.token(), batch);
                        greedyAnswers.add(b.status() + " " + b.errorId());
                        if (b.status() == 200) {
                            for (JsonNode result : b.body().get("results")) {
                                greedyAnswers.add("call " + (result.has("events") ? "events"
                                        : result.path("error").path("id").asText()));
                            }
                        }
                        ApiClient.Reply e = client.get(g + "/events?limit=1000", greedy.token());
                        greedyAnswers.add(e.status() + " " + e.errorId());
                        ApiClient.Reply s = client.get(g + "/events?fromTime=0&limit=0", greedy.token());
                        greedyAnswers.add(s.status() + " " + s.errorId());
                    }
                }));
            }
            // The other user works while the greedy requests run, and until they are all done.
            int served = 0;
            while (served < 5 || greedyRuns.stream().anyMatch(f -> !f.isDone())) {
                ApiClient.Reply created = api.post(o + "/events", other.token(),
                        Map.of("streamIds", List.of("s"), "type", "count/steps", "content", served));
                assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
                ApiClient.Reply read = api.get(o + "/events?limit=5", other.token());
                assertThat(read.status()).as(read.body().toString()).isEqualTo(200);
                assertThat(read.body().get("events").get(0).get("content").asInt()).isEqualTo(served);
                served++;
                maxResident.accumulateAndGet(residentBytes(server), Math::max);
            }
            for (Future<?> f : greedyRuns) f.get();
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            maxResident.accumulateAndGet(residentBytes(server), Math::max);

            assertThat(greedyAnswers).as("every greedy answer is a 200 or a 413, never a 500")
                    .allMatch(a -> a.equals("200 null") || a.equals("413 too-many-results")
                            || a.equals("call events") || a.equals("call too-many-results"));
            assertThat(greedyAnswers).contains("call events", "call too-many-results", "413 too-many-results");
            assertThat(logs(dir)).doesNotContain("OutOfMemoryError").doesNotContain("unexpected-error");
            assertThat(server.isAlive()).isTrue();
            System.out.printf("AnswerMemoryProcessTest: %d MiB stored in large events, %d greedy answers, %d requests "
                            + "of another user served meanwhile, max resident %d MiB%n",
                    EVENTS * EVENT_BYTES / MIB, greedyAnswers.size(), served * 2, maxResident.get() / MIB);
            assertThat(maxResident.get()).as("resident bytes").isLessThan(MAX_RESIDENT);
        } finally {
            server.destroyForcibly().waitFor();
        }
    }

    /** Resident memory of the process now (Linux {@code VmRSS}). */
    private static long residentBytes(Process p) throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + p.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        throw new IllegalStateException("no VmRSS for process " + p.pid());
    }

    private static String logs(java.nio.file.Path dir) throws java.io.IOException {
        StringBuilder out = new StringBuilder();
        try (var files = java.nio.file.Files.list(dir)) {
            for (var f : files.filter(f -> f.getFileName().toString().startsWith("server-")).toList()) {
                out.append(java.nio.file.Files.readString(f));
            }
        }
        return out.toString();
    }
}
