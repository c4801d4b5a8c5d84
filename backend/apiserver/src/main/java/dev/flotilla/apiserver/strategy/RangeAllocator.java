package dev.flotilla.apiserver.strategy;

import dev.flotilla.api.json.Json;
import dev.flotilla.storage.KeyExistsException;
import dev.flotilla.storage.NotFoundException;
import dev.flotilla.storage.ObjectStore;
import dev.flotilla.storage.ConflictException;
import dev.flotilla.storage.ListResult;
import dev.flotilla.storage.StoredObject;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out unique values from a range (service IPs, node ports). Each allocation is one etcd key
 * created only if absent, so two API servers, or fifty concurrent creates, can never hand out the
 * same value; deleting the key gives it back.
 */
final class RangeAllocator {

    private final ObjectStore store;
    private final String prefix;
    private final long first;
    private final long size;

    RangeAllocator(ObjectStore store, String prefix, long first, long size) {
        this.store = store;
        this.prefix = prefix;
        this.first = first;
        this.size = size;
    }

    boolean contains(long value) {
        return value >= first && value < first + size;
    }

    /** Claims {@code value} for {@code owner}; false if it is already taken. */
    boolean claim(long value, String owner) {
        try {
            store.create(prefix + value, Json.toBytes(Map.of("owner", owner)));
            return true;
        } catch (KeyExistsException taken) {
            return false;
        }
    }

    /** Claims some free value, starting at a random point and probing onwards; empty when the range is full. */
    OptionalLong claimAny(String owner) {
        long start = ThreadLocalRandom.current().nextLong(size);
        for (long i = 0; i < size; i++) {
            long value = first + (start + i) % size;
            if (claim(value, owner)) {
                return OptionalLong.of(value);
            }
        }
        return OptionalLong.empty();
    }

    /** Every value claimed now, with the etcd revision of its claim (a value claimed again has a new one). */
    Map<Long, Long> claims() {
        Map<Long, Long> claims = new HashMap<>();
        String after = null;
        long revision = 0;
        ListResult page;
        do {
            page = store.list(prefix, revision, 1000, after);
            revision = page.revision();
            for (StoredObject claim : page.items()) {
                claims.put(Long.parseLong(claim.key().substring(prefix.length())), claim.modRevision());
                after = claim.key();
            }
        } while (page.more());
        return claims;
    }

    /** Releases {@code value} only if it is still the claim made at {@code claimRevision}. */
    void release(long value, long claimRevision) {
        try {
            store.delete(prefix + value, claimRevision);
        } catch (NotFoundException | ConflictException claimedAgain) {
            // released meanwhile, or released and claimed by someone else: not ours to free
        }
    }

    void release(long value) {
        try {
            store.delete(prefix + value, 0);
        } catch (NotFoundException alreadyFree) {
            // released before, or never claimed
        }
    }
}
