package io.hookline.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.storage.Tracking;

import java.util.List;

/** An access to one user's account, as stored. {@code expires} is in microseconds since the epoch. */
public record Access(
        String id,
        long userId,
        String token,
        AccessType type,
        String name,
        String deviceName,
        List<Permission> permissions,
        JsonNode clientData,
        Long expires,
        Tracking tracking) {

    public boolean isPersonal() {
        return type == AccessType.PERSONAL;
    }

    /** The streams its permissions name ({@code "*"} for all). */
    public List<String> streamIds() {
        return permissions.stream().map(Permission::streamId).toList();
    }

    public boolean isExpired(long nowMicros) {
        return expires != null && expires <= nowMicros;
    }
}
