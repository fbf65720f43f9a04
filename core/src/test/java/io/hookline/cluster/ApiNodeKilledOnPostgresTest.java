package io.hookline.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.storage.Dialect;
import io.hookline.support.ApiClient;
import io.hookline.support.Receiver;
import io.hookline.support.ServerProcess;
import io.hookline.support.TestApps;
import io.hookline.support.TestDatabases;
import io.hookline.support.Wait;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An API-only node killed (SIGKILL) in a burst of writes, with separate processes on one PostgreSQL database: two
 * API-only nodes and one delivering node. Clients write through the first API-only node and move to the second when
 * their request fails. Every write answered 201 is stored and notified; a write left without an answer either landed
 * (then it is notified too) or did not (then nothing is notified for it): the test finds out which, for each one.
 * Each user gets exactly one write in the burst, so a notification to a user's webhook is the notification of that
 * write.
 */
class ApiNodeKilledOnPostgresTest {
    private static final int USERS = 100;
    private static final int CLIENTS = 16;
    /** Writes answered before the kill: the burst is well under way, most of it still to come. */
    private static final int KILL_AFTER = USERS / 4;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Path dir = TestApps.tempDir();
    private final List<Process> nodes = new ArrayList<>();
    private Jdbi db;

    @AfterEach
    void stopNodes() {
        for (Process p : nodes) {
            ServerProcess.signal(p, "CONT");
            p.destroyForcibly();
        }
    }

    /** A node: its process and its API. */
    private record Node(Process process, ApiClient api) {
    }

    /** The nodes, started at once (delivering or API-only), in the order given. */
    private List<Node> start(String url, boolean... delivers) throws Exception {
        ExecutorService starting = Executors.newFixedThreadPool(delivers.length);
        try {
            List<Future<Node>> started = new ArrayList<>();
            for (int i = 0; i < delivers.length; i++) {
                Path home = dir.resolve("node" + i);
                String delivery = Boolean.toString(delivers[i]);
                started.add(starting.submit(() -> {
                    int port = ServerProcess.freePort();
                    Process p = ServerProcess.start(home, port, ServerProcess.freePort(),
                            Map.of("HOOKLINE_DB_URL", url, "HOOKLINE_DELIVERY_ENABLED", delivery), List.of("-Xmx256m"));
                    synchronized (nodes) {
                        nodes.add(p);
                    }
                    return new Node(p, new ApiClient("http://127.0.0.1:" + port));
                }));
            }
            List<Node> out = new ArrayList<>();
            for (Future<Node> f : started) out.add(f.get());
            return out;
        } finally {
            starting.shutdown();
        }
    }

    /** A user with an app access, a stream and one webhook at {@code /<index>} of the receiver. */
    private record Account(int index, String username, String token) {
        String path(String rest) {
            return "/" + username + rest;
        }
    }

    /** What became of an account's write in the burst. */
    private record Write(boolean answered, String eventId) {
    }

    @Test
    void everyWriteAnswered201IsNotifiedAndEachUnansweredOneIsFoundOut() throws Exception {
        String url = TestDatabases.createDatabase();
        db = Dialect.POSTGRESQL.install(Jdbi.create(url));
        List<Node> cluster = start(url, true, false, false);
        ApiClient delivering = cluster.get(0).api();
        ApiClient victim = cluster.get(1).api();
        ApiClient survivor = cluster.get(2).api();
        Process victimProcess = cluster.get(1).process();

        try (Receiver receiver = new Receiver()) {
            List<Account> accounts = createAccounts(List.of(delivering, survivor), receiver);
            double before = delivering.get(accounts.get(0).path("/events"), accounts.get(0).token()).body()
                    .path("meta").path("serverTime").asDouble();

            Map<Integer, Write> writes = new ConcurrentHashMap<>();
            AtomicInteger answered = new AtomicInteger();
            AtomicReference<ApiClient> target = new AtomicReference<>(victim);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> burst = new ArrayList<>();
            for (Account a : accounts) {
                burst.add(clients.submit(() -> {
                    ApiClient api = target.get();
                    try {
                        ApiClient.Reply r = api.post(a.path("/events"), a.token(), Map.of("streamIds",
                                List.of("steps"), "type", "count/steps", "content", a.index()));
                        assertThat(r.status()).as(r.text()).isEqualTo(201);
                        writes.put(a.index(), new Write(true, r.body().path("event").path("id").asText()));
                        answered.incrementAndGet();
                    } catch (UncheckedIOException e) {
                        // Only the killed node may leave a write without an answer; the client moves on.
                        assertThat(api).as("the node that failed to answer").isSameAs(victim);
                        writes.put(a.index(), new Write(false, null));
                        target.set(survivor);
                    }
                    return null;
                }));
            }
            Wait.until(() -> answered.get() >= KILL_AFTER || burst.stream().allMatch(Future::isDone), WAIT,
                    KILL_AFTER + " writes answered");
            // Stopped first, so that the sessions it has with PostgreSQL can be listed before it dies.
            ServerProcess.signal(victimProcess, "STOP");
            assertThat(answered.get()).as("writes answered before the kill, of %d", USERS).isLessThan(USERS);
            Set<Integer> sessions = postgresClientPorts(victimProcess.pid());
            victimProcess.destroyForcibly().waitFor();
            long killed = System.nanoTime();
            clients.shutdown();
            for (Future<?> f : burst) f.get();
            assertThat(writes).hasSize(USERS);
            assertThat(answered.get()).as("writes in flight on the killed node").isLessThan(USERS);
            assertThat(sessions).as("the killed node's PostgreSQL sessions").isNotEmpty();

            // Once PostgreSQL has ended the killed node's sessions, what it did not commit never will be.
            Wait.until(() -> sessionsLeft(sessions) == 0, WAIT, "PostgreSQL to end the killed node's sessions");
            Map<Account, JsonNode> since = eventsSince(delivering, accounts, before);
            List<Account> landed = new ArrayList<>();
            int unansweredLanded = 0;
            for (Account a : accounts) {
                JsonNode events = since.get(a);
                Write w = writes.get(a.index());
                assertThat(events.size()).as("events of %s since the burst began", a.username()).isLessThanOrEqualTo(1);
                if (w.answered()) {
                    assertThat(events.size()).as("the write answered 201 for %s", a.username()).isEqualTo(1);
                    assertThat(events.get(0).path("id").asText()).isEqualTo(w.eventId());
                }
                if (events.size() == 1) {
                    landed.add(a);
                    if (!w.answered()) unansweredLanded++;
                }
            }
            Wait.until(() -> landed.stream().allMatch(a -> notified(receiver, a))
                            && count("SELECT COUNT(*) FROM webhook_pending") == 0
                            && count("SELECT COUNT(*) FROM webhooks WHERE lease_owner IS NOT NULL") == 0,
                    WAIT, "every stored write notified, nothing pending or leased");
            long settled = System.nanoTime() - killed;
            for (Account a : accounts) {
                if (landed.contains(a)) continue;
                assertThat(receiver.hits().stream().filter(h -> h.request().path().equals("/" + a.index())))
                        .as("notifications of %s, whose write did not land", a.username()).isEmpty();
            }
            System.out.printf("api node kill: %d writes, %d answered 201, %d unanswered of which %d landed; "
                            + "all %d stored writes notified %d ms after SIGKILL%n", USERS, answered.get(),
                    USERS - answered.get(), unansweredLanded, landed.size(), settled / 1_000_000);
        }
    }

    private List<Account> createAccounts(List<ApiClient> apis, Receiver receiver) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Account>> made = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                ApiClient api = apis.get(i % apis.size());
                int index = i;
                made.add(pool.submit(() -> {
                    ApiClient.User owner = api.newUser("burst");
                    String token = api.newStepsApp(owner);
                    ApiClient.Reply r = api.post(owner.path("/webhooks"), token,
                            Map.of("url", receiver.url("/" + index)));
                    assertThat(r.status()).as(r.text()).isEqualTo(201);
                    return new Account(index, owner.username(), token);
                }));
            }
            List<Account> out = new ArrayList<>();
            for (Future<Account> f : made) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Each account's events changed since {@code serverTime}, as the API tells them. */
    private static Map<Account, JsonNode> eventsSince(ApiClient api, List<Account> accounts, double serverTime)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Map<Account, Future<JsonNode>> asked = new java.util.LinkedHashMap<>();
            for (Account a : accounts) {
                asked.put(a, pool.submit(() -> api.get(a.path("/events?modifiedSince=" + serverTime), a.token())
                        .body().path("events")));
            }
            Map<Account, JsonNode> out = new HashMap<>();
            for (Map.Entry<Account, Future<JsonNode>> e : asked.entrySet()) out.put(e.getKey(), e.getValue().get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean notified(Receiver receiver, Account a) {
        return receiver.hits().stream().anyMatch(h -> h.request().path().equals("/" + a.index())
                && h.messages().contains("eventsChanged"));
    }

    private long count(String sql) {
        return db.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private long sessionsLeft(Set<Integer> clientPorts) {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM pg_stat_activity "
                        + "WHERE datname = current_database() AND client_port IN (<ports>)")
                .bindList("ports", List.copyOf(clientPorts)).mapTo(Long.class).one());
    }

    /**
     * The local ports of a stopped process's TCP connections to this PostgreSQL server (its sockets are the ones among
     * its file descriptors; the kernel's table gives their ports), which PostgreSQL shows as its sessions' client_port.
     */
    private Set<Integer> postgresClientPorts(long pid) throws IOException {
        int server = db.withHandle(h -> h.createQuery("SELECT inet_server_port()").mapTo(Integer.class).one());
        Set<String> sockets = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                String target = Files.readSymbolicLink(fd).toString();
                if (target.startsWith("socket:[")) sockets.add(target.substring(8, target.length() - 1));
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) continue;
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (sockets.contains(f[9]) && port(f[2]) == server) ports.add(port(f[1]));
            }
        }
        return ports;
    }

    /** The port of an address of /proc/net/tcp: hexadecimal after the colon. */
    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }
}
