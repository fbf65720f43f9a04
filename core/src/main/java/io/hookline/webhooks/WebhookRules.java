package io.hookline.webhooks;

import io.hookline.auth.Access;
import io.hookline.auth.AccessType;
import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;

import java.util.Set;

/** Who may do what with a webhook, and which fields a client may set. */
public final class WebhookRules {
    /** Fields the server manages: sending one at update is forbidden, at create it is an unknown parameter. */
    static final Set<String> READ_ONLY = Set.of("id", "accessId", "url", "type", "minIntervalMs", "maxRetries",
            "currentRetries", "runCount", "failCount", "lastRun", "runs", "created", "createdBy", "modified",
            "modifiedBy");
    static final Set<String> UPDATABLE = Set.of("state", "settings", "scopes");

    private WebhookRules() {
    }

    /** Personal accesses cannot create webhooks (a webhook belongs to an app); app and shared accesses can. */
    public static void checkCanCreate(Access access) {
        if (access.type() == AccessType.PERSONAL) {
            throw ApiException.forbidden("A personal access cannot create webhooks: use an app or shared access");
        }
    }

    /** Only the access that created a webhook, or a personal access of the same user, may see or change it. */
    public static boolean canManage(Access access, Webhook w) {
        return access.isPersonal() || access.id().equals(w.accessId());
    }

    public static void checkCanManage(Access access, Webhook w) {
        if (!canManage(access, w)) {
            throw new ApiException(ErrorId.FORBIDDEN, "Only the access that created this webhook, or a personal "
                    + "access, may use it");
        }
    }
}
