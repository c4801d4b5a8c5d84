package dev.flotilla.controllers.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.json.Json;
import dev.flotilla.controllers.deployment.PodTemplates;
import dev.flotilla.controllers.ownership.ControllerRefs;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ControllerRevisions of StatefulSets and DaemonSets as upstream writes them: the data is the
 * strategic merge patch {@code {"spec":{"template":{…,"$patch":"replace"}}}} that kubectl's
 * {@code rollout undo} applies back to the owner, the name {@code <owner>-<hash>}, the
 * {@code controller-revision-hash} label and a controller reference to the owner.
 */
public final class ControllerHistory {

    public static final String HASH_LABEL = "controller-revision-hash";
    public static final Comparator<ControllerRevision> BY_REVISION = Comparator
            .comparingLong(ControllerRevision::getRevision)
            .thenComparing(r -> r.getMetadata().getCreationTimestamp(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(r -> r.getMetadata().getName());

    private ControllerHistory() {
    }

    /** A new revision of the owner's template numbered {@code revision}; the hash counts collisions. */
    public static ControllerRevision newRevision(HasMetadata owner, OwnerReference controllerRef, PodTemplateSpec template,
            long revision, Integer collisionCount) {
        String hash = PodTemplates.hash(template, collisionCount);
        Map<String, String> labels = new LinkedHashMap<>();
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.put(HASH_LABEL, hash);
        return new ControllerRevisionBuilder().withNewMetadata()
                .withName(name(owner.getMetadata().getName(), hash))
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(owner.getMetadata().getAnnotations())
                .withOwnerReferences(controllerRef).endMetadata()
                .withData(data(template)).withRevision(revision).build();
    }

    /** Upstream's ControllerRevisionName: the owner's name cut to 223 characters, a dash and the hash. */
    static String name(String owner, String hash) {
        String prefix = owner.length() > 223 ? owner.substring(0, 223) : owner;
        return prefix + "-" + hash;
    }

    private static Map<String, Object> data(PodTemplateSpec template) {
        ObjectNode replaced = Json.mapper().valueToTree(template);
        replaced.put("$patch", "replace");
        return Map.of("spec", Map.of("template", replaced));
    }

    /** The pod template a revision records. */
    public static PodTemplateSpec template(ControllerRevision revision) {
        JsonNode template = Json.mapper().valueToTree(revision.getData()).path("spec").path("template").deepCopy();
        if (template instanceof ObjectNode object) {
            object.remove("$patch");
        }
        return Json.mapper().convertValue(template, PodTemplateSpec.class);
    }

    public static boolean records(ControllerRevision revision, PodTemplateSpec template) {
        return PodTemplates.equalIgnoringHash(template(revision), template);
    }

    /** The owner's revisions, oldest first. */
    public static List<ControllerRevision> ownedBy(HasMetadata owner, List<ControllerRevision> inNamespace) {
        return inNamespace.stream().filter(r -> ControllerRefs.isControlledBy(r, owner)).sorted(BY_REVISION).toList();
    }

    public static long nextRevision(List<ControllerRevision> sorted) {
        return sorted.isEmpty() ? 1 : sorted.get(sorted.size() - 1).getRevision() + 1;
    }
}
