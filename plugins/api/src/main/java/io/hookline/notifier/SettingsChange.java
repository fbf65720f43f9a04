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

    /** A new empty JSON object, for building the settings to return. */
    public ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }
}
