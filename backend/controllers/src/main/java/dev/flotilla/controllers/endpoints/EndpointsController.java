package dev.flotilla.controllers.endpoints;

import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps an Endpoints object, named as its Service, for every Service with a selector: the matching
 * pods' IPs, ready ones under {@code addresses} and the others under {@code notReadyAddresses}
 * (all ready with {@code publishNotReadyAddresses}), grouped into subsets of pods that expose the
 * same ports. Terminating pods are left out unless not-ready addresses are published. Services
 * without a selector are left alone (their Endpoints are the user's); a deleted service's
 * Endpoints are deleted.
 */
public final class EndpointsController implements Controller {

    static final String SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror";

    private KubernetesClient client;
    private SharedIndexInformer<Service> services;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Endpoints> endpoints;

    @Override
    public String name() {
        return "endpoints";
    }

    @Override
    public int workers() {
        return 5;
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        client = context.client();
        services = context.informers().of(Service.class);
        pods = context.informers().of(Pod.class);
        endpoints = context.informers().of(Endpoints.class);
        ServiceTriggers.register(services, pods, queue);
        // An Endpoints change queues its service: after a write refused with 409 (this cache was behind
        // our own last write) the newer object's event brings the retry; a deleted one is recreated.
        endpoints.addEventHandler(Enqueue.by(queue, Keys::of));
    }

    @Override
    public void reconcile(String key) {
        String namespace = Keys.namespace(key);
        String name = Keys.name(key);
        Service service = services.getStore().getByKey(key);
        Endpoints current = endpoints.getStore().getByKey(key);
        if (service == null) {
            if (current != null) {
                try {
                    client.endpoints().inNamespace(namespace).withName(name).delete();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) {
                        throw e;
                    }
                }
            }
            return;
        }
        if (!ServicePods.hasSelector(service)) {
            return;
        }
        List<Pod> backing = ServicePods.backing(service, pods.getIndexer());
        List<EndpointSubset> subsets = subsets(service, backing);
        Map<String, String> labels = labels(service);
        if (current != null && SlicePlan.same(normalized(current.getSubsets()), subsets)
                && Objects.equals(current.getMetadata().getLabels(), labels)) {
            return;
        }
        Map<String, String> annotations = new HashMap<>();
        if (current != null && current.getMetadata().getAnnotations() != null) {
            annotations.putAll(current.getMetadata().getAnnotations());
        }
        String trigger = ServicePods.triggerTime(service, backing);
        if (trigger != null) {
            annotations.put(ServicePods.TRIGGER_TIME, trigger);
        }
        Endpoints desired = new EndpointsBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(labels).withAnnotations(annotations)
                .withResourceVersion(current == null ? null : current.getMetadata().getResourceVersion())
                .endMetadata().withSubsets(subsets).build();
        try {
            if (current == null) {
                client.endpoints().inNamespace(namespace).resource(desired).create();
            } else {
                client.endpoints().inNamespace(namespace).resource(desired).update();
            }
        } catch (KubernetesClientException e) {
            // 409: the cache is behind; the event of the newer object queues the service again (see register).
            // 403: the namespace is terminating; nothing to keep up to date there.
            if (e.getCode() != 409 && e.getCode() != 403) {
                throw e;
            }
        }
    }

    private static Map<String, String> labels(Service service) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (service.getMetadata().getLabels() != null) {
            labels.putAll(service.getMetadata().getLabels());
        }
        labels.put(SKIP_MIRROR, "true");
        if (ServicePods.headless(service)) {
            labels.put(ServicePods.HEADLESS, "");
        }
        return labels;
    }

    /** Addresses grouped by the port set they expose, as upstream's RepackSubsets leaves them. */
    static List<EndpointSubset> subsets(Service service, List<Pod> backing) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        boolean portless = service.getSpec().getPorts() == null || service.getSpec().getPorts().isEmpty();
        Map<List<ServicePods.ResolvedPort>, List<EndpointAddress>> ready = new LinkedHashMap<>();
        Map<List<ServicePods.ResolvedPort>, List<EndpointAddress>> notReady = new LinkedHashMap<>();
        for (Pod pod : backing) {
            if (ServicePods.terminating(pod) && !publishNotReady) {
                continue;
            }
            List<ServicePods.ResolvedPort> ports = ServicePods.ports(service, pod);
            if (ports.isEmpty() && !portless) {
                continue;
            }
            EndpointAddress address = new EndpointAddressBuilder().withIp(pod.getStatus().getPodIP())
                    .withHostname(ServicePods.hostname(service, pod)).withNodeName(pod.getSpec().getNodeName())
                    .withNewTargetRef().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endTargetRef()
                    .build();
            boolean isReady = publishNotReady || ServicePods.ready(pod);
            (isReady ? ready : notReady).computeIfAbsent(ports, p -> new ArrayList<>()).add(address);
            (isReady ? notReady : ready).computeIfAbsent(ports, p -> new ArrayList<>());
        }
        List<EndpointSubset> subsets = new ArrayList<>();
        for (var entry : ready.entrySet()) {
            List<EndpointAddress> readyAddresses = sorted(entry.getValue());
            List<EndpointAddress> notReadyAddresses = sorted(notReady.get(entry.getKey()));
            List<EndpointPort> ports = entry.getKey().stream().map(p -> new EndpointPortBuilder()
                    .withName(p.name().isEmpty() ? null : p.name()).withPort(p.port()).withProtocol(p.protocol())
                    .withAppProtocol(p.appProtocol()).build()).toList();
            subsets.add(new EndpointSubsetBuilder().withAddresses(readyAddresses.isEmpty() ? null : readyAddresses)
                    .withNotReadyAddresses(notReadyAddresses.isEmpty() ? null : notReadyAddresses)
                    .withPorts(ports.isEmpty() ? null : ports).build());
        }
        return normalized(subsets);
    }

    private static List<EndpointAddress> sorted(List<EndpointAddress> addresses) {
        List<EndpointAddress> copy = new ArrayList<>(addresses);
        copy.sort(Comparator.comparing(EndpointAddress::getIp));
        return copy;
    }

    /**
     * Subsets compared by content: the API server may answer empty lists as absent, so both sides
     * are brought to one form before comparing.
     */
    private static List<EndpointSubset> normalized(List<EndpointSubset> subsets) {
        if (subsets == null) {
            return List.of();
        }
        List<EndpointSubset> result = new ArrayList<>();
        for (EndpointSubset subset : subsets) {
            result.add(new EndpointSubsetBuilder()
                    .withAddresses(emptyToNull(subset.getAddresses()))
                    .withNotReadyAddresses(emptyToNull(subset.getNotReadyAddresses()))
                    .withPorts(emptyToNull(subset.getPorts())).build());
        }
        return result;
    }

    private static <T> List<T> emptyToNull(List<T> list) {
        return list == null || list.isEmpty() ? null : list;
    }
}
