package io.hookline.data;

import io.hookline.edge.ApiException;
import io.hookline.edge.ErrorId;

import java.text.Normalizer;
import java.util.regex.Pattern;

/** Formats of client-supplied ids, and the slug a stream gets from its name when no id is given. */
public final class ItemIds {
    private static final Pattern STREAM_ID = Pattern.compile("^[a-zA-Z0-9_][a-zA-Z0-9_.:-]{0,99}$");
    private static final Pattern EVENT_ID = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,99}$");

    private ItemIds() {
    }

    public static void checkStreamId(String id) {
        if (!STREAM_ID.matcher(id).matches()) {
            throw new ApiException(ErrorId.INVALID_ITEM_ID, "Invalid stream id \"" + id
                    + "\": use 1 to 100 letters, digits, '_', '.', ':' or '-'");
        }
    }

    public static void checkEventId(String id) {
        if (!EVENT_ID.matcher(id).matches()) {
            throw new ApiException(ErrorId.INVALID_ITEM_ID, "Invalid event id \"" + id
                    + "\": use 1 to 100 lowercase letters, digits, '_' or '-'");
        }
    }

    /** "My Steps!" becomes "my-steps"; empty when the name has no usable character. */
    public static String slug(String name) {
        String s = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return s.length() > 90 ? s.substring(0, 90) : s;
    }
}
