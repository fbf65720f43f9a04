package io.hookline.webhooks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.auth.Access;
import io.hookline.auth.AccessStore;
import io.hookline.auth.Caller;
import io.hookline.auth.StreamTree;
import io.hookline.config.WebhooksConfig;
import io.hookline.delivery.Deliveries;
import io.hookline.delivery.DeliveryState;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import io.hookline.auth.Methods;
import io.hookline.edge.Params;
import io.hookline.notifier.DeliveryOutcome;
import io.hookline.notifier.InvalidSettingsException;
import io.hookline.notifier.Notifier;
import io.hookline.notifier.SettingsChange;
import io.hookline.outbound.NetworkGuard;
import io.hookline.notifier.host.Notifiers;
import io.hookline.storage.ChangeClock;
import io.hookline.storage.Database;
import io.hookline.storage.Ids;
import io.hookline.storage.Tracking;
import org.jdbi.v3.core.Handle;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The webhooks methods, with the ownership rules of {@link WebhookRules}. */
public final class WebhooksService {
    private static final int MAX_URL = 2048;

    private final Database db;
    private final Notifiers notifiers;
    private final NetworkGuard guard;
    private final WebhooksConfig config;
    private final Deliveries deliveries;

    public WebhooksService(Database db, Notifiers notifiers, NetworkGuard guard, WebhooksConfig config,
                           Deliveries deliveries) {
        this.db = db;
        this.notifiers = notifiers;
        this.guard = guard;
        this.config = config;
        this.deliveries = deliveries;
    }

    public void register(Methods methods) {
        methods.register("webhooks.get", this::get)
                .register("webhooks.getOne", this::getOne)
                .register("webhooks.create", 201, this::create)
                .register("webhooks.update", this::update)
                .register("webhooks.delete", this::delete)
                .register("webhooks.test", this::test)
                .register("webhooks.getAttempts", this::getAttempts);
    }

    ObjectNode get(Caller caller, Params p) {
        p.done();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode arr = out.putArray("webhooks");
        db.read(h -> {
            List<Webhook> list = caller.isPersonal()
                    ? WebhookStore.ofUser(h, caller.userId(), caller.budget())
                    : WebhookStore.ofAccess(h, caller.userId(), caller.access().id(), caller.budget());
            Map<String, DeliveryState> states = deliveries.states(h, list.stream().map(Webhook::id).toList());
            list.forEach(w -> arr.add(render(w, stateOf(states, w))));
            return null;
        });
        return out;
    }

    ObjectNode getOne(Caller caller, Params p) {
        String id = p.requiredString("id");
        p.done();
        return db.read(h -> single(h, owned(h, caller, id)));
    }

    ObjectNode create(Caller caller, Params p) {
        String url = p.requiredString("url");
        String type = p.string("type").orElse(Notifiers.DEFAULT_TYPE);
        ObjectNode settings = p.object("settings").orElse(null);
        long minIntervalMs = p.longInteger("minIntervalMs", config.getMinIntervalFloorMs(), 86_400_000L)
                .orElse(config.getMinIntervalMs());
        int maxRetries = p.integer("maxRetries", 0, config.getMaxRetriesLimit()).orElse(config.getMaxRetries());
        Scopes scopes = p.json("scopes").filter(n -> !n.isNull()).map(Scopes::parse).orElse(null);
        p.done();
        WebhookRules.checkCanCreate(caller.access());
        Notifier notifier = notifiers.find(type).orElseThrow(() -> new ApiException(ErrorId.INVALID_PARAMETERS_FORMAT,
                "Unknown webhook type \"" + type + "\"; installed types: " + String.join(", ", notifiers.types()),
                Map.of("type", type, "installedTypes", notifiers.types())));
        checkUrl(url, notifier);
        ObjectNode stored = validateSettings(notifier, new SettingsChange(url, settings, null));
        Webhook created = db.write(caller.userId(), tx -> {
            if (scopes != null) checkScopes(tx.handle(), caller.userId(), caller.access(), scopes);
            if (WebhookStore.urlTaken(tx.handle(), caller.access().id(), url)) {
                throw new ApiException(ErrorId.ITEM_ALREADY_EXISTS, "This access already has a webhook for this url",
                        Map.of("url", url));
            }
            String by = caller.access().id();
            Webhook w = new Webhook(Ids.newId(), caller.userId(), by, url, type, stored,
                    scopes == null ? null : scopes.json(), minIntervalMs, maxRetries, Webhook.State.ACTIVE,
                    Tracking.createdBy(by, tx.now()));
            WebhookStore.insert(tx.handle(), w);
            return w;
        });
        return single(created, DeliveryState.initial());
    }

    ObjectNode update(Caller caller, Params p) {
        String id = p.requiredString("id");
        ObjectNode patch = p.requiredObject("update");
        p.done();
        checkUpdatableKeys(patch);
        Params u = Params.ofJson(patch);
        Webhook.State state = null;
        Optional<String> rawState = u.string("state");
        if (rawState.isPresent()) {
            state = Webhook.State.fromWire(rawState.get());
            if (state == null) u.problem("state", "must be \"active\" or \"inactive\"");
        } else if (u.isNull("state")) {
            u.problem("state", "must be \"active\" or \"inactive\"");
        }
        boolean setsSettings = u.has("settings");
        ObjectNode settings = u.object("settings").orElse(null);
        if (setsSettings && settings == null && u.ok()) u.problem("settings", "must be an object");
        boolean setsScopes = u.has("scopes");
        // null clears the scopes: the webhook is told of every change again.
        Scopes scopes = u.json("scopes").filter(n -> !n.isNull()).map(Scopes::parse).orElse(null);
        u.done();
        Webhook.State newState = state;
        Webhook current = db.read(h -> owned(h, caller, id));
        ObjectNode newSettings = setsSettings
                ? validateSettings(notifierOf(current), new SettingsChange(current.url(), settings, current.settings()))
                : current.settings();
        Shown updated = db.write(caller.userId(), tx -> {
            Webhook w = WebhookStore.find(tx.handle(), caller.userId(), id)
                    .orElseThrow(() -> ApiException.unknownResource("webhook", id));
            if (scopes != null) {
                Access creator = AccessStore.byId(tx.handle(), caller.userId(), w.accessId())
                        .orElseThrow(() -> ApiException.unknownResource("access", w.accessId()));
                checkScopes(tx.handle(), caller.userId(), creator, scopes);
            }
            ObjectNode newScopes = !setsScopes ? w.scopes() : scopes == null ? null : scopes.json();
            Webhook next = w.withClientUpdate(newState, newSettings, newScopes, caller.access().id(), tx.now());
            WebhookStore.updateByClient(tx, next);
            DeliveryState d = newState == Webhook.State.ACTIVE
                    ? deliveries.reactivate(tx.handle(), next.target(), tx.now())
                    : stateOf(deliveries.states(tx.handle(), List.of(id)), next);
            return new Shown(next, d);
        });
        if (updated.webhook().isActive()) deliveries.offer(id, updated.delivery().nextAttemptAt());
        else deliveries.forget(id);
        return single(updated.webhook(), updated.delivery());
    }

    ObjectNode delete(Caller caller, Params p) {
        String id = p.requiredString("id");
        p.done();
        long deleted = db.write(caller.userId(), tx -> {
            Webhook w = WebhookStore.find(tx.handle(), caller.userId(), id)
                    .orElseThrow(() -> ApiException.unknownResource("webhook", id));
            WebhookRules.checkCanManage(caller.access(), w);
            WebhookStore.delete(tx, id);
            return tx.now();
        });
        deliveries.forget(id);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putObject("webhookDeletion").put("id", id).put("deleted", ChangeClock.toSeconds(deleted));
        return out;
    }

    ObjectNode test(Caller caller, Params p) {
        String id = p.requiredString("id");
        p.done();
        Webhook w = db.read(h -> owned(h, caller, id));
        DeliveryOutcome outcome = deliveries.testNow(w.target());
        if (!(outcome instanceof DeliveryOutcome.Delivered)) {
            throw new ApiException(ErrorId.UNKNOWN_REFERENCED_RESOURCE, "The webhook target did not accept the test"
                    + " notification (" + (outcome.status() == 0 ? "no answer" : "HTTP " + outcome.status())
                    + (outcome.reason() != null ? ": " + outcome.reason() : "") + ")", Map.of("url", w.url()));
        }
        return db.read(h -> single(h, w));
    }

    /** The details of the webhook's last attempts, newest first (an extension of Pryv's API). */
    ObjectNode getAttempts(Caller caller, Params p) {
        String id = p.requiredString("id");
        p.done();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        db.read(h -> out.set("attempts", deliveries.attempts(h, owned(h, caller, id).id())));
        return out;
    }

    /** Scopes may only name streams that the webhook's access can read. */
    private static void checkScopes(Handle h, long userId, Access access, Scopes scopes) {
        StreamTree tree = StreamTree.load(h, userId);
        scopes.checkReadableBy(tree, tree.accessOf(access));
    }

    /** A webhook with where its delivery stands, as an answer shows it. */
    private record Shown(Webhook webhook, DeliveryState delivery) {
    }

    private static Webhook owned(Handle h, Caller caller, String id) {
        Webhook w = WebhookStore.find(h, caller.userId(), id)
                .orElseThrow(() -> ApiException.unknownResource("webhook", id));
        WebhookRules.checkCanManage(caller.access(), w);
        return w;
    }

    private static DeliveryState stateOf(Map<String, DeliveryState> states, Webhook w) {
        return states.getOrDefault(w.id(), DeliveryState.initial());
    }

    private Notifier notifierOf(Webhook w) {
        return notifiers.find(w.type()).orElseThrow(() -> new ApiException(ErrorId.INVALID_OPERATION,
                "The notifier of type \"" + w.type() + "\" is not installed: its settings cannot be changed"));
    }

    private static ObjectNode validateSettings(Notifier notifier, SettingsChange change) {
        try {
            ObjectNode out = notifier.validateSettings(change);
            return out != null ? out : JsonNodeFactory.instance.objectNode();
        } catch (InvalidSettingsException e) {
            throw new ApiException(ErrorId.INVALID_PARAMETERS_FORMAT, "Invalid settings: " + e.getMessage(),
                    List.of(Map.of("param", "settings", "message", e.getMessage())));
        }
    }

    private void checkUrl(String url, Notifier notifier) {
        if (url == null) return;
        if (url.isBlank() || url.length() > MAX_URL) {
            throw ApiException.invalidParameters("url must be 1 to " + MAX_URL + " characters");
        }
        if (!notifier.urlIsNetworkTarget()) return;
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.invalidParameters("url is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw ApiException.invalidParameters("url must be an absolute http or https URL");
        }
        if (uri.getUserInfo() != null) {
            throw ApiException.invalidParameters("url must not carry credentials; use settings for secrets");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw ApiException.invalidParameters("url has an invalid port " + uri.getPort() + " (1 to 65535)");
        }
        guard.refusalOfLiteral(uri.getHost()).ifPresent(reason -> {
            throw new ApiException(ErrorId.INVALID_PARAMETERS_FORMAT, "url is not allowed: " + reason,
                    List.of(Map.of("param", "url", "message", reason)));
        });
    }

    /** Unknown keys are a 400; keys the server manages are a 403 (they exist but are not the client's to set). */
    private static void checkUpdatableKeys(ObjectNode patch) {
        if (patch == null) return;
        List<String> unknown = new ArrayList<>();
        List<String> readOnly = new ArrayList<>();
        for (Iterator<String> it = patch.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (WebhookRules.UPDATABLE.contains(k)) continue;
            if (WebhookRules.READ_ONLY.contains(k)) readOnly.add(k);
            else unknown.add(k);
        }
        if (!unknown.isEmpty()) {
            throw new ApiException(ErrorId.INVALID_PARAMETERS_FORMAT, "Unknown webhook field(s): "
                    + String.join(", ", unknown) + "; only state, settings and scopes may be updated",
                    Map.of("unknown", unknown));
        }
        if (!readOnly.isEmpty()) {
            throw new ApiException(ErrorId.FORBIDDEN, "Read-only webhook field(s): " + String.join(", ", readOnly)
                    + "; only state, settings and scopes may be updated", Map.of("readOnly", readOnly));
        }
    }

    private ObjectNode single(Handle h, Webhook w) {
        return single(w, stateOf(deliveries.states(h, List.of(w.id())), w));
    }

    private ObjectNode single(Webhook w, DeliveryState d) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("webhook", render(w, d));
        return out;
    }

    private ObjectNode render(Webhook w, DeliveryState d) {
        return WebhookJson.render(w, d, deliveries.effectiveMinIntervalMs(w.target()));
    }

}
