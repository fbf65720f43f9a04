package io.hookline.signin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.auth.AccountsService;
import io.hookline.auth.ApiEndpoint;
import io.hookline.auth.Authenticator;
import io.hookline.auth.Caller;
import io.hookline.data.StreamStore;
import io.hookline.edge.ApiException;
import io.hookline.config.SignInConfig;
import io.hookline.edge.ErrorId;
import io.hookline.edge.TooManyRequests;
import io.hookline.auth.Methods;
import io.hookline.edge.Params;
import io.hookline.storage.Database;
import io.hookline.storage.Ids;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * Web apps' sign-in (the pryv library's access request flow): an app asks, the user answers on the sign-in page, and
 * the app's poll gets a token or a refusal. Accepting does what the user's own session would through the API: it
 * creates the missing streams, then reuses the app access that {@code accesses.checkApp} finds matching or creates
 * one (replacing one of the same name with other permissions).
 */
public final class AccessRequests {
    /** The app name of the personal session the sign-in page opens to act for the user. */
    static final String SIGN_IN_APP = "hookline-sign-in";
    static final int POLL_RATE_MS = 1000;
    /** Client addresses whose rate is remembered: bounded memory whatever the number of clients. */
    private static final int TRACKED_CLIENTS = 10_000;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Database db;
    private final AccountsService accounts;
    private final Authenticator authenticator;
    private final Methods methods;
    private final Clock clock;
    private final long lifetimeMicros;
    private final int maxOpen;
    private final ClientRate rate;

    public AccessRequests(Database db, AccountsService accounts, Authenticator authenticator, Methods methods,
                          Clock clock, SignInConfig config) {
        this.db = db;
        this.accounts = accounts;
        this.authenticator = authenticator;
        this.methods = methods;
        this.clock = clock;
        this.lifetimeMicros = config.getRequestLifetime().toJavaDuration().toNanos() / 1000;
        this.maxOpen = config.getMaxOpenRequests();
        this.rate = new ClientRate(clock, config.getRequestsPerClientPerMinute(), TRACKED_CLIENTS);
    }

    /**
     * {@code POST /reg/access/}: records the request; the answer tells the app where the user signs in and polls.
     * Creation needs no authentication, so it is bounded: {@code client} (its address) may create so many a minute,
     * and so many may be open at once; past either, {@code too-many-requests} and nothing is stored.
     */
    public ObjectNode create(Params p, String origin, String client) {
        ObjectNode asked = AccessRequestParams.read(p);
        long wait = rate.take(client);
        if (wait > 0) {
            throw new TooManyRequests("Too many sign-in requests from this address; try again in " + wait + " s",
                    wait);
        }
        long now = nowMicros();
        AccessRequest request = new AccessRequest(Ids.newToken(), asked, now + lifetimeMicros, null);
        db.write(tx -> {
            AccessRequestStore.deleteExpired(tx.handle(), now);
            AccessRequestStore.Open open = AccessRequestStore.open(tx.handle(), now);
            if (open.count() >= maxOpen) {
                long after = Math.max(1, (open.firstExpiry() - now + 999_999) / 1_000_000);
                throw new TooManyRequests("Too many open sign-in requests (" + maxOpen + "); try again in " + after
                        + " s", after);
            }
            AccessRequestStore.insert(tx.handle(), request);
            return null;
        });
        return pending(request, origin);
    }

    /** {@code GET /reg/access/<key>}: still waiting (201), accepted (200) or refused (403). */
    public Methods.Answer poll(String key, String origin) {
        AccessRequest r = open(key);
        if (!r.answered()) return new Methods.Answer(201, pending(r, origin));
        return new Methods.Answer(r.outcome().get("code").asInt(), r.outcome().deepCopy());
    }

    /** The request of that key while it may be answered or polled; {@code unknown-resource} once expired. */
    public AccessRequest open(String key) {
        long now = nowMicros();
        return db.read(h -> AccessRequestStore.find(h, key, now)).orElseThrow(() -> new ApiException(
                ErrorId.UNKNOWN_RESOURCE, "This access request does not exist or has expired"));
    }

    /**
     * The user signed in and accepted. A wrong password answers {@code invalid-credentials} and leaves the request
     * open, so that the user can try again.
     */
    public AccessRequest accept(String key, String username, String password, String origin) {
        AccessRequest r = unanswered(key);
        Caller caller = signIn(username, password, origin);
        for (AccessRequest.Asked a : r.permissions()) {
            if (a.streamId().equals("*")) continue;
            boolean exists = db.read(h -> StreamStore.find(h, caller.userId(), a.streamId())).isPresent();
            if (!exists) {
                ObjectNode stream = F.objectNode().put("id", a.streamId())
                        .put("name", a.defaultName() != null ? a.defaultName() : a.streamId());
                methods.call(caller, "streams.create", Params.ofJson(stream));
            }
        }
        String token = appToken(caller, r);
        ObjectNode outcome = F.objectNode().put("status", "ACCEPTED").put("username", caller.user().username())
                .put("token", token).put("apiEndpoint", ApiEndpoint.of(origin, token, caller.user().username()))
                .put("code", 200);
        return record(r, outcome);
    }

    /** The user refused: the app's poll answers {@code REFUSED}. Needs no sign-in: the page's link is the key. */
    public AccessRequest refuse(String key) {
        AccessRequest r = unanswered(key);
        ObjectNode outcome = F.objectNode().put("status", "REFUSED").put("reasonId", "REFUSED_BY_USER")
                .put("message", "The user refused to give access to " + r.appId()).put("code", 403);
        return record(r, outcome);
    }

    private AccessRequest unanswered(String key) {
        AccessRequest r = open(key);
        if (r.answered()) throw alreadyAnswered();
        return r;
    }

    private AccessRequest record(AccessRequest r, ObjectNode outcome) {
        long now = nowMicros();
        if (!db.write(tx -> AccessRequestStore.answer(tx.handle(), r.key(), outcome, now))) {
            throw alreadyAnswered();
        }
        return new AccessRequest(r.key(), r.asked(), r.expiresAt(), outcome);
    }

    /** Logs in as the sign-in page's own app, exactly as {@code auth.login} does, and acts with that session. */
    private Caller signIn(String username, String password, String origin) {
        ObjectNode login = F.objectNode().put("username", username).put("password", password)
                .put("appId", SIGN_IN_APP);
        String token;
        try {
            token = accounts.login(username, Params.ofJson(login), origin).get("token").asText();
        } catch (ApiException e) {
            if (e.errorId() != ErrorId.UNKNOWN_RESOURCE) throw e;
            // An unknown username gets the answer of a wrong password: the page does not tell which accounts exist.
            throw new ApiException(ErrorId.INVALID_CREDENTIALS, "The username or password is not right");
        }
        return authenticator.authenticate(username, token, origin);
    }

    private String appToken(Caller caller, AccessRequest r) {
        ObjectNode check = F.objectNode().put("requestingAppId", r.appId());
        check.set("requestedPermissions", r.asked().get("requestedPermissions").deepCopy());
        copy(r.asked(), check, "deviceName");
        ObjectNode found = methods.call(caller, "accesses.checkApp", Params.ofJson(check)).body();
        if (found.has("matchingAccess")) return found.get("matchingAccess").get("token").asText();
        if (found.has("mismatchingAccess")) {
            ObjectNode delete = F.objectNode().put("id", found.get("mismatchingAccess").get("id").asText());
            methods.call(caller, "accesses.delete", Params.ofJson(delete));
        }
        ObjectNode create = F.objectNode().put("type", "app").put("name", r.appId());
        ArrayNode permissions = create.putArray("permissions");
        r.permissions().forEach(a -> permissions.addObject().put("streamId", a.streamId()).put("level", a.level()));
        copy(r.asked(), create, "deviceName");
        copy(r.asked(), create, "clientData");
        return methods.call(caller, "accesses.create", Params.ofJson(create)).body().get("access").get("token").asText();
    }

    private ObjectNode pending(AccessRequest r, String origin) {
        String poll = origin + "reg/access/" + r.key();
        ObjectNode out = F.objectNode().put("status", "NEED_SIGNIN").put("code", 201).put("key", r.key())
                .put("requestingAppId", r.appId());
        out.set("requestedPermissions", r.asked().get("requestedPermissions").deepCopy());
        out.put("authUrl", poll + "/sign-in").put("url", poll + "/sign-in").put("poll", poll)
                .put("poll_rate_ms", POLL_RATE_MS);
        copy(r.asked(), out, "returnURL");
        copy(r.asked(), out, "clientData");
        return out;
    }

    private static void copy(ObjectNode from, ObjectNode to, String field) {
        if (from.hasNonNull(field)) to.set(field, from.get(field).deepCopy());
    }

    private static ApiException alreadyAnswered() {
        return new ApiException(ErrorId.INVALID_OPERATION, "This access request was already answered");
    }

    private long nowMicros() {
        return ChronoUnit.MICROS.between(java.time.Instant.EPOCH, clock.instant());
    }
}
