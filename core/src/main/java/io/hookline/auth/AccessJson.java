package io.hookline.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.storage.ChangeClock;

import java.util.List;

/** Renders accesses as the API shows them. */
public final class AccessJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AccessJson() {
    }

    public static ObjectNode render(Access a, Caller caller) {
        ObjectNode o = F.objectNode();
        o.put("id", a.id());
        o.put("token", a.token());
        o.put("apiEndpoint", caller.apiEndpoint(a.token()));
        o.put("type", a.type().wire());
        o.put("name", a.name());
        if (a.deviceName() != null) o.put("deviceName", a.deviceName());
        o.set("permissions", permissions(a.permissions()));
        if (a.clientData() != null) o.set("clientData", a.clientData());
        if (a.expires() != null) o.put("expires", ChangeClock.toSeconds(a.expires()));
        return a.tracking().render(o);
    }

    public static ArrayNode permissions(List<Permission> permissions) {
        ArrayNode arr = F.arrayNode();
        for (Permission p : permissions) {
            arr.addObject().put("streamId", p.streamId()).put("level", p.level().wire());
        }
        return arr;
    }
}
