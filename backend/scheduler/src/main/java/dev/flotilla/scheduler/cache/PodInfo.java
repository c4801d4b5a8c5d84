package dev.flotilla.scheduler.cache;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinity;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAntiAffinity;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod with what the scheduler derives from it once: its key, priority, effective requests (as
 * upstream: the larger of the containers' sum and the init containers' peak, sidecars counted in
 * both, plus overhead), the non-zero requests used for scoring, and its host ports.
 */
public final class PodInfo {

    /** What scoring assumes for a container that requests no CPU or memory, as upstream. */
    static final long DEFAULT_MILLI_CPU = 100;
    static final long DEFAULT_MEMORY = 200L * 1024 * 1024;

    private final Pod pod;
    private final String key;
    private final int priority;
    private final Resources requests;
    private final Resources nonZeroRequests;
    private final List<HostPort> hostPorts;
    private final List<AffinityTerm> requiredAffinityTerms;
    private final List<AffinityTerm> requiredAntiAffinityTerms;
    private final List<AffinityTerm> preferredAffinityTerms;
    private final List<AffinityTerm> preferredAntiAffinityTerms;
    private final List<SpreadConstraint> hardSpreadConstraints;
    private final List<SpreadConstraint> softSpreadConstraints;

    public PodInfo(Pod pod, int priority) {
        this.pod = pod;
        this.key = keyOf(pod);
        this.priority = priority;
        this.requests = effectiveRequests(pod, false);
        this.nonZeroRequests = effectiveRequests(pod, true);
        this.hostPorts = hostPortsOf(pod);
        Affinity affinity = pod.getSpec().getAffinity();
        PodAffinity podAffinity = affinity == null ? null : affinity.getPodAffinity();
        PodAntiAffinity antiAffinity = affinity == null ? null : affinity.getPodAntiAffinity();
        this.requiredAffinityTerms = podAffinity == null ? List.of()
                : required(pod, podAffinity.getRequiredDuringSchedulingIgnoredDuringExecution());
        this.preferredAffinityTerms = podAffinity == null ? List.of()
                : preferred(pod, podAffinity.getPreferredDuringSchedulingIgnoredDuringExecution());
        this.requiredAntiAffinityTerms = antiAffinity == null ? List.of()
                : required(pod, antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution());
        this.preferredAntiAffinityTerms = antiAffinity == null ? List.of()
                : preferred(pod, antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution());
        List<SpreadConstraint> spread = pod.getSpec().getTopologySpreadConstraints().stream()
                .map(constraint -> SpreadConstraint.of(pod, constraint)).toList();
        this.hardSpreadConstraints = spread.stream().filter(SpreadConstraint::hard).toList();
        this.softSpreadConstraints = spread.stream().filter(c -> !c.hard()).toList();
    }

    /** The pod's own topology spread constraints with whenUnsatisfiable DoNotSchedule. */
    public List<SpreadConstraint> hardSpreadConstraints() {
        return hardSpreadConstraints;
    }

    /** The pod's own topology spread constraints with whenUnsatisfiable ScheduleAnyway. */
    public List<SpreadConstraint> softSpreadConstraints() {
        return softSpreadConstraints;
    }

    private static List<AffinityTerm> required(Pod pod, List<PodAffinityTerm> terms) {
        return terms.stream().map(term -> AffinityTerm.of(pod, term, 0)).toList();
    }

    private static List<AffinityTerm> preferred(Pod pod, List<WeightedPodAffinityTerm> terms) {
        return terms.stream().filter(t -> t.getPodAffinityTerm() != null && t.getWeight() != null && t.getWeight() != 0)
                .map(t -> AffinityTerm.of(pod, t.getPodAffinityTerm(), t.getWeight())).toList();
    }

    public List<AffinityTerm> requiredAffinityTerms() {
        return requiredAffinityTerms;
    }

    public List<AffinityTerm> requiredAntiAffinityTerms() {
        return requiredAntiAffinityTerms;
    }

    public List<AffinityTerm> preferredAffinityTerms() {
        return preferredAffinityTerms;
    }

    public List<AffinityTerm> preferredAntiAffinityTerms() {
        return preferredAntiAffinityTerms;
    }

    /** Any pod (anti-)affinity term at all, required or preferred. */
    public boolean hasAffinity() {
        return !requiredAffinityTerms.isEmpty() || !requiredAntiAffinityTerms.isEmpty()
                || !preferredAffinityTerms.isEmpty() || !preferredAntiAffinityTerms.isEmpty();
    }

    /** Whether another pod being bound can make this pod fit: it has required pod affinity or hard spread constraints. */
    public boolean waitsForOtherPods() {
        return !requiredAffinityTerms.isEmpty() || !hardSpreadConstraints.isEmpty();
    }

    public static String keyOf(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    public Pod pod() {
        return pod;
    }

    public String key() {
        return key;
    }

    public int priority() {
        return priority;
    }

    public Resources requests() {
        return requests;
    }

    public Resources nonZeroRequests() {
        return nonZeroRequests;
    }

    public List<HostPort> hostPorts() {
        return hostPorts;
    }

    private static Resources effectiveRequests(Pod pod, boolean nonZero) {
        Resources total = new Resources();
        for (Container container : pod.getSpec().getContainers()) {
            total.add(containerRequests(container, nonZero));
        }
        Resources sidecars = new Resources();
        Resources initPeak = new Resources();
        for (Container init : pod.getSpec().getInitContainers()) {
            Resources own = containerRequests(init, nonZero);
            if ("Always".equals(init.getRestartPolicy())) {
                total.add(own);
                sidecars.add(own);
                initPeak.setMax(sidecars);
            } else {
                Resources whileRunning = own.copy();
                whileRunning.add(sidecars);
                initPeak.setMax(whileRunning);
            }
        }
        total.setMax(initPeak);
        Map<String, Quantity> overhead = pod.getSpec().getOverhead();
        if (overhead != null) {
            total.add(Resources.of(overhead));
        }
        total.pods = 1;
        return total;
    }

    private static Resources containerRequests(Container container, boolean nonZero) {
        Map<String, Quantity> requests = container.getResources() == null ? null : container.getResources().getRequests();
        Resources result = Resources.of(requests);
        if (nonZero) {
            if (requests == null || !requests.containsKey(Resources.CPU)) {
                result.milliCpu = DEFAULT_MILLI_CPU;
            }
            if (requests == null || !requests.containsKey(Resources.MEMORY)) {
                result.memory = DEFAULT_MEMORY;
            }
        }
        return result;
    }

    private static List<HostPort> hostPortsOf(Pod pod) {
        List<HostPort> ports = new ArrayList<>();
        List<Container> containers = new ArrayList<>(pod.getSpec().getContainers());
        containers.addAll(pod.getSpec().getInitContainers());
        for (Container container : containers) {
            for (ContainerPort port : container.getPorts()) {
                if (port.getHostPort() != null && port.getHostPort() > 0) {
                    String ip = port.getHostIP() == null || port.getHostIP().isEmpty() ? HostPort.ANY_IP : port.getHostIP();
                    String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
                    ports.add(new HostPort(ip, protocol, port.getHostPort()));
                }
            }
        }
        return List.copyOf(ports);
    }
}
