package io.hookline.edge;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Reads what is left of a request body once its answer is written, before the request ends. A request answered
 * without reading its body (refused early by the API or by Jetty, or a call that takes none) would otherwise end with
 * unread bytes on the connection: Jetty closes it, the kernel sends a reset, and a client still sending its body can
 * lose the answer. The answer goes out first, so a client that stops sending on an answer may; the body is read after,
 * and dropped as it comes (memory stays bounded). Reading stops after {@code maxBytes}, the largest body the server
 * accepts: a longer one has its connection closed after the answer.
 */
public final class UnreadBodyHandler extends Handler.Wrapper {
    private final long maxBytes;

    public UnreadBodyHandler(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Callback readFirst = new ReadRestFirst(request, callback);
        try {
            if (!super.handle(new ReadLater(request), response, readFirst)) {
                Response.writeError(request, response, readFirst, HttpStatus.NOT_FOUND_404);
            }
        } catch (Exception e) {
            readFirst.failed(e);
        }
        return true;
    }

    /**
     * Leaves the unread body to {@link ReadRestFirst}. Jetty consumes only what has arrived when an error answer
     * starts, and when more is due it stops reading the request there and marks the connection for closing.
     */
    private static final class ReadLater extends Request.Wrapper {
        ReadLater(Request request) {
            super(request);
        }

        @Override
        public boolean consumeAvailable() {
            return false;
        }
    }

    /** Completes the request once the rest of its body is read. */
    private final class ReadRestFirst implements Callback {
        private final Request request;
        private final Callback then;

        ReadRestFirst(Request request, Callback then) {
            this.request = request;
            this.then = then;
        }

        @Override
        public void succeeded() {
            readRest(then::succeeded);
        }

        @Override
        public void failed(Throwable failure) {
            readRest(() -> then.failed(failure));
        }

        @Override
        public InvocationType getInvocationType() {
            return then.getInvocationType();
        }

        private void readRest(Runnable done) {
            // Asking for more of a body awaiting "100 Continue" would send the 100 after the answer; a client waiting
            // for it has sent nothing, so nothing is left to read.
            if (request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString())
                    && Request.getContentBytesRead(request) == 0) {
                done.run();
                return;
            }
            new Discard(request, maxBytes, done).run();
        }
    }

    /** Reads and drops chunks without blocking until the body ends, fails, or passes the bound. */
    private static final class Discard implements Runnable {
        private final Request request;
        private final Runnable done;
        private long left;

        Discard(Request request, long maxBytes, Runnable done) {
            this.request = request;
            this.left = maxBytes;
            this.done = done;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk;
                try {
                    chunk = request.read();
                } catch (RuntimeException e) {
                    // The request is already over (its stream gone): nothing is left to read.
                    done.run();
                    return;
                }
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                left -= chunk.remaining();
                chunk.release();
                if (chunk.isLast() || Content.Chunk.isFailure(chunk) || left < 0) {
                    done.run();
                    return;
                }
            }
        }
    }
}
