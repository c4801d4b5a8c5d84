package dev.flotilla.node.eviction;

import dev.flotilla.node.cri.v1.Container;
import dev.flotilla.node.cri.v1.Image;
import dev.flotilla.node.runtime.CriClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's image garbage collector over CRI's ImageService: once the image filesystem is
 * {@code imageGCHighThresholdPercent} full, removes unused images, least recently used first, until it
 * is down to {@code imageGCLowThresholdPercent}. An image is never removed while a container (running
 * or dead) uses it, when the runtime pins it or it is one of {@code pinned} (the sandbox image), nor
 * before {@code imageMinimumGCAge} since it was first seen. Under disk pressure the eviction manager
 * asks it to remove every unused image ({@link #deleteUnusedImages}).
 */
public final class ImageGarbageCollector {

    private static final Logger LOG = LoggerFactory.getLogger(ImageGarbageCollector.class);

    private record Record(Instant firstDetected, Instant lastUsed, long size) {
    }

    private final CriClient cri;
    private final EvictionSettings settings;
    private final Supplier<Observation> imageFs;
    private final Set<String> pinned;
    private final Clock clock;
    private final Map<String, Record> records = new HashMap<>();

    /** {@code imageFs}: the image filesystem's available and capacity bytes now; {@code pinned}: image references kept always. */
    public ImageGarbageCollector(CriClient cri, EvictionSettings settings, Supplier<Observation> imageFs, Set<String> pinned,
                                 Clock clock) {
        this.cri = cri;
        this.settings = settings;
        this.imageFs = imageFs;
        this.pinned = Set.copyOf(pinned);
        this.clock = clock;
    }

    /** A failure to free enough, with upstream's message (reported as an ImageGCFailed event). */
    public static final class NotEnoughFreed extends RuntimeException {
        NotEnoughFreed(long attempted, long freed) {
            super("Failed to garbage collect required amount of images. Attempted to free " + attempted
                    + " bytes, but only found " + freed + " bytes eligible to free.");
        }
    }

    /** The periodic pass: frees down to the low threshold when usage reached the high one; returns the bytes freed. */
    public synchronized long garbageCollect() {
        Observation fs = imageFs.get();
        Instant now = clock.instant();
        detect(now);
        if (fs == null || fs.capacity() <= 0) {
            return 0;
        }
        long usagePercent = 100 - fs.available() * 100 / fs.capacity();
        if (usagePercent < settings.imageGcHighThresholdPercent()) {
            return 0;
        }
        long toFree = fs.capacity() * (100 - settings.imageGcLowThresholdPercent()) / 100 - fs.available();
        LOG.info("image filesystem {}% used (high threshold {}%): freeing {} bytes down to {}%", usagePercent,
                settings.imageGcHighThresholdPercent(), toFree, settings.imageGcLowThresholdPercent());
        long freed = freeSpace(toFree, now);
        if (freed < toFree) {
            throw new NotEnoughFreed(toFree, freed);
        }
        return freed;
    }

    /** Removes every image no container uses (still not a pinned one nor one younger than the minimum age). */
    public synchronized long deleteUnusedImages() {
        Instant now = clock.instant();
        detect(now);
        return freeSpace(Long.MAX_VALUE, now);
    }

    private void detect(Instant now) {
        Set<String> inUse = inUse();
        Set<String> seen = new HashSet<>();
        for (Image image : cri.listImages()) {
            seen.add(image.getId());
            Record before = records.get(image.getId());
            Instant first = before == null ? now : before.firstDetected();
            Instant lastUsed = inUse.contains(image.getId()) ? now : before == null ? Instant.EPOCH : before.lastUsed();
            records.put(image.getId(), new Record(first, lastUsed, image.getSize()));
        }
        records.keySet().retainAll(seen);
    }

    /** Image ids that some container of the runtime (in any state) was created from. */
    private Set<String> inUse() {
        Set<String> ids = new HashSet<>();
        for (Container container : cri.listContainers()) {
            ids.add(container.getImageRef());
            ids.add(container.getImage().getImage());
        }
        return ids;
    }

    private long freeSpace(long bytesToFree, Instant freeTime) {
        Set<String> inUse = inUse();
        List<Image> candidates = new ArrayList<>();
        for (Image image : cri.listImages()) {
            if (image.getPinned() || inUse.contains(image.getId()) || isPinned(image) || !records.containsKey(image.getId())) {
                continue;
            }
            candidates.add(image);
        }
        candidates.sort(Comparator.<Image, Instant>comparing(i -> records.get(i.getId()).lastUsed())
                .thenComparing(i -> records.get(i.getId()).firstDetected()));
        long freed = 0;
        Duration minAge = settings.imageMinimumGcAge();
        for (Image image : candidates) {
            Record record = records.get(image.getId());
            if (Duration.between(record.firstDetected(), freeTime).compareTo(minAge) < 0) {
                continue;
            }
            LOG.info("removing image {} {} ({} bytes, last used {})", image.getId(), image.getRepoTagsList(),
                    image.getSize(), record.lastUsed().equals(Instant.EPOCH) ? "never" : record.lastUsed());
            try {
                cri.removeImage(image.getId());
            } catch (RuntimeException e) {
                LOG.warn("cannot remove image {}: {}", image.getId(), e.getMessage());
                continue;
            }
            records.remove(image.getId());
            freed += image.getSize();
            if (freed >= bytesToFree) {
                break;
            }
        }
        return freed;
    }

    private boolean isPinned(Image image) {
        return image.getRepoTagsList().stream().anyMatch(pinned::contains) || pinned.contains(image.getId());
    }
}
