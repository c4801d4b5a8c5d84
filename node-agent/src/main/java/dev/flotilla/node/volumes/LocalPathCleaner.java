package dev.flotilla.node.volumes;

import dev.flotilla.api.storage.VolumeAnnotations;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's half of the local-path provisioner: a local-path PV of this node that is being deleted
 * (its claim gone, reclaim policy Delete) has its directory removed here, then the
 * {@code local-path.flotilla.dev/cleanup} finalizer, so the API server lets the PV go. Only
 * directories directly under this node's base dir are ever removed.
 */
public final class LocalPathCleaner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPathCleaner.class);

    private final KubernetesClient client;
    private final String nodeName;
    private final Path baseDir;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "local-path-cleaner");
        thread.setDaemon(true);
        return thread;
    });
    private SharedIndexInformer<PersistentVolume> informer;

    public LocalPathCleaner(KubernetesClient client, String nodeName, Path baseDir) {
        this.client = client;
        this.nodeName = nodeName;
        this.baseDir = baseDir.toAbsolutePath().normalize();
    }

    /** Tells the provisioner where this node keeps local-path volumes (an annotation on the Node), then watches. */
    public LocalPathCleaner start() {
        // A merge patch (re-applied by the server on a concurrent write), not a read-modify-write.
        client.nodes().withName(nodeName).patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(
                Map.of("metadata", Map.of("annotations", Map.of(VolumeAnnotations.LOCAL_PATH_DIR, baseDir.toString())))));
        informer = client.persistentVolumes().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(PersistentVolume volume) {
                changed(volume);
            }

            @Override
            public void onUpdate(PersistentVolume old, PersistentVolume volume) {
                changed(volume);
            }

            @Override
            public void onDelete(PersistentVolume volume, boolean finalStateUnknown) {
            }
        }, 60_000);
        return this;
    }

    private void changed(PersistentVolume volume) {
        var meta = volume.getMetadata();
        if (meta.getDeletionTimestamp() != null && meta.getFinalizers().contains(VolumeAnnotations.LOCAL_PATH_CLEANUP_FINALIZER)
                && meta.getAnnotations() != null && nodeName.equals(meta.getAnnotations().get(VolumeAnnotations.LOCAL_PATH_NODE))) {
            worker.execute(() -> clean(meta.getName()));
        }
    }

    private void clean(String name) {
        try {
            // The informer's copy, not a GET: the Node authorizer lets a node get only PVs its pods
            // use, and the pod is gone by now. A stale copy loses the update's conflict check and
            // comes back at the next resync.
            PersistentVolume volume = informer.getStore().getByKey(name);
            if (volume == null || !volume.getMetadata().getFinalizers().contains(VolumeAnnotations.LOCAL_PATH_CLEANUP_FINALIZER)) {
                return;
            }
            if (volume.getSpec().getHostPath() != null) {
                removeDirectory(baseDir, Path.of(volume.getSpec().getHostPath().getPath()));
            }
            client.persistentVolumes().resource(new PersistentVolumeBuilder(volume).editMetadata()
                    .removeFromFinalizers(VolumeAnnotations.LOCAL_PATH_CLEANUP_FINALIZER).endMetadata().build()).update();
            LOG.info("local-path volume {} cleaned up", name);
        } catch (IOException | RuntimeException e) {
            // The informer's resync (every minute) brings the volume back for another try.
            LOG.warn("cannot clean up local-path volume {}: {}", name, e.getMessage());
        }
    }

    /** Removes {@code directory} and everything in it (links not followed), only if it is directly under {@code baseDir}. */
    static void removeDirectory(Path baseDir, Path directory) throws IOException {
        Path normalized = directory.toAbsolutePath().normalize();
        if (!baseDir.equals(normalized.getParent())) {
            throw new IOException(directory + " is not a directory directly under " + baseDir + "; left in place");
        }
        if (!Files.exists(normalized)) {
            return;
        }
        Files.walkFileTree(normalized, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException error) throws IOException {
                if (error != null) {
                    throw error;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.stop();
        }
        worker.shutdownNow();
    }
}
