package io.hookline.edge;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.hookline.HooklineConfiguration;
import io.hookline.support.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A request refused before its body was read (no token, wrong admin key) must still have its body read. Otherwise the
 * server closes a connection with unread bytes in it, the kernel answers with a reset, and a client still sending its
 * body may lose the answer altogether.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UnreadBodyTest {
    static final DropwizardAppExtension<HooklineConfiguration> APP = TestApps.app();

    @Test
    void aRefusedRequestStillReadsItsBodyAndKeepsTheConnection() throws IOException {
        String body = "{\"username\":\"late-body\"}";
        try (Socket s = new Socket("127.0.0.1", APP.getLocalPort())) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(("POST /system/create-user HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The body has not been sent: the server waits for it rather than answering and hanging up.
            s.setSoTimeout(500);
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
            s.setSoTimeout(10_000);
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String first = readResponse(in);
            assertThat(first).startsWith("HTTP/1.1 401").contains("invalid-access-token");
            assertThat(first.toLowerCase()).doesNotContain("connection: close");

            // The same connection serves the next request.
            out.write("GET /system/notifiers HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 401");
        }
    }

    /** One response with a Content-Length body (what the server sends for JSON answers). */
    private static String readResponse(InputStream in) throws IOException {
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
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
