package io.hookline.auth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import io.hookline.edge.Params;
import io.hookline.storage.Change;
import io.hookline.storage.Database;
import io.hookline.storage.Ids;
import io.hookline.storage.Tracking;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Creating accounts (system API) and logging in ({@code auth.login}), which hands out personal accesses. */
public final class AccountsService {
    /** Who the personal access made at account creation is tracked as created by. */
    private static final String SYSTEM = "system";
    public static final Pattern USERNAME = Pattern.compile("^[a-z0-9][a-z0-9-]{3,58}[a-z0-9]$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,200}@[^@\\s]{1,200}$");
    private static final Pattern LANGUAGE = Pattern.compile("^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$");
    private static final List<Permission> EVERYTHING = List.of(new Permission(Permission.ALL_STREAMS, Level.MANAGE));

    private final Database db;
    private final PasswordHasher hasher;

    public AccountsService(Database db, PasswordHasher hasher) {
        this.db = db;
        this.hasher = hasher;
    }

    public void register(Methods methods) {
        methods.register("account.get", this::get)
                .register("account.update", this::update)
                .register("account.changePassword", this::changePassword);
    }

    ObjectNode get(Caller caller, Params p) {
        p.done();
        checkPersonal(caller);
        return render(caller.userId());
    }

    ObjectNode update(Caller caller, Params p) {
        Params u = Params.ofJson(p.requiredObject("update"));
        p.done();
        String email = email(u);
        String language = u.string("language").orElse(null);
        if (language != null && !LANGUAGE.matcher(language).matches()) {
            u.problem("language", "must be a language code such as \"en\" or \"fr-CH\"");
        }
        u.done();
        checkPersonal(caller);
        db.write(caller.userId(), tx -> {
            Account a = UserStore.account(tx.handle(), caller.userId());
            UserStore.updateAccount(tx.handle(), caller.userId(), u.has("email") ? email : a.email(),
                    language != null ? language : a.language());
            return null;
        });
        return render(caller.userId());
    }

    /** Changes the password; the sessions already open stay open (their tokens are not derived from it). */
    ObjectNode changePassword(Caller caller, Params p) {
        String oldPassword = p.requiredString("oldPassword");
        String newPassword = p.requiredString("newPassword");
        checkPassword(p, "newPassword", newPassword);
        p.done();
        checkPersonal(caller);
        String stored = db.read(h -> UserStore.passwordHash(h, caller.userId())).orElse(null);
        if (!hasher.matches(oldPassword, stored)) {
            throw new ApiException(ErrorId.INVALID_OPERATION, "The given password does not match.");
        }
        String hash = hasher.hash(newPassword);
        db.write(caller.userId(), tx -> {
            UserStore.setPasswordHash(tx.handle(), caller.userId(), hash);
            return null;
        });
        return JsonNodeFactory.instance.objectNode();
    }

    private ObjectNode render(long userId) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        db.read(h -> {
            Account a = UserStore.account(h, userId);
            ObjectNode o = out.putObject("account");
            o.put("username", a.username());
            if (a.email() == null) o.putNull("email"); else o.put("email", a.email());
            o.put("language", a.language());
            ObjectNode used = o.putObject("storageUsed");
            used.put("dbDocuments", UserStore.documents(h, userId));
            used.put("attachedFiles", UserStore.attachedBytes(h, userId));
            return null;
        });
        return out;
    }

    private static void checkPersonal(Caller caller) {
        if (!caller.isPersonal()) throw ApiException.forbidden("Only a personal access may read or change the account");
    }

    private static void checkPassword(Params p, String name, String password) {
        if (password != null && (password.length() < 6 || password.length() > 200)) {
            p.problem(name, "must be 6 to 200 characters");
        }
    }

    private static String email(Params p) {
        String email = p.string("email").orElse(null);
        if (email != null && !EMAIL.matcher(email).matches()) p.problem("email", "must be an e-mail address");
        return email;
    }

    /** {@code POST /system/create-user}: the account and its first personal access. */
    public ObjectNode createUser(Params p, String baseUrl) {
        String username = p.requiredString("username");
        if (username != null && !USERNAME.matcher(username).matches()) {
            p.problem("username", "must be 5 to 60 lowercase letters, digits or '-', not starting or ending with '-'");
        } else if (username != null && ReservedNames.isReserved(username)) {
            p.problem("username", "\"" + username + "\" is a path of the server itself; choose another name");
        }
        String password = p.string("password").orElse(null);
        checkPassword(p, "password", password);
        String email = email(p);
        p.done();
        String hash = password == null ? null : hasher.hash(password);
        Access personal = db.write(tx -> {
            if (UserStore.find(tx.handle(), username).isPresent()) {
                throw new ApiException(ErrorId.ITEM_ALREADY_EXISTS, "Username \"" + username + "\" is taken",
                        Map.of("username", username));
            }
            long userId = UserStore.insert(tx.handle(), username, hash, email, tx.now());
            Access a = newPersonal(userId, "hookline-system", tx.now());
            AccessStore.insert(tx.handle(), a);
            return a;
        });
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("username", username);
        out.put("apiEndpoint", ApiEndpoint.of(baseUrl, personal.token(), username));
        out.put("token", personal.token());
        return out;
    }

    /** {@code auth.login}: checks the password and returns the personal access of {@code appId}, created if needed. */
    public ObjectNode login(String pathUsername, Params p, String baseUrl) {
        String username = p.requiredString("username");
        String password = p.requiredString("password");
        String appId = p.requiredString("appId");
        if (appId != null && (appId.isBlank() || appId.length() > 200)) p.problem("appId", "must be 1 to 200 characters");
        p.done();
        User user = db.read(h -> UserStore.find(h, pathUsername))
                .orElseThrow(() -> Authenticator.unknownUser(pathUsername));
        String stored = db.read(h -> UserStore.passwordHash(h, user.id())).orElse(null);
        if (!user.username().equals(username) || !hasher.matches(password, stored)) {
            throw new ApiException(ErrorId.INVALID_CREDENTIALS, "The given username/password pair is invalid.");
        }
        Access personal = db.write(user.id(), tx -> AccessStore.personalForApp(tx.handle(), user.id(), appId)
                .filter(a -> !a.isExpired(tx.now()))
                .orElseGet(() -> {
                    Optional<Access> expired = AccessStore.personalForApp(tx.handle(), user.id(), appId);
                    if (expired.isPresent()) {
                        tx.deletesAccesses();
                        AccessStore.delete(tx, user.id(), expired.get().id());
                    }
                    Access a = newPersonal(user.id(), appId, tx.now());
                    AccessStore.insert(tx.handle(), a);
                    tx.changed(user.id(), Change.ACCESSES);
                    return a;
                }));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("token", personal.token());
        out.put("apiEndpoint", ApiEndpoint.of(baseUrl, personal.token(), user.username()));
        return out;
    }

    private static Access newPersonal(long userId, String name, long now) {
        String id = Ids.newId();
        return new Access(id, userId, Ids.newToken(), AccessType.PERSONAL, name, null, EVERYTHING, null, null,
                Tracking.createdBy(SYSTEM, now));
    }
}
