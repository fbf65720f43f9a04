package io.hookline.edge;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads what is left of a request body before an error answer goes out. A request refused early (no token, wrong
 * admin key) has not read its body; closing a connection with unread bytes makes the kernel send a reset, and a client
 * still sending its body can lose the answer. Read to the end instead, so the answer arrives and the connection stays
 * open. Bodies over the size limit are left unread: those connections are closed.
 */
public final class UnreadBodyFilter implements ContainerResponseFilter {
    private final long maxBytes;

    public UnreadBodyFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() < 400) return;
        byte[] buffer = new byte[8192];
        try {
            InputStream in = request.getEntityStream();
            long left = maxBytes;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) return;
                left -= n;
            }
        } catch (IOException | IllegalStateException e) {
            // Already read and closed, or the client went away: nothing left to read.
        }
    }
}
