package io.hookline.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MultivaluedMap;

import java.util.List;
import java.util.Map;

/**
 * Turns a query string into method parameters: {@code a[]=x&a[]=y} and repeated {@code a=x&a=y} become arrays,
 * single values stay text ({@link Params} converts them). The {@code auth} token is not a parameter.
 */
public final class QueryParams {
    private QueryParams() {
    }

    public static ObjectNode of(MultivaluedMap<String, String> query) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            String key = e.getKey();
            if (key.equals("auth")) continue;
            boolean forcedArray = key.endsWith("[]");
            String name = forcedArray ? key.substring(0, key.length() - 2) : key;
            List<String> values = e.getValue();
            JsonNode existing = out.get(name);
            if (forcedArray || values.size() > 1 || existing != null) {
                // "a=x&a[]=y" in either order: keep the value already read.
                ArrayNode arr = existing instanceof ArrayNode a ? a : out.putArray(name);
                if (existing != null && !existing.isArray()) arr.add(existing);
                values.forEach(arr::add);
            } else {
                out.put(name, values.isEmpty() ? "" : values.get(0));
            }
        }
        return out;
    }
}
