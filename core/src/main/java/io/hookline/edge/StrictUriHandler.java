package io.hookline.edge;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Refuses (400) the request URIs a connector's URI compliance mode refuses: ambiguous paths such as {@code %2F},
 * {@code //} or {@code %2e%2e}, bad encodings. Jetty refuses them itself as soon as the request head is in, and then
 * hangs up while the body may still be arriving, so the client sees a reset instead of the answer. Each connector is
 * told to let them through to this handler instead, which answers like any other handler: the body is then read
 * after the answer ({@link UnreadBodyHandler}).
 */
public final class StrictUriHandler extends Handler.Wrapper {
    private final Map<HttpConfiguration, UriCompliance> modes = new IdentityHashMap<>();

    /** Takes over the URI checks of the server's connectors; call before the server starts. */
    public StrictUriHandler(Server server) {
        // Dropwizard wraps each connector's HTTP connection factory (for metrics); its configuration is a bean below.
        for (HttpConfiguration config : server.getContainedBeans(HttpConfiguration.class)) {
            modes.putIfAbsent(config, config.getUriCompliance());
            config.setUriCompliance(UriCompliance.UNSAFE);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        UriCompliance mode = modes.getOrDefault(request.getConnectionMetaData().getHttpConfiguration(),
                UriCompliance.DEFAULT);
        String refused = UriCompliance.checkUriCompliance(mode, Request.unWrap(request).getHttpURI(), null);
        if (refused != null) {
            Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, refused);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
