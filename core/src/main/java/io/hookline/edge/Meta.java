package io.hookline.edge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.storage.ChangeClock;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The {@code meta} object every answer and notification carries. */
public final class Meta {
    public static final String API_VERSION = readVersion();

    private final String serial;

    public Meta(String serial) {
        this.serial = serial;
    }

    public ObjectNode at(long serverTimeMicros) {
        ObjectNode meta = JsonNodeFactory.instance.objectNode();
        meta.put("apiVersion", API_VERSION);
        meta.put("serverTime", ChangeClock.toSeconds(serverTimeMicros));
        meta.put("serial", serial);
        return meta;
    }

    private static String readVersion() {
        try (InputStream in = Meta.class.getResourceAsStream("/io/hookline/version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "0.0.0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
