package io.hookline.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection to the server under test, used by one thread at a time.
 *
 * <p>The load generator runs on the same two cores as the server, so it must cost as little as possible: a blocking
 * socket, one write and a buffered read per request, no selector thread and no futures. It speaks just what the
 * Hookline API needs (Content-Length or chunked answers). The fan-out baseline uses the bare JDK HttpClient
 * instead: the least a Java service could do to POST the same bodies.
 */
final class Http implements Closeable {
    /** A status and a body. */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private final int readTimeoutMs;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    Http(int port) {
        this(port, 30_000);
    }

    Http(int port, int readTimeoutMs) {
        this.host = "127.0.0.1";
        this.port = port;
        this.readTimeoutMs = readTimeoutMs;
    }

    Response get(String path, String auth) throws IOException {
        return send("GET", path, auth, null);
    }

    Response post(String path, String auth, byte[] json) throws IOException {
        return send("POST", path, auth, json);
    }

    /**
     * Sends one request and reads the whole answer. A kept-alive connection the server closed while idle fails
     * before any answer byte; that case alone is retried once, on a new connection.
     */
    Response send(String method, String path, String auth, byte[] body) throws IOException {
        boolean fresh = socket == null;
        if (fresh) connect();
        try {
            write(method, path, auth, body);
            return read();
        } catch (StaleConnection e) {
            close();
            if (fresh) throw new IOException("connection closed before an answer", e);
            connect();
            write(method, path, auth, body);
            return read();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 5_000);
        s.setSoTimeout(readTimeoutMs);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
    }

    private void write(String method, String path, String auth, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder(256)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(':').append(port).append("\r\n");
        if (auth != null) head.append("Authorization: ").append(auth).append("\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) out.write(body);
        out.flush();
    }

    private Response read() throws IOException {
        String status = line(true);
        if (!status.startsWith("HTTP/1.")) throw new IOException("not an HTTP answer: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String h = line(false); !h.isEmpty(); h = line(false)) {
            int colon = h.indexOf(':');
            if (colon < 0) continue;
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        byte[] body;
        if (chunked) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            while (true) {
                String size = line(false);
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    while (!line(false).isEmpty()) { } // trailers
                    break;
                }
                buf.write(in.readNBytes(n));
                line(false);
            }
            body = buf.toByteArray();
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
            if (body.length != length) throw new EOFException("answer body cut short");
        } else {
            body = in.readAllBytes();
            closeAfter = true;
        }
        if (closeAfter) close();
        return new Response(code, body);
    }

    private String line(boolean first) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                if (first && sb.length() == 0) throw new StaleConnection();
                throw new EOFException("connection closed mid-answer");
            }
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
        in = null;
        out = null;
    }

    private static final class StaleConnection extends IOException {
        StaleConnection() {
            super("connection closed by the server");
        }
    }
}
