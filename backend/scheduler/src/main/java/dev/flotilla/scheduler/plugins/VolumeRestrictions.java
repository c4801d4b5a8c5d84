package dev.flotilla.scheduler.plugins;

import dev.flotilla.api.storage.PodClaims;
import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.FilterPlugin;
import dev.flotilla.scheduler.framework.FilterResult;
import dev.flotilla.scheduler.framework.PreFilterPlugin;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.Store;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Upstream's VolumeRestrictions plugin. PreFilter: the pod's claims (a generic ephemeral volume is its
 * claim) must exist; those with access mode {@code ReadWriteOncePod} must not be used by any pod already
 * on a node (bound or assumed). Filter: such a conflict makes every node unschedulable with upstream's
 * reason (preemption of the user may help); a node where another pod mounts the same exclusive disk
 * ({@link ExclusiveVolumes}) is unschedulable too.
 */
public final class VolumeRestrictions implements PreFilterPlugin, FilterPlugin {

    static final String DISK_CONFLICT = "node(s) had no available disk";
    static final String READ_WRITE_ONCE_POD_CONFLICT =
            "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";
    private static final String NAME = "VolumeRestrictions";

    private final Store<PersistentVolumeClaim> claims;

    public VolumeRestrictions(Store<PersistentVolumeClaim> claims) {
        this.claims = claims;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** What PreFilter found: how many pods elsewhere hold one of the pod's ReadWriteOncePod claims. */
    private record State(int conflictingClaimUsers) {
    }

    @Override
    public FilterResult preFilter(CycleState state, PodInfo pod, List<NodeInfo> allNodes) {
        String namespace = pod.pod().getMetadata().getNamespace();
        Set<String> exclusive = new HashSet<>();
        for (String name : PodClaims.claimNames(pod.pod())) {
            PersistentVolumeClaim claim = claims.getByKey(namespace + "/" + name);
            if (claim == null) {
                return FilterResult.unresolvable(VolumeStores.claimNotFound(name));
            }
            List<String> modes = claim.getSpec().getAccessModes();
            if (modes != null && modes.contains("ReadWriteOncePod")) {
                exclusive.add(name);
            }
        }
        int users = 0;
        if (!exclusive.isEmpty()) {
            for (NodeInfo node : allNodes) {
                for (PodInfo other : node.pods()) {
                    if (!other.key().equals(pod.key()) && usesAny(other.pod(), namespace, exclusive)) {
                        users++;
                    }
                }
            }
        }
        state.write(NAME, new State(users));
        return FilterResult.FITS;
    }

    private static boolean usesAny(Pod other, String namespace, Set<String> claimNames) {
        return namespace.equals(other.getMetadata().getNamespace())
                && PodClaims.claimNames(other).stream().anyMatch(claimNames::contains);
    }

    @Override
    public FilterResult filter(CycleState state, PodInfo pod, NodeInfo node) {
        if (ExclusiveVolumes.needsCheck(pod.pod())) {
            for (PodInfo other : node.pods()) {
                if (!other.key().equals(pod.key()) && ExclusiveVolumes.conflict(pod.pod(), other.pod())) {
                    return FilterResult.unschedulable(DISK_CONFLICT);
                }
            }
        }
        State found = state.read(NAME);
        if (found != null && found.conflictingClaimUsers() > 0) {
            return FilterResult.unschedulable(READ_WRITE_ONCE_POD_CONFLICT);
        }
        return FilterResult.FITS;
    }
}
