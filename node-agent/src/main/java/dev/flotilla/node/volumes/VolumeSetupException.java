package dev.flotilla.node.volumes;

/**
 * A pod's volume cannot be set up or mounted (a missing ConfigMap, a hostPath of the wrong type, an
 * unbound claim, a subPath outside its volume): the message says which, in upstream's words.
 */
public final class VolumeSetupException extends RuntimeException {

    public VolumeSetupException(String message) {
        super(message);
    }

    public VolumeSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
