package dev.flotilla.controllers.deployment;

import dev.flotilla.controllers.framework.EventRecorder;
import dev.flotilla.controllers.ownership.ControllerRefs;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One sync of one Deployment over the ReplicaSets it controls (upstream's sync.go, rolling.go and
 * recreate.go): finds or creates the new ReplicaSet and keeps revisions in order, scales for a
 * rolling update, a recreate or a change of replicas, cleans up history, and writes status.
 * Returns when to look again (a minReadySeconds or progress deadline wait), or null.
 */
final class DeploymentSync {

    private static final Comparator<ReplicaSet> OLDEST_FIRST = Comparator
            .comparing((ReplicaSet rs) -> Instant.parse(rs.getMetadata().getCreationTimestamp()))
            .thenComparing(rs -> rs.getMetadata().getName());

    private final KubernetesClient client;
    private final EventRecorder events;
    private Deployment d;
    private final List<ReplicaSet> sets;
    private final List<Pod> pods;
    private ReplicaSet newRs;
    private List<ReplicaSet> oldRss = new ArrayList<>();

    DeploymentSync(KubernetesClient client, EventRecorder events, Deployment deployment, List<ReplicaSet> sets,
            List<Pod> pods) {
        this.client = client;
        this.events = events;
        this.d = deployment;
        this.sets = new ArrayList<>(sets);
        this.pods = pods;
    }

    Duration run() {
        if (d.getMetadata().getDeletionTimestamp() != null) {
            findReplicaSets(false);
            return writeStatus(DeploymentProgress.calculate(d, all(), newRs));
        }
        checkPausedCondition();
        if (Boolean.TRUE.equals(d.getSpec().getPaused()) || isScalingEvent()) {
            findReplicaSets(false);
            scale();
            if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
                cleanup();
            }
            return writeStatus(DeploymentProgress.calculate(d, all(), newRs));
        }
        return RolloutMath.isRolling(d) ? rolling() : recreate();
    }

    private List<ReplicaSet> all() {
        List<ReplicaSet> all = new ArrayList<>(oldRss);
        if (newRs != null) {
            all.add(newRs);
        }
        return all;
    }

    // --- finding the new ReplicaSet and keeping revisions ---

    private void findReplicaSets(boolean createIfMissing) {
        List<ReplicaSet> sorted = sets.stream().sorted(OLDEST_FIRST).toList();
        newRs = sorted.stream().filter(rs -> PodTemplates.equalIgnoringHash(rs.getSpec().getTemplate(),
                d.getSpec().getTemplate())).findFirst().orElse(null);
        oldRss = new ArrayList<>(sorted.stream().filter(rs -> rs != newRs).toList());
        long revision = Revisions.maxOf(oldRss) + 1;
        if (newRs != null) {
            ReplicaSet copy = client.getKubernetesSerialization().clone(newRs);
            boolean annotationsChanged = Revisions.setNewReplicaSetAnnotations(d, copy, revision, true);
            boolean minReadyChanged = !java.util.Objects.equals(copy.getSpec().getMinReadySeconds(),
                    d.getSpec().getMinReadySeconds());
            if (annotationsChanged || minReadyChanged) {
                copy.getSpec().setMinReadySeconds(d.getSpec().getMinReadySeconds());
                newRs = update(copy);
            }
            setDeploymentRevision(Revisions.of(newRs));
            if (DeploymentProgress.hasProgressDeadline(d)
                    && DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING) == null) {
                DeploymentStatus status = copyStatus();
                DeploymentConditions.set(status, DeploymentConditions.make(DeploymentConditions.PROGRESSING, "True",
                        DeploymentConditions.FOUND_NEW_RS, "Found new replica set \"" + newRs.getMetadata().getName() + "\""));
                writeStatus(status);
            }
            return;
        }
        if (createIfMissing) {
            createNewReplicaSet(revision);
        }
    }

    private void createNewReplicaSet(long revision) {
        Integer collisions = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
        String hash = PodTemplates.hash(d.getSpec().getTemplate(), collisions);
        PodTemplateSpec template = client.getKubernetesSerialization().clone(d.getSpec().getTemplate());
        Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels() == null ? Map.of()
                : template.getMetadata().getLabels());
        labels.put(PodTemplates.HASH_LABEL, hash);
        template.getMetadata().setLabels(labels);
        LabelSelector selector = new LabelSelectorBuilder(d.getSpec().getSelector()).addToMatchLabels(PodTemplates.HASH_LABEL, hash)
                .build();
        ReplicaSet rs = new ReplicaSetBuilder()
                .withNewMetadata().withName(d.getMetadata().getName() + "-" + hash)
                .withNamespace(d.getMetadata().getNamespace()).withLabels(labels)
                .withOwnerReferences(ControllerRefs.controllerRef(d, "apps/v1", "Deployment")).endMetadata()
                .withNewSpec().withReplicas(0).withMinReadySeconds(d.getSpec().getMinReadySeconds())
                .withSelector(selector).withTemplate(template).endSpec().build();
        Revisions.setNewReplicaSetAnnotations(d, rs, revision, false);
        rs.getSpec().setReplicas(RolloutMath.newReplicaSetReplicas(d, all(), null));
        try {
            newRs = client.resources(ReplicaSet.class).inNamespace(d.getMetadata().getNamespace()).resource(rs).create();
            sets.add(newRs);
            if (RolloutMath.specReplicas(newRs) > 0) {
                events.normal(d, "ScalingReplicaSet", "Scaled up replica set " + newRs.getMetadata().getName() + " to "
                        + RolloutMath.specReplicas(newRs));
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            ReplicaSet existing = client.resources(ReplicaSet.class).inNamespace(d.getMetadata().getNamespace())
                    .withName(rs.getMetadata().getName()).get();
            if (existing != null && ControllerRefs.isControlledBy(existing, d)
                    && PodTemplates.equalIgnoringHash(existing.getSpec().getTemplate(), d.getSpec().getTemplate())) {
                newRs = existing;
                return;
            }
            // A different set holds the name: hash again with the next collision count.
            DeploymentStatus status = copyStatus();
            status.setCollisionCount(collisions == null ? 1 : collisions + 1);
            writeStatus(status);
            throw new IllegalStateException("hash collision for ReplicaSet " + rs.getMetadata().getName());
        }
        setDeploymentRevision(revision);
        if (DeploymentProgress.hasProgressDeadline(d)) {
            DeploymentStatus status = copyStatus();
            DeploymentConditions.set(status, DeploymentConditions.make(DeploymentConditions.PROGRESSING, "True",
                    DeploymentConditions.NEW_RS_CREATED, "Created new replica set \"" + newRs.getMetadata().getName() + "\""));
            writeStatus(status);
        }
    }

    private void setDeploymentRevision(long revision) {
        String value = Long.toString(revision);
        Map<String, String> annotations = d.getMetadata().getAnnotations();
        if (revision == 0 || annotations != null && value.equals(annotations.get(Revisions.REVISION))) {
            return;
        }
        d = client.resources(Deployment.class).inNamespace(d.getMetadata().getNamespace())
                .withName(d.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                        Serialization.asJson(Map.of("metadata", Map.of("annotations", Map.of(Revisions.REVISION, value)))));
    }

    // --- strategies ---

    private Duration rolling() {
        findReplicaSets(true);
        if (scaleNewForRollingUpdate() || scaleOldForRollingUpdate()) {
            return syncRolloutStatus();
        }
        if (DeploymentProgress.isComplete(d, d.getStatus() == null ? new DeploymentStatus() : d.getStatus())) {
            cleanup();
        }
        return syncRolloutStatus();
    }

    private boolean scaleNewForRollingUpdate() {
        int replicas = RolloutMath.replicas(d);
        int current = RolloutMath.specReplicas(newRs);
        if (current == replicas) {
            return false;
        }
        if (current > replicas) {
            return scaleTo(newRs, replicas);
        }
        return scaleTo(newRs, RolloutMath.newReplicaSetReplicas(d, all(), newRs));
    }

    /** Upstream's reconcileOldReplicaSets: unhealthy old pods first, then as far as availability allows. */
    private boolean scaleOldForRollingUpdate() {
        List<ReplicaSet> active = oldRss.stream().filter(rs -> RolloutMath.specReplicas(rs) > 0).toList();
        int oldPods = active.stream().mapToInt(RolloutMath::specReplicas).sum();
        if (oldPods == 0) {
            return false;
        }
        int allPods = all().stream().mapToInt(RolloutMath::specReplicas).sum();
        int minAvailable = RolloutMath.replicas(d) - RolloutMath.maxUnavailable(d);
        int newUnavailable = RolloutMath.specReplicas(newRs) - RolloutMath.availableReplicas(newRs);
        int maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return false;
        }
        int cleaned = 0;
        for (ReplicaSet rs : active.stream().sorted(OLDEST_FIRST).toList()) {
            if (cleaned >= maxScaledDown) {
                break;
            }
            int unhealthy = RolloutMath.specReplicas(rs) - RolloutMath.availableReplicas(rs);
            if (unhealthy <= 0) {
                continue;
            }
            int down = Math.min(maxScaledDown - cleaned, unhealthy);
            scaleTo(rs, RolloutMath.specReplicas(rs) - down);
            cleaned += down;
        }
        int available = all().stream().mapToInt(RolloutMath::availableReplicas).sum();
        int scaledDown = 0;
        if (available > minAvailable) {
            int total = available - minAvailable;
            for (ReplicaSet rs : oldRss.stream().filter(r -> RolloutMath.specReplicas(r) > 0).sorted(OLDEST_FIRST).toList()) {
                if (scaledDown >= total) {
                    break;
                }
                int down = Math.min(RolloutMath.specReplicas(rs), total - scaledDown);
                scaleTo(rs, RolloutMath.specReplicas(rs) - down);
                scaledDown += down;
            }
        }
        return cleaned + scaledDown > 0;
    }

    private Duration recreate() {
        findReplicaSets(false);
        boolean scaledDown = false;
        for (ReplicaSet rs : new ArrayList<>(oldRss)) {
            if (RolloutMath.specReplicas(rs) > 0) {
                scaledDown |= scaleTo(rs, 0);
            }
        }
        if (scaledDown || oldPodsRunning()) {
            return syncRolloutStatus();
        }
        if (newRs == null) {
            findReplicaSets(true);
        }
        scaleTo(newRs, RolloutMath.replicas(d));
        if (DeploymentProgress.isComplete(d, d.getStatus() == null ? new DeploymentStatus() : d.getStatus())) {
            cleanup();
        }
        return syncRolloutStatus();
    }

    private boolean oldPodsRunning() {
        if (oldRss.stream().mapToInt(RolloutMath::statusReplicas).sum() > 0) {
            return true;
        }
        Set<String> oldUids = oldRss.stream().map(rs -> rs.getMetadata().getUid()).collect(Collectors.toSet());
        return pods.stream().anyMatch(p -> {
            var owner = ControllerRefs.controllerOf(p);
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            return owner != null && oldUids.contains(owner.getUid()) && !"Failed".equals(phase)
                    && !"Succeeded".equals(phase);
        });
    }

    // --- scaling when replicas change or while paused ---

    private boolean isScalingEvent() {
        findReplicaSets(false);
        String desired = Integer.toString(RolloutMath.replicas(d));
        return all().stream().filter(rs -> RolloutMath.specReplicas(rs) > 0).anyMatch(rs -> {
            Map<String, String> annotations = rs.getMetadata().getAnnotations();
            String value = annotations == null ? null : annotations.get(Revisions.DESIRED_REPLICAS);
            return value != null && !value.equals(desired);
        });
    }

    /** Upstream's scale: one active set takes the new size; several share the change in proportion. */
    private void scale() {
        List<ReplicaSet> active = all().stream().filter(rs -> RolloutMath.specReplicas(rs) > 0).toList();
        int replicas = RolloutMath.replicas(d);
        if (active.size() <= 1) {
            ReplicaSet target = active.isEmpty() ? (newRs != null ? newRs
                    : oldRss.stream().max(OLDEST_FIRST).orElse(null)) : active.get(0);
            if (target != null) {
                scaleTo(target, replicas);
            }
            return;
        }
        if (newRs != null && RolloutMath.specReplicas(newRs) == replicas && RolloutMath.availableReplicas(newRs) == replicas) {
            oldRss.forEach(rs -> scaleTo(rs, 0));
            return;
        }
        if (!RolloutMath.isRolling(d)) {
            return;
        }
        int allowed = replicas == 0 ? 0 : replicas + RolloutMath.fenceposts(d).surge();
        int current = active.stream().mapToInt(RolloutMath::specReplicas).sum();
        int toAdd = allowed - current;
        Comparator<ReplicaSet> bySize = Comparator.comparingInt(RolloutMath::specReplicas);
        List<ReplicaSet> ordered = active.stream().sorted(toAdd > 0 ? bySize.reversed().thenComparing(OLDEST_FIRST.reversed())
                : bySize.reversed().thenComparing(OLDEST_FIRST)).toList();
        Map<ReplicaSet, Integer> sizes = new HashMap<>();
        int added = 0;
        for (ReplicaSet rs : ordered) {
            int share = proportion(rs, toAdd, added);
            sizes.put(rs, RolloutMath.specReplicas(rs) + share);
            added += share;
        }
        if (toAdd != added && !ordered.isEmpty()) {
            ReplicaSet first = ordered.get(0);
            sizes.put(first, Math.max(0, sizes.get(first) + toAdd - added));
        }
        for (ReplicaSet rs : ordered) {
            scaleTo(rs, sizes.get(rs));
        }
    }

    private int proportion(ReplicaSet rs, int toAdd, int added) {
        if (toAdd == 0) {
            return 0;
        }
        int fraction;
        Integer annotatedMax = Revisions.annotatedInt(rs, Revisions.MAX_REPLICAS);
        if (RolloutMath.replicas(d) == 0) {
            fraction = -RolloutMath.specReplicas(rs);
        } else if (annotatedMax == null || annotatedMax == 0) {
            fraction = 0;
        } else {
            int max = RolloutMath.replicas(d) + RolloutMath.fenceposts(d).surge();
            fraction = (int) Math.round(RolloutMath.specReplicas(rs) * (double) max / annotatedMax) - RolloutMath.specReplicas(rs);
        }
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }

    /** Sets a set's size and its desired/max annotations; true when the size changed. */
    private boolean scaleTo(ReplicaSet rs, int replicas) {
        ReplicaSet copy = client.getKubernetesSerialization().clone(rs);
        boolean sizeChanged = RolloutMath.specReplicas(rs) != replicas;
        boolean annotationsChanged = Revisions.setReplicasAnnotations(d, copy);
        if (!sizeChanged && !annotationsChanged) {
            return false;
        }
        int oldReplicas = RolloutMath.specReplicas(rs);
        copy.getSpec().setReplicas(replicas);
        update(copy);
        if (sizeChanged) {
            events.normal(d, "ScalingReplicaSet", "Scaled " + (oldReplicas < replicas ? "up" : "down") + " replica set "
                    + rs.getMetadata().getName() + " to " + replicas + " from " + oldReplicas);
        }
        return sizeChanged;
    }

    private ReplicaSet update(ReplicaSet copy) {
        ReplicaSet updated = client.resources(ReplicaSet.class).inNamespace(copy.getMetadata().getNamespace())
                .resource(copy).update();
        if (newRs != null && newRs.getMetadata().getUid().equals(updated.getMetadata().getUid())) {
            newRs = updated;
        }
        oldRss.replaceAll(rs -> rs.getMetadata().getUid().equals(updated.getMetadata().getUid()) ? updated : rs);
        sets.replaceAll(rs -> rs.getMetadata().getUid().equals(updated.getMetadata().getUid()) ? updated : rs);
        return updated;
    }

    // --- history and status ---

    /** Deletes the oldest scaled-down sets beyond revisionHistoryLimit. */
    private void cleanup() {
        Integer limit = d.getSpec().getRevisionHistoryLimit();
        if (limit == null) {
            return;
        }
        List<ReplicaSet> cleanable = oldRss.stream().filter(rs -> rs.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparingLong((ReplicaSet rs) -> Revisions.of(rs)).thenComparing(OLDEST_FIRST)).toList();
        int excess = cleanable.size() - limit;
        for (int i = 0; i < excess; i++) {
            ReplicaSet rs = cleanable.get(i);
            long observed = rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null ? 0
                    : rs.getStatus().getObservedGeneration();
            if (RolloutMath.statusReplicas(rs) != 0 || RolloutMath.specReplicas(rs) != 0
                    || rs.getMetadata().getGeneration() > observed) {
                continue;
            }
            try {
                client.resources(ReplicaSet.class).inNamespace(rs.getMetadata().getNamespace())
                        .withName(rs.getMetadata().getName()).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }

    private void checkPausedCondition() {
        if (!DeploymentProgress.hasProgressDeadline(d)) {
            return;
        }
        var current = DeploymentConditions.get(d.getStatus(), DeploymentConditions.PROGRESSING);
        boolean pausedNoted = current != null && DeploymentConditions.PAUSED.equals(current.getReason());
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        if (paused == pausedNoted) {
            return;
        }
        DeploymentStatus status = copyStatus();
        DeploymentConditions.set(status, paused
                ? DeploymentConditions.make(DeploymentConditions.PROGRESSING, "Unknown", DeploymentConditions.PAUSED,
                        "Deployment is paused")
                : DeploymentConditions.make(DeploymentConditions.PROGRESSING, "Unknown", DeploymentConditions.RESUMED,
                        "Deployment is resumed"));
        writeStatus(status);
    }

    private Duration syncRolloutStatus() {
        return writeStatus(DeploymentProgress.rollout(d, all(), newRs));
    }

    private DeploymentStatus copyStatus() {
        return d.getStatus() == null ? new DeploymentStatus() : client.getKubernetesSerialization().clone(d.getStatus());
    }

    /** Writes the status when it changed; returns when a progress deadline should be checked. */
    private Duration writeStatus(DeploymentStatus status) {
        if (!status.equals(d.getStatus())) {
            Deployment copy = client.getKubernetesSerialization().clone(d);
            copy.setStatus(status);
            d = client.resources(Deployment.class).inNamespace(d.getMetadata().getNamespace()).resource(copy).updateStatus();
        }
        return DeploymentProgress.untilDeadline(d, status);
    }
}
