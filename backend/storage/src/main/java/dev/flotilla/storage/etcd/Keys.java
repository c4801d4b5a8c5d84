package dev.flotilla.storage.etcd;

import dev.flotilla.storage.StoredObject;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.OptionsUtil;
import java.nio.charset.StandardCharsets;

/** Conversions between the store's string keys and etcd's byte keys, and key ranges. */
final class Keys {

    private static final ByteSequence ZERO_BYTE = ByteSequence.from(new byte[] {0});

    private Keys() {
    }

    static ByteSequence bytes(String key) {
        return ByteSequence.from(key, StandardCharsets.UTF_8);
    }

    static String text(ByteSequence key) {
        return key.toString(StandardCharsets.UTF_8);
    }

    /** The first key after every key that starts with {@code prefix}: the exclusive end of its range. */
    static ByteSequence rangeEnd(String prefix) {
        return OptionsUtil.prefixEndOf(bytes(prefix));
    }

    /** The smallest key greater than {@code key}: where a page that ended at {@code key} continues. */
    static ByteSequence justAfter(String key) {
        return bytes(key).concat(ZERO_BYTE);
    }

    static StoredObject toStoredObject(KeyValue kv) {
        return new StoredObject(text(kv.getKey()), kv.getValue().getBytes(), kv.getModRevision(),
                kv.getCreateRevision());
    }

    /** Whether etcd actually sent this key-value: jetcd fills absent ones with an empty default. */
    static boolean present(KeyValue kv) {
        return kv != null && kv.getCreateRevision() > 0;
    }
}
