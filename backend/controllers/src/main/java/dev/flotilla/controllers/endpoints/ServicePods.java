package dev.flotilla.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.Indexer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the Endpoints and EndpointSlice controllers share: which pods back a Service, whether each
 * is ready, and the port each service port reaches on it (a named targetPort is looked up in that
 * pod's container ports, so pods may differ).
 */
final class ServicePods {

    static final String TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
    static final String HEADLESS = "service.kubernetes.io/headless";

    /** One service port as it resolves on one pod. */
    record ResolvedPort(String name, int port, String protocol, String appProtocol) {
    }

    private ServicePods() {
    }

    static boolean hasSelector(Service service) {
        return service.getSpec() != null && service.getSpec().getSelector() != null
                && !service.getSpec().getSelector().isEmpty();
    }

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        if (selector == null || selector.isEmpty()) {
            return false;
        }
        Map<String, String> have = labels == null ? Map.of() : labels;
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())));
    }

    /**
     * Pods of the service's namespace its selector matches that have an IP and have not finished
     * (a pod that will not restart is never an endpoint), sorted by name for stable output.
     */
    static List<Pod> backing(Service service, Indexer<Pod> pods) {
        String namespace = service.getMetadata().getNamespace();
        List<Pod> result = new ArrayList<>();
        for (Pod pod : pods.byIndex(Cache.NAMESPACE_INDEX, namespace)) {
            if (!matches(service.getSpec().getSelector(), pod.getMetadata().getLabels())) {
                continue;
            }
            if (pod.getStatus() == null || pod.getStatus().getPodIP() == null || pod.getStatus().getPodIP().isEmpty()
                    || finished(pod)) {
                continue;
            }
            result.add(pod);
        }
        result.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        return result;
    }

    /** Upstream's rule: a pod that will not be restarted is done once it has succeeded or failed. */
    private static boolean finished(Pod pod) {
        String phase = pod.getStatus().getPhase();
        String restart = pod.getSpec() == null ? null : pod.getSpec().getRestartPolicy();
        if ("Never".equals(restart)) {
            return "Failed".equals(phase) || "Succeeded".equals(phase);
        }
        return "OnFailure".equals(restart) && "Succeeded".equals(phase);
    }

    static boolean ready(Pod pod) {
        return readyCondition(pod) != null && "True".equals(readyCondition(pod).getStatus());
    }

    private static PodCondition readyCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst()
                .orElse(null);
    }

    static boolean terminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** The service's ports on this pod; a named targetPort the pod does not declare is left out. */
    static List<ResolvedPort> ports(Service service, Pod pod) {
        List<ResolvedPort> ports = new ArrayList<>();
        List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        for (ServicePort servicePort : servicePorts) {
            Integer target = targetPort(servicePort, pod);
            if (target != null) {
                String protocol = servicePort.getProtocol() == null ? "TCP" : servicePort.getProtocol();
                ports.add(new ResolvedPort(servicePort.getName() == null ? "" : servicePort.getName(), target,
                        protocol, servicePort.getAppProtocol()));
            }
        }
        ports.sort(Comparator.comparing(ResolvedPort::name).thenComparing(ResolvedPort::port));
        return ports;
    }

    private static Integer targetPort(ServicePort servicePort, Pod pod) {
        IntOrString target = servicePort.getTargetPort();
        if (target == null || target.getIntVal() == null && target.getStrVal() == null) {
            return servicePort.getPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        String protocol = servicePort.getProtocol() == null ? "TCP" : servicePort.getProtocol();
        List<Container> containers = pod.getSpec() == null || pod.getSpec().getContainers() == null ? List.of()
                : pod.getSpec().getContainers();
        for (Container container : containers) {
            for (ContainerPort port : container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts()) {
                String portProtocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
                if (target.getStrVal().equals(port.getName()) && protocol.equals(portProtocol)) {
                    return port.getContainerPort();
                }
            }
        }
        return null;
    }

    /** The hostname a pod has in the service's DNS when its subdomain names the service. */
    static String hostname(Service service, Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getHostname() == null
                || !Objects.equals(pod.getSpec().getSubdomain(), service.getMetadata().getName())) {
            return null;
        }
        return pod.getSpec().getHostname();
    }

    /**
     * The newest change among the service and its pods (creation or Ready transition), written as
     * the last-change-trigger-time annotation so that latency from a change to its endpoints can be
     * measured.
     */
    static String triggerTime(Service service, List<Pod> pods) {
        Instant newest = parse(service.getMetadata().getCreationTimestamp());
        for (Pod pod : pods) {
            Instant changed = parse(pod.getMetadata().getCreationTimestamp());
            PodCondition ready = readyCondition(pod);
            if (ready != null && parse(ready.getLastTransitionTime()) != null) {
                changed = parse(ready.getLastTransitionTime());
            }
            if (changed != null && (newest == null || changed.isAfter(newest))) {
                newest = changed;
            }
        }
        return newest == null ? null : newest.toString();
    }

    private static Instant parse(String timestamp) {
        try {
            return timestamp == null ? null : Instant.parse(timestamp);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static boolean headless(Service service) {
        return "None".equals(service.getSpec().getClusterIP());
    }
}
