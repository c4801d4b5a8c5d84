package dev.flotilla.api.nodeauth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Node authorizer's graph, in memory (upstream's {@code node.Graph}): the pods bound to each
 * node with what they refer to, and which PersistentVolume each claim is bound to. Fed by the API
 * server's watches of pods and claims; a query looks only at the pods of one node.
 */
public final class NodeGraph implements NodeRelationships {

    private final Map<String, PodReferences> pods = new ConcurrentHashMap<>();
    private final Map<String, Map<String, PodReferences>> podsByNode = new ConcurrentHashMap<>();
    private final Map<String, String> volumesByClaim = new ConcurrentHashMap<>();

    public synchronized void putPod(JsonNode pod) {
        String key = key(pod);
        removePod(key);
        PodReferences references = PodReferences.of(pod);
        if (references != null) {
            pods.put(key, references);
            podsByNode.computeIfAbsent(references.node(), n -> new ConcurrentHashMap<>()).put(key, references);
        }
    }

    /** Forgets the pod {@code <namespace>/<name>}. */
    public synchronized void removePod(String key) {
        PodReferences old = pods.remove(key);
        if (old != null) {
            Map<String, PodReferences> onNode = podsByNode.get(old.node());
            if (onNode != null) {
                onNode.remove(key);
                if (onNode.isEmpty()) {
                    podsByNode.remove(old.node());
                }
            }
        }
    }

    /** Keeps only the pods named (after a fresh list). */
    public synchronized void retainPods(Set<String> keys) {
        Set.copyOf(pods.keySet()).stream().filter(k -> !keys.contains(k)).forEach(this::removePod);
    }

    public void putClaim(JsonNode claim) {
        String volume = claim.path("spec").path("volumeName").asText("");
        if (volume.isEmpty()) {
            volumesByClaim.remove(key(claim));
        } else {
            volumesByClaim.put(key(claim), volume);
        }
    }

    public void removeClaim(String key) {
        volumesByClaim.remove(key);
    }

    public void retainClaims(Set<String> keys) {
        volumesByClaim.keySet().retainAll(keys);
    }

    @Override
    public boolean uses(String node, PodReferences.ObjectKind kind, String namespace, String name) {
        for (PodReferences pod : podsByNode.getOrDefault(node, Map.of()).values()) {
            if (pod.namespace().equals(namespace) && pod.references(kind, name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean usesVolume(String node, String volume) {
        for (PodReferences pod : podsByNode.getOrDefault(node, Map.of()).values()) {
            for (String claim : pod.claims()) {
                if (volume.equals(volumesByClaim.get(pod.namespace() + "/" + claim))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code <namespace>/<name>} of an object. */
    public static String key(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        return metadata.path("namespace").asText("") + "/" + metadata.path("name").asText("");
    }
}
