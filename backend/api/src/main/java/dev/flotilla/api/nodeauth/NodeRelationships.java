package dev.flotilla.api.nodeauth;

/** Whether a node's pods need an object: the question the Node authorizer asks of its graph. */
public interface NodeRelationships {

    /** A pod bound to {@code node} in {@code namespace} refers to the {@code kind} named {@code name}. */
    boolean uses(String node, PodReferences.ObjectKind kind, String namespace, String name);

    /** A claim of a pod bound to {@code node} is bound to the PersistentVolume {@code volume}. */
    boolean usesVolume(String node, String volume);
}
