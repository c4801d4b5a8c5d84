package dev.flotilla.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.auth.NodeIdentity;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Upstream's NodeRestriction admission plugin: what a node ({@code system:node:<name>}) writes is
 * limited to itself. Its own Node object only (no {@code node-restriction.kubernetes.io/} labels,
 * no kubernetes.io / k8s.io labels beyond the kubelet's own, no taint changes after registration);
 * pods only as mirror pods bound to it that reference no Secrets, ConfigMaps, claims or
 * ServiceAccount, with at most an owner reference to its Node; status and deletion only of pods
 * bound to it; Leases only in {@code kube-node-lease} under its own name. Refusals are upstream's,
 * e.g. {@code nodes "b" is forbidden: node "a" is not allowed to modify node "b"}.
 */
@Singleton
public class NodeRestriction implements AdmissionPlugin {

    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
    private static final Set<String> KUBELET_LABELS = Set.of("kubernetes.io/hostname", "kubernetes.io/arch",
            "kubernetes.io/os", "beta.kubernetes.io/arch", "beta.kubernetes.io/os", "beta.kubernetes.io/instance-type",
            "node.kubernetes.io/instance-type", "failure-domain.beta.kubernetes.io/region",
            "failure-domain.beta.kubernetes.io/zone", "topology.kubernetes.io/region", "topology.kubernetes.io/zone");
    private static final List<String> KUBELET_LABEL_NAMESPACES = List.of("kubelet.kubernetes.io", "node.kubernetes.io");

    @Override
    public String name() {
        return "NodeRestriction";
    }

    @Override
    public void validate(AdmissionAttributes attributes) {
        Optional<String> node = NodeIdentity.nodeName(attributes.user());
        if (node.isEmpty()) {
            return;
        }
        String group = attributes.type().group();
        String resource = attributes.type().resource();
        if (group.isEmpty() && resource.equals("pods")) {
            pod(node.get(), attributes);
        } else if (group.isEmpty() && resource.equals("nodes")) {
            node(node.get(), attributes);
        } else if (group.equals("coordination.k8s.io") && resource.equals("leases")) {
            lease(node.get(), attributes);
        }
    }

    private static void pod(String node, AdmissionAttributes attributes) {
        String subresource = attributes.subresource() == null ? "" : attributes.subresource();
        switch (subresource) {
            case "" -> {
                switch (attributes.operation()) {
                    case CREATE -> mirrorPod(node, attributes);
                    case DELETE -> {
                        if (!boundTo(attributes.oldObject(), node)) {
                            throw attributes.forbidden("node \"" + node
                                    + "\" can only delete pods with spec.nodeName set to itself");
                        }
                    }
                    default -> throw attributes.forbidden("unexpected operation " + attributes.operation()
                            + ", node \"" + node + "\" can only create and delete mirror pods");
                }
            }
            case "status" -> {
                if (attributes.operation() != AdmissionOperation.UPDATE) {
                    throw attributes.forbidden("unexpected operation " + attributes.operation());
                }
                if (!boundTo(attributes.oldObject(), node) || !boundTo(attributes.object(), node)) {
                    throw attributes.forbidden("node \"" + node
                            + "\" can only update pod status for pods with spec.nodeName set to itself");
                }
            }
            case "eviction" -> {
                if (!boundTo(attributes.oldObject(), node)) {
                    throw attributes.forbidden("node \"" + node + "\" can only evict pods with spec.nodeName set to itself");
                }
            }
            default -> {
            }
        }
    }

    private static void mirrorPod(String node, AdmissionAttributes attributes) {
        ObjectNode pod = attributes.object();
        if (!pod.path("metadata").path("annotations").has(MIRROR_ANNOTATION)) {
            throw attributes.forbidden("pod does not have \"" + MIRROR_ANNOTATION + "\" annotation, node \"" + node
                    + "\" can only create mirror pods");
        }
        if (!boundTo(pod, node)) {
            throw attributes.forbidden("node \"" + node + "\" can only create pods with spec.nodeName set to itself");
        }
        JsonNode owners = pod.path("metadata").path("ownerReferences");
        if (owners.size() > 1) {
            throw attributes.forbidden("node \"" + node
                    + "\" can only create pods with a single owner reference set to itself");
        }
        if (owners.size() == 1) {
            JsonNode owner = owners.get(0);
            if (!owner.path("apiVersion").asText().equals("v1") || !owner.path("kind").asText().equals("Node")
                    || !owner.path("name").asText().equals(node)) {
                throw attributes.forbidden("node \"" + node
                        + "\" can only create pods with an owner reference set to itself");
            }
            if (!owner.path("controller").asBoolean(false)) {
                throw attributes.forbidden("node \"" + node
                        + "\" can only create pods with a controller owner reference set to itself");
            }
            if (owner.path("blockOwnerDeletion").asBoolean(false)) {
                throw attributes.forbidden("node \"" + node + "\" must not set blockOwnerDeletion on an owner reference");
            }
        }
        MirrorPodReferences.forbidden(pod).ifPresent(what -> {
            throw attributes.forbidden("node \"" + node + "\" can not create pods that " + what);
        });
    }

    private static void node(String node, AdmissionAttributes attributes) {
        String requested = attributes.name();
        if (!requested.equals(node)) {
            throw attributes.forbidden("node \"" + node + "\" is not allowed to modify node \"" + requested + "\"");
        }
        if (attributes.operation() == AdmissionOperation.CREATE) {
            Set<String> forbidden = forbiddenLabels(labels(attributes.object()), null);
            if (!forbidden.isEmpty()) {
                throw attributes.forbidden("node \"" + node + "\" is not allowed to set the following labels: "
                        + String.join(", ", forbidden));
            }
        } else if (attributes.operation() == AdmissionOperation.UPDATE) {
            if (attributes.subresource() == null && !attributes.object().path("spec").path("taints")
                    .equals(attributes.oldObject().path("spec").path("taints"))) {
                throw attributes.forbidden("node \"" + node + "\" is not allowed to modify taints");
            }
            Set<String> forbidden = forbiddenLabels(labels(attributes.object()), labels(attributes.oldObject()));
            if (!forbidden.isEmpty()) {
                throw attributes.forbidden("is not allowed to modify labels: " + String.join(", ", forbidden));
            }
        }
    }

    private static void lease(String node, AdmissionAttributes attributes) {
        if (!"kube-node-lease".equals(attributes.namespace())) {
            throw attributes.forbidden("can only access leases in the \"kube-node-lease\" namespace");
        }
        if (attributes.operation() == AdmissionOperation.CREATE && !attributes.name().equals(node)) {
            throw attributes.forbidden("can only access node lease with the same name as the requesting node");
        }
    }

    private static boolean boundTo(JsonNode pod, String node) {
        return pod != null && pod.path("spec").path("nodeName").asText("").equals(node);
    }

    private static JsonNode labels(JsonNode object) {
        return object == null ? null : object.path("metadata").path("labels");
    }

    /** Labels added, changed or removed that a node may not set (upstream's {@code getForbiddenLabels}). */
    static Set<String> forbiddenLabels(JsonNode labels, JsonNode old) {
        Set<String> modified = new TreeSet<>();
        labels.fieldNames().forEachRemaining(key -> {
            if (old == null || !labels.get(key).equals(old.get(key))) {
                modified.add(key);
            }
        });
        if (old != null) {
            old.fieldNames().forEachRemaining(key -> {
                if (!labels.has(key)) {
                    modified.add(key);
                }
            });
        }
        Set<String> forbidden = new TreeSet<>();
        for (String label : modified) {
            String namespace = label.contains("/") ? label.substring(0, label.indexOf('/')) : "";
            if (isOrUnder(namespace, "node-restriction.kubernetes.io")) {
                forbidden.add(label);
            }
            boolean kubernetes = isOrUnder(namespace, "kubernetes.io") || isOrUnder(namespace, "k8s.io");
            boolean kubelet = KUBELET_LABELS.contains(label)
                    || KUBELET_LABEL_NAMESPACES.stream().anyMatch(ns -> isOrUnder(namespace, ns));
            if (kubernetes && !kubelet) {
                forbidden.add(label);
            }
        }
        return forbidden;
    }

    private static boolean isOrUnder(String namespace, String domain) {
        return namespace.equals(domain) || namespace.endsWith("." + domain);
    }
}
