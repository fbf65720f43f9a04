package io.hookline.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.ApiClient;
import io.hookline.support.ApiClient.User;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request answered before its body was read (refused early, or with a body it does not need) must still have its
 * body read. Otherwise the server closes a connection with unread bytes in it, the kernel answers with a reset, and a
 * client still sending its body may lose the answer altogether. The answer goes out first; the rest of the body is
 * read after it, so the connection ends cleanly (or serves the next request).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UnreadBodyTest {
    static final int MAX_BODY = 1024 * 1024;
    static final int LARGE = 8 * 1024 * 1024;
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app(
            "limits.maxRequestBody", MAX_BODY + " bytes");
    static final ObjectMapper JSON = new ObjectMapper();

    final ApiClient api = TestApps.client(APP);

    private record Case(String method, String path, String token, int status, String errorId) {
    }

    @Test
    void aRefusedRequestStillReadsItsBodyAndKeepsTheConnection() throws Exception {
        String body = "{\"username\":\"late-body\"}";
        try (Socket s = new Socket("127.0.0.1", APP.getLocalPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(head("POST", "/system/create-user", "", body.length()));
            out.flush();
            // The answer needs no body: it comes at once, and the server still waits for the body.
            Answer first = readAnswer(in);
            assertThat(first.status()).isEqualTo(401);
            assertThat(first.errorId()).isEqualTo("invalid-access-token");
            assertThat(first.closes()).isFalse();
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // The same connection serves the next request.
            out.write("GET /system/notifiers HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readAnswer(in).status()).isEqualTo(401);
        }
    }

    /**
     * Methods the API does not know, odd and ambiguous paths, missing tokens, unknown resources, bodies over the limit
     * and a body on a call that takes none: each gets its answer, then the server reads the whole 8 MiB body rather
     * than hanging up in the middle of it.
     */
    @Test
    void everyEarlyAnswerStillReadsTheWholeLargeBody() throws Exception {
        User u = api.newUser("drain");
        String p = "/" + u.username();
        String app = api.createAccess(u, u.token(), Map.of("type", "app", "name", "drain-app",
                "permissions", List.of(Map.of("streamId", "*", "level", "manage")))).get("token").asText();
        String hook = p + "/webhooks/" + api.post(p + "/webhooks", app, Map.of("type", "log", "url", "drain"))
                .body().get("webhook").get("id").asText();
        List<Case> cases = new ArrayList<>();
        for (String method : List.of("PROPFIND", "MKCOL", "FOO", "TRACE", "PATCH")) {
            cases.add(new Case(method, hook, app, 405, "invalid-operation"));
        }
        for (String odd : List.of("/webhooks/a%2Fb", "//webhooks", "/..;/webhooks", "/webhooks/%2e%2e",
                "/webhooks/..%2F", "/webhooks/%5C", "/webhooks/%FF", "/webhooks/%C0%AE")) {
            cases.add(new Case("POST", p + odd, app, 400, "invalid-request-structure"));
        }
        cases.add(new Case("PUT", p + "/webhooks/no-such-hook", app, 413, "request-too-large"));
        cases.add(new Case("POST", "/no/such/resource", app, 404, "unknown-resource"));
        cases.add(new Case("POST", p + "/events", "", 413, "request-too-large"));
        cases.add(new Case("POST", "/system/create-user", "", 401, "invalid-access-token"));
        cases.add(new Case("POST", p + "/events", u.token(), 413, "request-too-large"));
        for (int round = 0; round < 3; round++) {
            for (Case c : cases) sendLarge(c);
        }

        // A body on a call that takes none: the answer is a success, and the body is read all the same.
        try (Socket s = new Socket("127.0.0.1", APP.getLocalPort())) {
            s.setSoTimeout(30_000);
            CompletableFuture<Void> sent = sendInBackground(s, head("DELETE", hook, app, LARGE));
            Answer answer = readAnswer(s.getInputStream());
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            assertThat(answer.json().has("webhookDeletion")).as(answer.text()).isTrue();
            sent.get(60, TimeUnit.SECONDS);
            assertNextRequestOrCleanEnd(s, answer);
        }
    }

    /** A client that waits for "100 Continue" before its body gets the answer instead, and no invitation after it. */
    @Test
    void aClientAwaitingContinueGetsTheAnswerAndNoInvitationAfter() throws Exception {
        try (Socket s = new Socket("127.0.0.1", APP.getLocalPort())) {
            s.setSoTimeout(30_000);
            String head = new String(head("PROPFIND", "/system/create-user", "", LARGE), StandardCharsets.US_ASCII)
                    .replace("\r\n\r\n", "\r\nExpect: 100-continue\r\n\r\n");
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            Answer answer = readAnswer(s.getInputStream());
            assertThat(answer.status()).as(answer.text()).isEqualTo(405);
            assertThat(answer.errorId()).isEqualTo("invalid-operation");
            assertThat(answer.closes()).isTrue();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    private void sendLarge(Case c) throws Exception {
        String described = c.method() + " " + c.path();
        try (Socket s = new Socket("127.0.0.1", APP.getLocalPort())) {
            s.setSoTimeout(30_000);
            CompletableFuture<Void> sent = sendInBackground(s, head(c.method(), c.path(), c.token(), LARGE));
            Answer answer = readAnswer(s.getInputStream());
            assertThat(answer.status()).as("%s: %s", described, answer.text()).isEqualTo(c.status());
            assertThat(answer.errorId()).as("%s: %s", described, answer.text()).isEqualTo(c.errorId());
            assertThat(answer.json().path("meta").path("apiVersion").isTextual()).as(answer.text()).isTrue();
            try {
                sent.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(described + ": the server hung up before the body was in, after "
                        + answer.headers() + answer.text(), e);
            }
            assertNextRequestOrCleanEnd(s, answer);
        }
    }

    /** After the whole body: an answer saying "close" ends cleanly; any other serves the next request. */
    private static void assertNextRequestOrCleanEnd(Socket s, Answer answer) throws IOException {
        if (answer.closes()) {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            return;
        }
        s.getOutputStream().write("GET /no/such HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        assertThat(readAnswer(s.getInputStream()).status()).isEqualTo(404);
    }

    private static byte[] head(String method, String path, String token, int length) {
        return (method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + (token.isEmpty() ? "" : "Authorization: " + token + "\r\n")
                + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes the head and a body of {@code x} of the length it announces; fails if the server hangs up. */
    private static CompletableFuture<Void> sendInBackground(Socket s, byte[] head) {
        String text = new String(head, StandardCharsets.US_ASCII);
        long length = Long.parseLong(text.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        return CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = s.getOutputStream();
                out.write(head);
                byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                for (long left = length; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
                out.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private record Answer(int status, String headers, String text) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        String errorId() {
            return json().path("error").path("id").asText(null);
        }

        boolean closes() {
            return headers.toLowerCase().contains("\r\nconnection: close");
        }
    }

    /** One answer with a Content-Length body (what the server sends for JSON answers). */
    private static Answer readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed after: " + head);
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        }
        int status = Integer.parseInt(headers.substring(9, 12));
        return new Answer(status, headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }
}
