package dev.flotilla.node.network;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the runtime tells CNI plugins about one attachment: the container (pod sandbox) ID, its
 * network namespace, the interface name inside it, and capability arguments such as
 * {@code portMappings} (only passed to plugins whose conf declares that capability).
 */
public record CniRuntime(String containerId, Path netns, String ifName, Map<String, Object> capabilityArgs) {

    public CniRuntime {
        if (containerId == null || containerId.isBlank()) {
            throw new IllegalArgumentException("a container ID is required");
        }
        capabilityArgs = Map.copyOf(capabilityArgs);
    }

    public CniRuntime(String containerId, Path netns, String ifName) {
        this(containerId, netns, ifName, Map.of());
    }
}
