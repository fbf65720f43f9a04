package io.hookline.notifier;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request to set a webhook's settings.
 *
 * @param url       the webhook's url
 * @param requested the settings the client sent, or null when it sent none
 * @param current   the settings stored so far, or null at creation
 */
public record SettingsChange(String url, ObjectNode requested, ObjectNode current) {

    /** True at {@code webhooks.create}, false at {@code webhooks.update}. */
    public boolean isCreation() {
        return current == null;
    }

    /**
     * The settings as they would be after this change, before the notifier's own checks: a copy of {@link #current()}
     * (or an empty object at creation) with every field of {@link #requested()} set over it; a field requested as
     * JSON {@code null} is removed. The usual start of {@link Notifier#validateSettings} for a notifier whose
     * settings are plain fields.
     */
    public ObjectNode merged() {
        ObjectNode out = current != null ? current.deepCopy() : emptyObject();
        if (requested == null) return out;
        requested.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) out.remove(e.getKey());
            else out.set(e.getKey(), e.getValue().deepCopy());
        });
        return out;
    }

    /** A new empty JSON object, for building the settings to return. */
    public ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }
}
