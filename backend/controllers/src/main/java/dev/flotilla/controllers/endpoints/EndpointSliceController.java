package dev.flotilla.controllers.endpoints;

import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps the EndpointSlices of every Service with a selector: one endpoint per matching pod with
 * its ready/serving/terminating conditions, at most {@link #maxEndpointsPerSlice} per slice, one
 * group of slices per distinct port set. Existing slices are updated in place (endpoints that stay
 * stay where they are, new ones fill free room first), so a change touches as few slices as it can.
 */
public final class EndpointSliceController implements Controller {

    public static final String SERVICE_NAME = "kubernetes.io/service-name";
    public static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    public static final String CONTROLLER_NAME = "endpointslice-controller.k8s.io";
    public static final int DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

    private final int maxEndpointsPerSlice;
    private final SliceWrites writes = new SliceWrites();
    private KubernetesClient client;
    private WorkQueue<String> queue;
    private SharedIndexInformer<Service> services;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<EndpointSlice> slices;

    public EndpointSliceController() {
        this(DEFAULT_MAX_ENDPOINTS_PER_SLICE);
    }

    public EndpointSliceController(int maxEndpointsPerSlice) {
        this.maxEndpointsPerSlice = maxEndpointsPerSlice;
    }

    @Override
    public String name() {
        return "endpointslice";
    }

    @Override
    public int workers() {
        return 5;
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.queue = queue;
        services = context.informers().of(Service.class);
        pods = context.informers().of(Pod.class);
        slices = context.informers().of(EndpointSlice.class);
        ServiceTriggers.register(services, pods, queue);
        slices.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(EndpointSlice slice) {
            }

            @Override
            public void onUpdate(EndpointSlice old, EndpointSlice slice) {
            }

            @Override
            public void onDelete(EndpointSlice slice, boolean finalStateUnknown) {
                String service = managedService(slice);
                if (service != null) {
                    queue.add(slice.getMetadata().getNamespace() + "/" + service);
                }
            }
        });
    }

    private static String managedService(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        if (labels == null || !CONTROLLER_NAME.equals(labels.get(MANAGED_BY))) {
            return null;
        }
        return labels.get(SERVICE_NAME);
    }

    @Override
    public void reconcile(String key) {
        String namespace = Keys.namespace(key);
        List<EndpointSlice> existing = new ArrayList<>();
        for (EndpointSlice slice : slices.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
            if (Keys.name(key).equals(managedService(slice))) {
                existing.add(slice);
            }
        }
        if (!writes.seenBy(key, existing)) {
            // Our last writes are not in the cache yet: acting now would create slices twice.
            queue.addAfter(key, Duration.ofMillis(100));
            return;
        }
        Service service = services.getStore().getByKey(key);
        if (service == null) {
            // The garbage collector removes them through their ownerReference too; this is quicker.
            existing.forEach(slice -> delete(key, slice));
            return;
        }
        if (!ServicePods.hasSelector(service)) {
            return;
        }
        List<Pod> backing = ServicePods.backing(service, pods.getIndexer());
        SlicePlan plan = SlicePlan.of(existing, desired(service, backing), maxEndpointsPerSlice);
        Map<String, String> labels = labels(service);
        String trigger = ServicePods.triggerTime(service, backing);
        for (SlicePlan.Slice slice : plan.slices()) {
            EndpointSlice current = slice.current();
            if (current != null && SlicePlan.same(current.getEndpoints(), slice.endpoints())
                    && SlicePlan.same(current.getPorts(), slice.ports())
                    && Objects.equals(current.getMetadata().getLabels(), labels)) {
                continue;
            }
            writes.wrote(key, write(service, current, slice, labels, trigger));
        }
        plan.unused().forEach(slice -> delete(key, slice));
    }

    /** Endpoints by port set, in pod-name order. */
    private static Map<List<EndpointPort>, List<Endpoint>> desired(Service service, List<Pod> backing) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        Map<List<EndpointPort>, List<Endpoint>> desired = new LinkedHashMap<>();
        for (Pod pod : backing) {
            boolean serving = publishNotReady || ServicePods.ready(pod);
            boolean terminating = ServicePods.terminating(pod);
            List<EndpointPort> ports = ServicePods.ports(service, pod).stream().map(p -> new EndpointPortBuilder()
                    .withName(p.name()).withPort(p.port()).withProtocol(p.protocol()).withAppProtocol(p.appProtocol())
                    .build()).toList();
            Endpoint endpoint = new EndpointBuilder().withAddresses(pod.getStatus().getPodIP())
                    .withNewConditions().withReady(publishNotReady || serving && !terminating).withServing(serving)
                    .withTerminating(terminating).endConditions()
                    .withHostname(ServicePods.hostname(service, pod)).withNodeName(pod.getSpec().getNodeName())
                    .withNewTargetRef().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endTargetRef()
                    .build();
            desired.computeIfAbsent(ports, p -> new ArrayList<>()).add(endpoint);
        }
        return desired;
    }

    private static Map<String, String> labels(Service service) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (service.getMetadata().getLabels() != null) {
            labels.putAll(service.getMetadata().getLabels());
        }
        labels.put(SERVICE_NAME, service.getMetadata().getName());
        labels.put(MANAGED_BY, CONTROLLER_NAME);
        if (ServicePods.headless(service)) {
            labels.put(ServicePods.HEADLESS, "");
        }
        return labels;
    }

    private EndpointSlice write(Service service, EndpointSlice current, SlicePlan.Slice slice,
            Map<String, String> labels, String trigger) {
        String namespace = service.getMetadata().getNamespace();
        Map<String, String> annotations = new HashMap<>();
        if (current != null && current.getMetadata().getAnnotations() != null) {
            annotations.putAll(current.getMetadata().getAnnotations());
        }
        if (trigger != null) {
            annotations.put(ServicePods.TRIGGER_TIME, trigger);
        }
        EndpointSliceBuilder builder = current == null ? new EndpointSliceBuilder().withNewMetadata()
                .withGenerateName(service.getMetadata().getName() + "-").withNamespace(namespace)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service")
                        .withName(service.getMetadata().getName()).withUid(service.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata() : new EndpointSliceBuilder(current);
        EndpointSlice desired = builder.editMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
                .withAddressType("IPv4").withEndpoints(slice.endpoints()).withPorts(slice.ports()).build();
        var resources = client.resources(EndpointSlice.class).inNamespace(namespace);
        return current == null ? resources.resource(desired).create() : resources.resource(desired).update();
    }

    private void delete(String key, EndpointSlice slice) {
        try {
            client.resources(EndpointSlice.class).inNamespace(slice.getMetadata().getNamespace())
                    .withName(slice.getMetadata().getName()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
        writes.deleted(key, slice);
    }
}
