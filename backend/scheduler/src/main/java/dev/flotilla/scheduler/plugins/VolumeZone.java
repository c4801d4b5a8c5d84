package dev.flotilla.scheduler.plugins;

import dev.flotilla.api.storage.PodClaims;
import dev.flotilla.api.storage.VolumeMatching;
import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.FilterPlugin;
import dev.flotilla.scheduler.framework.FilterResult;
import dev.flotilla.scheduler.framework.PreFilterPlugin;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.informers.cache.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's VolumeZone plugin. PreFilter: the topology labels ({@code topology.kubernetes.io/zone} and
 * {@code region}, and their deprecated {@code failure-domain.beta.kubernetes.io} forms; several zones
 * joined by {@code __}) of the PersistentVolumes the pod's bound claims name; an unbound claim is skipped
 * when its class binds on first consumer, else the pod is unresolvable. Filter: a node with any
 * topology label must carry each of those keys (a beta key may match the GA label) with one of the
 * volume's values, or it is unresolvable with {@code node(s) had no available volume zone}; a node
 * without topology labels fits (a single-zone cluster). A PV's node affinity is VolumeBinding's check.
 */
public final class VolumeZone implements PreFilterPlugin, FilterPlugin {

    static final String CONFLICT = "node(s) had no available volume zone";
    static final String ZONE = "topology.kubernetes.io/zone";
    static final String REGION = "topology.kubernetes.io/region";
    static final String BETA_ZONE = "failure-domain.beta.kubernetes.io/zone";
    static final String BETA_REGION = "failure-domain.beta.kubernetes.io/region";
    private static final List<String> TOPOLOGY_LABELS = List.of(BETA_ZONE, BETA_REGION, ZONE, REGION);
    private static final String NAME = "VolumeZone";

    private final Store<PersistentVolumeClaim> claims;
    private final Store<PersistentVolume> volumes;
    private final Store<StorageClass> classes;

    public VolumeZone(Store<PersistentVolumeClaim> claims, Store<PersistentVolume> volumes, Store<StorageClass> classes) {
        this.claims = claims;
        this.volumes = volumes;
        this.classes = classes;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** One topology label of one volume: the node must have {@code key} with one of {@code values}. */
    private record Topology(String key, Set<String> values) {
    }

    @Override
    public FilterResult preFilter(CycleState state, PodInfo pod, List<NodeInfo> allNodes) {
        String namespace = pod.pod().getMetadata().getNamespace();
        List<Topology> topologies = new ArrayList<>();
        for (String name : PodClaims.claimNames(pod.pod())) {
            PersistentVolumeClaim claim = claims.getByKey(namespace + "/" + name);
            if (claim == null) {
                return FilterResult.unresolvable(VolumeStores.claimNotFound(name));
            }
            String volumeName = claim.getSpec().getVolumeName();
            if (volumeName == null || volumeName.isEmpty()) {
                String className = VolumeMatching.claimClass(claim);
                if (className.isEmpty()) {
                    return FilterResult.unresolvable("PersistentVolumeClaim had no pv name and storageClass name");
                }
                StorageClass storageClass = classes.getByKey(className);
                if (storageClass == null) {
                    return FilterResult.unresolvable("storageclass.storage.k8s.io \"" + className + "\" not found");
                }
                if (VolumeMatching.isWaitForFirstConsumer(storageClass.getVolumeBindingMode())) {
                    continue;
                }
                return FilterResult.unresolvable("PersistentVolume had no name");
            }
            PersistentVolume volume = volumes.getByKey(volumeName);
            if (volume == null) {
                return FilterResult.unresolvable("persistentvolume \"" + volumeName + "\" not found");
            }
            topologies.addAll(topologies(volume));
        }
        state.write(NAME, List.copyOf(topologies));
        return FilterResult.FITS;
    }

    static List<Topology> topologies(PersistentVolume volume) {
        Map<String, String> labels = volume.getMetadata().getLabels();
        List<Topology> found = new ArrayList<>();
        if (labels == null) {
            return found;
        }
        for (String key : TOPOLOGY_LABELS) {
            String value = labels.get(key);
            if (value != null) {
                found.add(new Topology(key, Set.of(value.split("__"))));
            }
        }
        return found;
    }

    @Override
    public FilterResult filter(CycleState state, PodInfo pod, NodeInfo node) {
        List<Topology> topologies = state.read(NAME);
        if (topologies == null || topologies.isEmpty()) {
            return FilterResult.FITS;
        }
        Map<String, String> labels = node.node().getMetadata().getLabels();
        if (labels == null || TOPOLOGY_LABELS.stream().noneMatch(labels::containsKey)) {
            return FilterResult.FITS;
        }
        for (Topology topology : topologies) {
            String value = labels.containsKey(topology.key()) ? labels.get(topology.key()) : labels.get(gaLabel(topology.key()));
            if (value == null || !topology.values().contains(value)) {
                return FilterResult.unresolvable(CONFLICT);
            }
        }
        return FilterResult.FITS;
    }

    private static String gaLabel(String key) {
        return switch (key) {
            case BETA_ZONE -> ZONE;
            case BETA_REGION -> REGION;
            default -> key;
        };
    }
}
