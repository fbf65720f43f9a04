package io.hookline.delivery;

import io.hookline.notifier.host.Notifiers;
import io.hookline.startup.StartupFailure;
import org.jdbi.v3.core.Handle;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether every active webhook's type has a notifier installed. A missing type is a problem on the server's side
 * (an empty or wrong plugins folder), never the webhook's: the server refuses to start rather than fail deliveries.
 */
public final class InstalledTypes {
    private InstalledTypes() {
    }

    /** How many active webhooks use each type. */
    public static Map<String, Long> activeByType(Handle h) {
        Map<String, Long> out = new LinkedHashMap<>();
        h.createQuery("SELECT type, COUNT(*) FROM webhooks WHERE state = 'active' GROUP BY type ORDER BY type")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The types of {@code active} that no installed plugin delivers, with how many active webhooks use each. */
    public static Map<String, Long> missing(Map<String, Long> active, Notifiers notifiers) {
        Map<String, Long> out = new LinkedHashMap<>(active);
        out.keySet().removeIf(type -> notifiers.find(type).isPresent());
        return out;
    }

    /** Fails with one line naming the missing types and the plugins folder. */
    public static void requireAll(Map<String, Long> active, Notifiers notifiers, Path directory) {
        Map<String, Long> missing = missing(active, notifiers);
        if (missing.isEmpty()) return;
        StringBuilder types = new StringBuilder();
        missing.forEach((type, n) -> types.append(types.isEmpty() ? "" : ", ")
                .append('"').append(type).append("\" (").append(n).append(" webhook(s))"));
        throw new StartupFailure("active webhooks use notifier type(s) " + types + " that no plugin in "
                + directory.toAbsolutePath() + " delivers (installed: " + notifiers.types() + "); install their "
                + "plugin jars there, or point plugins.directory (HOOKLINE_PLUGINS_DIR) at the right folder. "
                + "No webhook was changed");
    }
}
