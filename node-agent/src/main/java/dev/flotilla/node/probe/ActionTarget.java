package dev.flotilla.node.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.Optional;

/** The container a handler runs against: its runtime id, its spec (for named ports) and the pod's IP. */
public record ActionTarget(String podIp, String containerId, Container container) {

    /** A numeric port as given, or a named one looked up in the container's ports; empty when neither. */
    Optional<Integer> port(IntOrString port) {
        if (port == null) {
            return Optional.empty();
        }
        if (port.getIntVal() != null) {
            return Optional.of(port.getIntVal());
        }
        List<ContainerPort> ports = container.getPorts() == null ? List.of() : container.getPorts();
        return ports.stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst();
    }

    /** The handler's {@code host} when set, else the pod's IP, as upstream. */
    String host(String host) {
        return host == null || host.isEmpty() ? podIp : host;
    }
}
