package io.hookline.storage;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads that the writes of one transaction share ({@link WriteTx#sharedRead}) until one of them changes what was read
 * or fails. Kept by the writer for one transaction, on its thread only.
 */
final class SharedReads {
    private record Key(Class<?> type, long userId, Change covers) {
    }

    private final Map<Key, Object> values = new HashMap<>();

    <T> T get(Class<T> type, long userId, Change covers, Supplier<T> read) {
        Key key = new Key(type, userId, covers);
        Object value = values.get(key);
        if (value == null) {
            value = read.get();
            values.put(key, value);
        }
        return type.cast(value);
    }

    /** A write noted this change: what was read of it is stale. */
    void forget(long userId, Change changed) {
        values.keySet().removeIf(k -> k.userId() == userId && k.covers() == changed);
    }

    /** A write failed: what it read after its own changes was rolled back with them. */
    void clear() {
        values.clear();
    }
}
