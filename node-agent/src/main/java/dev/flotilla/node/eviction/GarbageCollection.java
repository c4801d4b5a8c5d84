package dev.flotilla.node.eviction;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image and container garbage collection on their periods (upstream's 5 min and 1 min, from
 * {@link EvictionSettings}), and all of both at once when the eviction manager reclaims disk.
 */
public final class GarbageCollection implements NodeReclaim, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollection.class);

    private final ImageGarbageCollector images;
    private final ContainerGarbageCollector containers;
    private final EvictionSettings settings;
    private ScheduledExecutorService timers;

    public GarbageCollection(ImageGarbageCollector images, ContainerGarbageCollector containers, EvictionSettings settings) {
        this.images = images;
        this.containers = containers;
        this.settings = settings;
    }

    public GarbageCollection start() {
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "garbage-collection");
            thread.setDaemon(true);
            return thread;
        });
        long imagePeriod = settings.imageGcPeriod().toMillis();
        timers.scheduleWithFixedDelay(() -> quietly("image garbage collection", images::garbageCollect), imagePeriod,
                imagePeriod, TimeUnit.MILLISECONDS);
        long containerPeriod = settings.containerGcPeriod().toMillis();
        timers.scheduleWithFixedDelay(() -> quietly("container garbage collection", containers::collect),
                containerPeriod, containerPeriod, TimeUnit.MILLISECONDS);
        return this;
    }

    private static void quietly(String what, Runnable pass) {
        try {
            pass.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed: {}", what, e.getMessage());
        }
    }

    @Override
    public String reclaimDisk() {
        int removed = containers.collect();
        long freed = images.deleteUnusedImages();
        return "removed " + removed + " dead containers and sandboxes, freed " + freed + " bytes of unused images";
    }

    @Override
    public void close() {
        if (timers != null) {
            timers.shutdownNow();
        }
    }
}
