package dev.flotilla.node.eviction;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Optional;

/**
 * The kubelet's local storage capacity isolation, in upstream's order and words: a pod whose emptyDir
 * holds more than its {@code sizeLimit}, whose ephemeral storage (containers' writable layers and
 * logs, emptyDir volumes) exceeds the sum of its containers' {@code ephemeral-storage} limits, or one
 * of whose containers exceeds its own limit, is evicted whatever the node's pressure.
 */
final class LocalStorageLimits {

    private static final String EPHEMERAL_STORAGE = "ephemeral-storage";

    private LocalStorageLimits() {
    }

    /** Whether {@code pod} has any limit checked here (an emptyDir sizeLimit or an ephemeral-storage limit). */
    static boolean hasLimits(Pod pod) {
        boolean sized = pod.getSpec().getVolumes() != null && pod.getSpec().getVolumes().stream()
                .anyMatch(v -> v.getEmptyDir() != null && v.getEmptyDir().getSizeLimit() != null);
        return sized || podLimit(pod) != null;
    }

    /** The eviction message for the first limit {@code pod} exceeds, if any. */
    static Optional<String> exceeded(Pod pod, PodUsage usage) {
        if (usage == null) {
            return Optional.empty();
        }
        List<Volume> volumes = pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
        for (Volume volume : volumes) {
            Quantity limit = volume.getEmptyDir() == null ? null : volume.getEmptyDir().getSizeLimit();
            Long used = usage.emptyDirs().get(volume.getName());
            if (limit != null && used != null && bytes(limit) > 0 && used > bytes(limit)) {
                return Optional.of("Usage of EmptyDir volume \"" + volume.getName() + "\" exceeds the limit \""
                        + limit + "\". ");
            }
        }
        Long podLimit = podLimit(pod);
        if (podLimit != null && usage.disk() > podLimit) {
            return Optional.of("Pod ephemeral local storage usage exceeds the total limit of containers "
                    + EvictionMessages.bytes(podLimit) + ". ");
        }
        for (Container container : pod.getSpec().getContainers()) {
            Quantity limit = limit(container);
            Long used = usage.containerDisk().get(container.getName());
            if (limit != null && used != null && used > bytes(limit)) {
                return Optional.of("Container " + container.getName() + " exceeded its local ephemeral storage limit \""
                        + limit + "\". ");
            }
        }
        return Optional.empty();
    }

    /** As upstream's PodLimits: the containers' sum, or an init container's own limit when larger; null when none is set. */
    private static Long podLimit(Pod pod) {
        Long sum = null;
        for (Container container : pod.getSpec().getContainers()) {
            Quantity limit = limit(container);
            if (limit != null) {
                sum = (sum == null ? 0 : sum) + bytes(limit);
            }
        }
        if (pod.getSpec().getInitContainers() != null) {
            for (Container init : pod.getSpec().getInitContainers()) {
                Quantity limit = limit(init);
                if (limit != null && (sum == null || bytes(limit) > sum)) {
                    sum = bytes(limit);
                }
            }
        }
        return sum;
    }

    private static Quantity limit(Container container) {
        return container.getResources() == null || container.getResources().getLimits() == null ? null
                : container.getResources().getLimits().get(EPHEMERAL_STORAGE);
    }

    private static long bytes(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity).longValue();
    }
}
