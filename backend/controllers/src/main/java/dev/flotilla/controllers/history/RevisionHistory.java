package dev.flotilla.controllers.history;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Keeps an owner's ControllerRevisions as upstream's StatefulSet and DaemonSet controllers do: the
 * update revision is the one recording the current template (an older one is renumbered to the
 * newest instead of duplicated; a new one is created otherwise), and revisions beyond the history
 * limit that no pod and neither the current nor the update revision use are deleted, oldest first.
 */
public final class RevisionHistory {

    /** Another object holds the revision's name: the owner's collisionCount must go up. */
    public static final class HashCollision extends Exception {
        HashCollision(String name) {
            super("controller revision " + name + " already exists with another template");
        }
    }

    public record Revisions(ControllerRevision current, ControllerRevision update, List<ControllerRevision> all) {
    }

    private final KubernetesClient client;

    public RevisionHistory(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param owned           the owner's revisions, oldest first
     * @param currentRevision the name the owner's status calls current, or null
     */
    public Revisions sync(HasMetadata owner, OwnerReference controllerRef, PodTemplateSpec template,
            List<ControllerRevision> owned, String currentRevision, Integer collisionCount) throws HashCollision {
        List<ControllerRevision> all = new ArrayList<>(owned);
        long next = ControllerHistory.nextRevision(owned);
        ControllerRevision equal = null;
        for (ControllerRevision revision : owned) {
            if (ControllerHistory.records(revision, template)) {
                equal = revision;
            }
        }
        ControllerRevision update;
        if (equal != null && equal == owned.get(owned.size() - 1)) {
            update = equal;
        } else if (equal != null) {
            ControllerRevision renumbered = client.getKubernetesSerialization().clone(equal);
            renumbered.setRevision(next);
            update = client.resource(renumbered).update();
            all.remove(equal);
            all.add(update);
        } else {
            update = create(ControllerHistory.newRevision(owner, controllerRef, template, next, collisionCount), template);
            all.add(update);
        }
        ControllerRevision current = all.stream().filter(r -> r.getMetadata().getName().equals(currentRevision))
                .findFirst().orElse(update);
        return new Revisions(current, update, all);
    }

    private ControllerRevision create(ControllerRevision revision, PodTemplateSpec template) throws HashCollision {
        try {
            return client.resource(revision).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            ControllerRevision existing = client.resources(ControllerRevision.class)
                    .inNamespace(revision.getMetadata().getNamespace()).withName(revision.getMetadata().getName()).get();
            // Our own earlier create that the cache has not shown yet.
            if (existing != null && ControllerHistory.records(existing, template)
                    && existing.getMetadata().getOwnerReferences().equals(revision.getMetadata().getOwnerReferences())) {
                return existing;
            }
            throw new HashCollision(revision.getMetadata().getName());
        }
    }

    /** Deletes the oldest revisions not in {@code live} until at most {@code limit} of the rest remain. */
    public void truncate(List<ControllerRevision> all, Set<String> live, int limit) {
        List<ControllerRevision> history = all.stream().filter(r -> !live.contains(r.getMetadata().getName()))
                .sorted(ControllerHistory.BY_REVISION).toList();
        for (int i = 0; i < history.size() - limit; i++) {
            ControllerRevision doomed = history.get(i);
            client.resources(ControllerRevision.class).inNamespace(doomed.getMetadata().getNamespace())
                    .withName(doomed.getMetadata().getName()).delete();
        }
    }
}
