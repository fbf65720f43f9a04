package io.hookline.signin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An app's request for an access, as stored: what it asked ({@code requestingAppId}, {@code requestedPermissions},
 * optional {@code returnURL}, {@code clientData}, {@code deviceName}), until when it may be answered, and the answer
 * once the user gave one.
 */
public record AccessRequest(String key, ObjectNode asked, long expiresAt, ObjectNode outcome) {

    /** One permission asked for, with the name to give the stream if the user has none of that id. */
    public record Asked(String streamId, String level, String defaultName) {
    }

    public String appId() {
        return asked.get("requestingAppId").asText();
    }

    public List<Asked> permissions() {
        List<Asked> out = new ArrayList<>();
        for (JsonNode n : asked.get("requestedPermissions")) {
            out.add(new Asked(n.get("streamId").asText(), n.get("level").asText(),
                    n.hasNonNull("defaultName") ? n.get("defaultName").asText() : null));
        }
        return out;
    }

    public Optional<String> returnUrl() {
        return Optional.ofNullable(asked.get("returnURL")).map(JsonNode::asText);
    }

    public boolean answered() {
        return outcome != null;
    }

    public boolean accepted() {
        return answered() && "ACCEPTED".equals(outcome.path("status").asText());
    }
}
