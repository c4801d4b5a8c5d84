package dev.flotilla.node.kubelet;

/**
 * A container's configuration cannot be built (a referenced ConfigMap, Secret or key is missing): the
 * container waits with reason {@code CreateContainerConfigError} and this message, as upstream's does.
 */
final class ContainerConfigException extends RuntimeException {

    ContainerConfigException(String message) {
        super(message);
    }
}
