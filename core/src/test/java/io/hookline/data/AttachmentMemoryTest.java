package io.hookline.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.support.ApiClient;
import io.hookline.support.Multipart;
import io.hookline.support.ServerProcess;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 50 MB file goes up and comes back through a server with a 256 MiB heap, and the process stays under 512 MiB
 * resident: files are streamed, never held whole in memory.
 */
class AttachmentMemoryTest {
    private static final long SIZE = 50_000_000L;
    private static final long MAX_RSS_BYTES = 512L * 1024 * 1024;
    private final Path dir = TestApps.tempDir();
    private Process server;

    @AfterEach
    void stop() {
        if (server != null) server.destroyForcibly();
    }

    /** {@code SIZE} bytes that do not compress, the same on every read. */
    private static InputStream content() {
        return new InputStream() {
            private long left = SIZE;
            private long x = 0x9E3779B97F4A7C15L;

            @Override
            public int read() {
                if (left-- <= 0) return -1;
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                return (int) (x & 0xff);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) return -1;
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) b[off + i] = (byte) read();
                return n;
            }
        };
    }

    private static long peakRssBytes(Process p) throws IOException {
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        assertThat(status).as("this test reads the server's peak RSS from /proc (Linux)").exists();
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        throw new AssertionError("no VmHWM in " + status);
    }

    @Test
    void fiftyMegabytesUpAndDownWithinBoundedMemory() throws Exception {
        int port = ServerProcess.freePort();
        server = ServerProcess.start(dir, port, ServerProcess.freePort(), Map.of(), List.of("-Xmx256m"));
        ApiClient api = new ApiClient("http://127.0.0.1:" + port);
        ApiClient.User u = api.newUser("bigfile");
        String base = "/" + u.username();
        assertThat(api.post(base + "/streams", u.token(), Map.of("id", "scans", "name", "Scans")).status())
                .isEqualTo(201);

        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        ApiClient.Reply created = api.postMultipart(base + "/events", u.token(), new Multipart()
                .field("event", "{\"streamIds\": [\"scans\"], \"type\": \"file/attached\"}")
                .file("file", "scan.bin", "application/octet-stream", () -> new DigestInputStream(content(), sent)));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String expected = Base64.getEncoder().encodeToString(sent.digest());
        JsonNode file = created.body().get("event").get("attachments").get(0);
        assertThat(file.get("size").asLong()).isEqualTo(SIZE);
        assertThat(file.get("integrity").asText()).isEqualTo("sha256-" + expected);

        HttpRequest get = HttpRequest.newBuilder(URI.create(api.base() + base + "/events/"
                + created.body().get("event").get("id").asText() + "/" + file.get("id").asText()
                + "?readToken=" + file.get("readToken").asText())).timeout(Duration.ofSeconds(120)).build();
        HttpResponse<InputStream> res = HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Digest").orElse("")).isEqualTo("SHA-256=" + expected);
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long count = 0;
        try (InputStream in = new DigestInputStream(res.body(), received)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) count += n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(count).isEqualTo(SIZE);
        assertThat(Base64.getEncoder().encodeToString(received.digest())).isEqualTo(expected);
        assertThat(peakRssBytes(server)).as("peak resident memory of the server").isLessThan(MAX_RSS_BYTES);
    }
}
