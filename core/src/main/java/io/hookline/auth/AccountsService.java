package io.hookline.auth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;
import io.hookline.edge.Params;
import io.hookline.storage.Change;
import io.hookline.storage.Database;
import io.hookline.storage.Ids;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Creating accounts (system API) and logging in ({@code auth.login}), which hands out personal accesses. */
public final class AccountsService {
    public static final Pattern USERNAME = Pattern.compile("^[a-z0-9][a-z0-9-]{3,58}[a-z0-9]$");
    private static final List<Permission> EVERYTHING = List.of(new Permission(Permission.ALL_STREAMS, Level.MANAGE));

    private final Database db;
    private final PasswordHasher hasher;

    public AccountsService(Database db, PasswordHasher hasher) {
        this.db = db;
        this.hasher = hasher;
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
        if (password != null && (password.length() < 6 || password.length() > 200)) {
            p.problem("password", "must be 6 to 200 characters");
        }
        p.done();
        String hash = password == null ? null : hasher.hash(password);
        Access personal = db.write(tx -> {
            if (UserStore.find(tx.handle(), username).isPresent()) {
                throw new ApiException(ErrorId.ITEM_ALREADY_EXISTS, "Username \"" + username + "\" is taken",
                        Map.of("username", username));
            }
            long userId = UserStore.insert(tx.handle(), username, hash, tx.now());
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
            throw new ApiException(ErrorId.INVALID_CREDENTIALS, "The username or password is not right");
        }
        Access personal = db.write(tx -> AccessStore.personalForApp(tx.handle(), user.id(), appId)
                .filter(a -> !a.isExpired(tx.now()))
                .orElseGet(() -> {
                    AccessStore.personalForApp(tx.handle(), user.id(), appId)
                            .ifPresent(old -> AccessStore.delete(tx.handle(), user.id(), old.id()));
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
                now, "system", now, "system");
    }
}
