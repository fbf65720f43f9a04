package io.hookline.webhooks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback receiver that misbehaves at the TCP level, which a real HTTP server library will not do on request:
 * it reads each request, then resets the connection, closes it without an answer, or answers 200 keeping the
 * connection alive in HTTP terms while closing the socket (as servers do when an idle keep-alive times out), or
 * answers 200 and then drips its body one byte every 100 ms, so that no single read ever times out.
 */
final class RawReceiver implements AutoCloseable {
    enum Mode { RESET, CLOSE, ANSWER_THEN_CLOSE, DRIP }

    private final ServerSocket server;
    private final Mode mode;
    private final AtomicInteger requests = new AtomicInteger();
    private final Thread acceptor;

    RawReceiver(Mode mode) {
        this.mode = mode;
        try {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::acceptLoop, "raw-receiver-" + mode);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
    }

    /** Complete requests read so far. */
    int requests() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "raw-receiver-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            if (!readRequest(in)) return;
            requests.incrementAndGet();
            switch (mode) {
                case RESET -> s.setSoLinger(true, 0); // close() now sends RST
                case CLOSE -> {
                    // close() sends FIN with no answer
                }
                case ANSWER_THEN_CLOSE -> {
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                case DRIP -> {
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 100_000 && !server.isClosed(); i++) {
                        out.write('x');
                        out.flush(); // fails once the client gives up
                        java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // the receiver's pace
                    }
                }
            }
        } catch (IOException ignored) {
            // the client went away: nothing to record
        }
    }

    /** Reads one request (head and Content-Length body); false at end of stream. */
    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) return false;
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return in.readNBytes(length).length == length;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
