package io.hookline.console;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorBodies;
import io.hookline.edge.ErrorId;
import io.hookline.edge.Meta;
import io.hookline.edge.Params;
import io.hookline.notifier.host.Notifiers;
import io.hookline.storage.ChangeClock;
import io.hookline.system.AdminKey;
import io.hookline.system.SystemResource;
import io.hookline.webhooks.OperatorWebhooks;
import io.hookline.webhooks.WebhookSearch;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operators' console under {@code /console/}: a page with its script and style, built into the jar (no CDN), and
 * the JSON it reads under {@code /console/api/}. On the admin port (bound to loopback) it is open; on the API port it
 * answers only with the admin key, given as the password of HTTP Basic authentication (the browser asks for it) or
 * as the bare key in {@code Authorization}. Actions are POSTs carrying the header {@value #ACTION_HEADER}: another
 * site's page cannot send it without a CORS pre-flight, which the console never grants.
 */
public final class ConsoleServlet extends HttpServlet {
    public static final String PATH = "/console/*";
    static final String ACTION_HEADER = "X-Hookline-Console";
    private static final Map<String, String> ASSETS = Map.of(
            "/", "index.html",
            "/console.js", "console.js",
            "/console.css", "console.css");
    private static final Pattern WEBHOOK = Pattern.compile("/api/webhooks/([^/]+)(?:/(reactivate|pause|test))?");

    private final transient OperatorWebhooks webhooks;
    private final transient Notifiers notifiers;
    private final transient HealthCheckRegistry health;
    private final transient DeliveryHistory history;
    private final transient AdminKey key;
    private final transient Meta meta;
    private final transient ChangeClock clock;
    private final transient ObjectMapper json;

    private ConsoleServlet(Builder b) {
        this.webhooks = b.webhooks;
        this.notifiers = b.notifiers;
        this.health = b.health;
        this.history = b.history;
        this.key = b.key;
        this.meta = b.meta;
        this.clock = b.clock;
        this.json = b.json;
    }

    /** What the console shows and acts on. */
    public static final class Builder {
        private OperatorWebhooks webhooks;
        private Notifiers notifiers;
        private HealthCheckRegistry health;
        private DeliveryHistory history;
        private AdminKey key;
        private Meta meta;
        private ChangeClock clock;
        private ObjectMapper json;

        public Builder webhooks(OperatorWebhooks webhooks, Notifiers notifiers) {
            this.webhooks = webhooks;
            this.notifiers = notifiers;
            return this;
        }

        public Builder health(HealthCheckRegistry health, DeliveryHistory history) {
            this.health = health;
            this.history = history;
            return this;
        }

        public Builder answers(Meta meta, ChangeClock clock, ObjectMapper json) {
            this.meta = meta;
            this.clock = clock;
            this.json = json;
            return this;
        }

        /** The console open to whoever reaches the port (the admin port, on loopback). */
        public ConsoleServlet open() {
            this.key = null;
            return new ConsoleServlet(this);
        }

        /** The console for the API port: nothing without the admin key. */
        public ConsoleServlet keyed(AdminKey key) {
            this.key = key;
            return new ConsoleServlet(this);
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("API-Version", Meta.API_VERSION);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        try {
            if (key != null) checkKey(req);
            String path = req.getPathInfo() == null ? "" : req.getPathInfo();
            if (path.isEmpty()) {
                resp.sendRedirect(req.getRequestURI() + "/");
                return;
            }
            if (path.startsWith("/api/")) {
                answer(resp, 200, api(req, path));
                return;
            }
            String asset = ASSETS.get(path);
            if (asset == null) throw ApiException.unknownResource("console page", path);
            if (!"GET".equals(req.getMethod())) throw notAllowed(req);
            asset(resp, asset);
        } catch (ApiException e) {
            if (e.errorId() == ErrorId.MISSING_ACCESS_TOKEN) {
                resp.setHeader("WWW-Authenticate", "Basic realm=\"Hookline console\", charset=\"UTF-8\"");
            }
            answer(resp, e instanceof NotAllowed ? 405 : e.errorId().status(), ErrorBodies.body(e));
        } catch (RuntimeException e) {
            log("console request failed", e);
            answer(resp, 500, ErrorBodies.body(ErrorId.UNEXPECTED_ERROR, "The console could not answer; see the log",
                    null));
        }
    }

    private ObjectNode api(HttpServletRequest req, String path) {
        boolean get = "GET".equals(req.getMethod());
        if (!get && !"POST".equals(req.getMethod())) throw notAllowed(req);
        if (!get && req.getHeader(ACTION_HEADER) == null) {
            throw ApiException.forbidden("Console actions carry the " + ACTION_HEADER + " header");
        }
        switch (path) {
            case "/api/overview" -> {
                if (!get) throw notAllowed(req);
                return overview();
            }
            case "/api/webhooks" -> {
                if (!get) throw notAllowed(req);
                return list(req);
            }
            default -> {
                Matcher m = WEBHOOK.matcher(path);
                if (!m.matches()) throw ApiException.unknownResource("console call", path);
                String id = m.group(1);
                String action = m.group(2);
                if (action == null) {
                    if (!get) throw notAllowed(req);
                    return webhooks.get(id);
                }
                if (get) throw notAllowed(req);
                return switch (action) {
                    case "reactivate" -> webhooks.reactivate(id);
                    case "pause" -> webhooks.pause(id);
                    default -> webhooks.test(id);
                };
            }
        }
    }

    /** The charts' minutes, the plugins and the health checks. */
    private ObjectNode overview() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode minutes = out.putArray("minutes");
        history.minutes().forEach(m -> minutes.addObject().put("start", m.startMs() / 1000)
                .put("delivered", m.delivered()).put("retry", m.retry()).put("permanent", m.permanent())
                .put("oldestDueMs", m.oldestDueMs()));
        out.set("plugins", SystemResource.plugins(notifiers));
        ArrayNode checks = out.putArray("health");
        SortedMap<String, HealthCheck.Result> results = health.runHealthChecks();
        results.forEach((name, r) -> checks.addObject().put("name", name).put("healthy", r.isHealthy())
                .put("message", r.getMessage()));
        return out;
    }

    private ObjectNode list(HttpServletRequest req) {
        ObjectNode q = JsonNodeFactory.instance.objectNode();
        req.getParameterMap().forEach((k, v) -> q.put(k, v.length == 0 ? "" : v[0]));
        Params p = Params.ofQuery(q);
        WebhookSearch search = WebhookSearch.byStateTypeFailing(p);
        boolean lagging = p.bool("lagging").orElse(false);
        p.done();
        return webhooks.list(search, lagging);
    }

    private void checkKey(HttpServletRequest req) {
        String given = req.getHeader("Authorization");
        if (given != null && given.regionMatches(true, 0, "Basic ", 0, 6)) {
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(given.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ApiException(ErrorId.INVALID_ACCESS_TOKEN, "Invalid admin key");
            }
            given = pair.substring(pair.indexOf(':') + 1);
        }
        key.check(given);
    }

    private static ApiException notAllowed(HttpServletRequest req) {
        return new NotAllowed("The console does not serve " + req.getMethod() + " here");
    }

    /** {@code invalid-operation} with the status 405 of a method the path does not serve. */
    private static final class NotAllowed extends ApiException {
        NotAllowed(String message) {
            super(ErrorId.INVALID_OPERATION, message);
        }
    }

    private void answer(HttpServletResponse resp, int status, ObjectNode body) throws IOException {
        body.set("meta", meta.at(clock.horizon()));
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        json.writeValue(resp.getOutputStream(), body);
    }

    private static void asset(HttpServletResponse resp, String name) throws IOException {
        try (InputStream in = ConsoleServlet.class.getResourceAsStream("/console/" + name)) {
            if (in == null) throw ApiException.unknownResource("console page", name);
            String type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "text/html";
            resp.setStatus(200);
            resp.setContentType(type + ";charset=utf-8");
            in.transferTo(resp.getOutputStream());
        }
    }
}
