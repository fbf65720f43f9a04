package io.hookline.edge;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Puts the handlers every request passes first in front of the server's own, as it starts: the rest of a body is
 * read after its answer ({@link UnreadBodyHandler}), and bad URIs are refused as answers, not hang-ups
 * ({@link StrictUriHandler}).
 */
public final class EdgeHandlers implements LifeCycle.Listener {
    private final long maxBodyBytes;

    /** @param maxBodyBytes the largest request body the server accepts anywhere */
    public EdgeHandlers(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void lifeCycleStarting(LifeCycle event) {
        if (event instanceof Server server) {
            server.insertHandler(new StrictUriHandler(server));
            server.insertHandler(new UnreadBodyHandler(maxBodyBytes));
        }
    }
}
