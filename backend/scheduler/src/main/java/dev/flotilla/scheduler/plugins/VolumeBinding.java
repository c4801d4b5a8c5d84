package dev.flotilla.scheduler.plugins;

import dev.flotilla.api.concurrent.DaemonThreads;
import dev.flotilla.api.storage.PodClaims;
import dev.flotilla.api.storage.VolumeAnnotations;
import dev.flotilla.api.storage.VolumeMatching;
import dev.flotilla.scheduler.cache.NodeInfo;
import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.framework.CycleState;
import dev.flotilla.scheduler.framework.FilterPlugin;
import dev.flotilla.scheduler.framework.FilterResult;
import dev.flotilla.scheduler.framework.PreFilterPlugin;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Upstream's VolumeBinding plugin. PreFilter: every claim the pod mounts (a generic ephemeral volume
 * is its claim {@code <pod>-<volume>}, which must be owned by the pod) exists and is bound, or
 * belongs to a WaitForFirstConsumer class. Filter: the volumes of bound claims admit the node
 * (their node affinity), and every unbound claim can get a volume there: a matching free PV that
 * admits the node, or a class with a provisioner. PreBind ({@link #preBind}, before the pod's
 * binding): each unbound claim gets its chosen PV reserved (claimRef, as upstream's scheduler binds
 * static PVs) or, to be provisioned, the {@code volume.kubernetes.io/selected-node} annotation; the
 * pod is bound only once the PV controller has bound all its claims.
 */
public final class VolumeBinding implements PreFilterPlugin, FilterPlugin {

    static final String UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";
    static final String NODE_CONFLICT = "node(s) had volume node affinity conflict";
    static final String NO_VOLUME = "node(s) didn't find available persistent volumes to bind";
    static final String PV_MISSING = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
    /** Upstream's marker of a class whose volumes are only ever created by hand. */
    static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";
    private static final Duration BIND_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration BIND_POLL = Duration.ofMillis(200);

    private final Store<PersistentVolumeClaim> claims;
    private final Store<PersistentVolume> volumes;
    private final Store<StorageClass> classes;
    private final KubernetesClient client;
    private final ScheduledExecutorService polls = DaemonThreads.scheduler("volume-binding");

    public VolumeBinding(Store<PersistentVolumeClaim> claims, Store<PersistentVolume> volumes,
            Store<StorageClass> classes, KubernetesClient client) {
        this.claims = claims;
        this.volumes = volumes;
        this.classes = classes;
        this.client = client;
    }

    @Override
    public String name() {
        return "VolumeBinding";
    }

    @Override
    public FilterResult preFilter(CycleState state, PodInfo pod, List<NodeInfo> allNodes) {
        for (String claimName : claimNames(pod.pod())) {
            PersistentVolumeClaim claim = claims.getByKey(pod.pod().getMetadata().getNamespace() + "/" + claimName);
            if (claim == null) {
                return FilterResult.unresolvable(VolumeStores.claimNotFound(claimName));
            }
            if (isEphemeralClaim(pod.pod(), claimName) && !PodClaims.isOwnedBy(claim, pod.pod())) {
                return FilterResult.unresolvable(PodClaims.notOwnerMessage(claim, pod.pod()));
            }
            if (claim.getMetadata().getDeletionTimestamp() != null) {
                return FilterResult.unresolvable("persistentvolumeclaim \"" + claimName + "\" is being deleted");
            }
            if (!isBound(claim) && !delaysBinding(claim)) {
                return FilterResult.unresolvable(UNBOUND_IMMEDIATE);
            }
        }
        return FilterResult.FITS;
    }

    @Override
    public FilterResult filter(CycleState state, PodInfo pod, NodeInfo node) {
        List<PersistentVolumeClaim> podClaims = podClaims(pod.pod());
        if (podClaims.isEmpty()) {
            return FilterResult.FITS;
        }
        List<String> reasons = new ArrayList<>();
        for (PersistentVolumeClaim claim : podClaims) {
            if (!isBound(claim)) {
                continue;
            }
            PersistentVolume volume = volumes.getByKey(claim.getSpec().getVolumeName());
            if (volume == null) {
                return FilterResult.unresolvable(PV_MISSING);
            }
            if (!VolumeMatching.nodeAffinityAdmits(volume, node.node()) && !reasons.contains(NODE_CONFLICT)) {
                reasons.add(NODE_CONFLICT);
            }
        }
        if (chooseVolumes(podClaims, node.node()).isEmpty()) {
            reasons.add(NO_VOLUME);
        }
        return reasons.isEmpty() ? FilterResult.FITS : FilterResult.unresolvable(reasons.toArray(String[]::new));
    }

    /**
     * A volume for each unbound claim on this node (a claim mapped to null is to be provisioned), no
     * PV chosen twice; empty when some claim can have none.
     */
    private Optional<Map<PersistentVolumeClaim, PersistentVolume>> chooseVolumes(List<PersistentVolumeClaim> podClaims,
            Node node) {
        Map<PersistentVolumeClaim, PersistentVolume> chosen = new java.util.LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (PersistentVolumeClaim claim : podClaims) {
            if (isBound(claim)) {
                continue;
            }
            List<PersistentVolume> free = volumes.list().stream()
                    .filter(v -> !taken.contains(v.getMetadata().getName())).toList();
            Optional<PersistentVolume> match = VolumeMatching.bestMatch(claim, free, node, true);
            if (match.isPresent()) {
                taken.add(match.get().getMetadata().getName());
                chosen.put(claim, match.get());
            } else if (canProvision(claim)) {
                chosen.put(claim, null);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(chosen);
    }

    /**
     * Reserves or requests the volumes of the pod's unbound claims for {@code nodeName}, and completes
     * once every claim of the pod is bound (or fails after upstream's 10 minute bind timeout).
     */
    public CompletableFuture<Void> preBind(Pod pod, String nodeName) {
        List<PersistentVolumeClaim> podClaims = podClaims(pod);
        if (podClaims.stream().allMatch(VolumeBinding::fullyBound)) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            Node node = client.nodes().withName(nodeName).get();
            if (node == null) {
                throw new IllegalStateException("node \"" + nodeName + "\" not found");
            }
            var chosen = chooseVolumes(podClaims, node).orElseThrow(() -> new IllegalStateException(
                    "no volumes can be bound for the pod on node \"" + nodeName + "\" any more"));
            chosen.forEach((claim, volume) -> {
                if (volume == null) {
                    requestVolume(claim, nodeName);
                } else {
                    reserve(volume, claim);
                }
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(preBindError(e.getMessage()));
        }
        CompletableFuture<Void> bound = new CompletableFuture<>();
        long deadline = System.nanoTime() + BIND_TIMEOUT.toNanos();
        var poll = polls.scheduleWithFixedDelay(() -> {
            if (podClaims(pod).stream().allMatch(VolumeBinding::fullyBound)) {
                bound.complete(null);
            } else if (System.nanoTime() > deadline) {
                bound.completeExceptionally(preBindError("timed out waiting for the condition"));
            }
        }, 0, BIND_POLL.toMillis(), TimeUnit.MILLISECONDS);
        bound.whenComplete((ok, error) -> poll.cancel(false));
        return bound;
    }

    private static RuntimeException preBindError(String message) {
        return new IllegalStateException("running PreBind plugin \"VolumeBinding\": binding volumes: " + message);
    }

    private void requestVolume(PersistentVolumeClaim claim, String nodeName) {
        Map<String, String> annotations = claim.getMetadata().getAnnotations();
        if (annotations != null && nodeName.equals(annotations.get(VolumeAnnotations.SELECTED_NODE))) {
            return;
        }
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName())
                .edit(c -> new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder(c).editMetadata()
                        .addToAnnotations(VolumeAnnotations.SELECTED_NODE, nodeName).endMetadata().build());
    }

    /** As upstream's scheduler binds a static PV: its claimRef names the claim; the PV controller does the rest. */
    private void reserve(PersistentVolume volume, PersistentVolumeClaim claim) {
        PersistentVolume reserved = new PersistentVolumeBuilder(volume)
                .editMetadata().addToAnnotations(VolumeAnnotations.BOUND_BY_CONTROLLER, VolumeAnnotations.YES).endMetadata()
                .editSpec().withClaimRef(new ObjectReferenceBuilder().withKind("PersistentVolumeClaim").withApiVersion("v1")
                        .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                        .withUid(claim.getMetadata().getUid()).withResourceVersion(claim.getMetadata().getResourceVersion())
                        .build()).endSpec().build();
        client.persistentVolumes().resource(reserved).update();
    }

    private List<PersistentVolumeClaim> podClaims(Pod pod) {
        List<PersistentVolumeClaim> found = new ArrayList<>();
        for (String name : claimNames(pod)) {
            PersistentVolumeClaim claim = claims.getByKey(pod.getMetadata().getNamespace() + "/" + name);
            if (claim != null) {
                found.add(claim);
            }
        }
        return found;
    }

    private static List<String> claimNames(Pod pod) {
        return PodClaims.claimNames(pod);
    }

    private static boolean isEphemeralClaim(Pod pod, String claimName) {
        return pod.getSpec().getVolumes().stream()
                .anyMatch(v -> PodClaims.isEphemeral(v) && claimName.equals(PodClaims.claimName(pod, v)));
    }

    private static boolean isBound(PersistentVolumeClaim claim) {
        String volumeName = claim.getSpec().getVolumeName();
        return volumeName != null && !volumeName.isEmpty();
    }

    /** Bound as the kubelet needs it: a volume named and the phase Bound (the PV controller finished). */
    private static boolean fullyBound(PersistentVolumeClaim claim) {
        return isBound(claim) && claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase());
    }

    private boolean delaysBinding(PersistentVolumeClaim claim) {
        StorageClass storageClass = storageClass(claim);
        return storageClass != null && VolumeMatching.isWaitForFirstConsumer(storageClass.getVolumeBindingMode());
    }

    private boolean canProvision(PersistentVolumeClaim claim) {
        StorageClass storageClass = storageClass(claim);
        return storageClass != null && storageClass.getProvisioner() != null && !storageClass.getProvisioner().isEmpty()
                && !NO_PROVISIONER.equals(storageClass.getProvisioner());
    }

    private StorageClass storageClass(PersistentVolumeClaim claim) {
        String name = VolumeMatching.claimClass(claim);
        return name.isEmpty() ? null : classes.getByKey(name);
    }

    /** Stops the bind-wait timer. */
    public void close() {
        polls.shutdownNow();
    }
}
