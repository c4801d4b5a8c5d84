package dev.flotilla.apiserver.resource;

import dev.flotilla.storage.WatchEvent;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * The encoded watch line of the last few changes, shared by the watchers that send a change
 * unchanged: the watch cache hands every watcher the same {@link WatchEvent} instance, so a change
 * fanned out to a thousand watchers is decoded and encoded once instead of a thousand times.
 * Matched by identity in a small fixed table; a miss (a slot taken by another change meanwhile, or
 * events that are not shared, such as converted custom resources) only costs an encoding.
 */
final class SharedEventLines {

    private static final int SLOTS = 64;

    private record Entry(WatchEvent event, byte[] line) {
    }

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

    /** The line for {@code event}, encoded by {@code encode} unless another watcher already did. */
    byte[] line(WatchEvent event, Supplier<byte[]> encode) {
        int slot = Math.floorMod(System.identityHashCode(event), SLOTS);
        Entry known = slots.get(slot);
        if (known != null && known.event() == event) {
            return known.line();
        }
        byte[] line = encode.get();
        slots.set(slot, new Entry(event, line));
        return line;
    }
}
