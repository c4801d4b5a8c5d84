package dev.flotilla.controllers.endpoints;

import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.framework.PodChanges;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.Map;

/**
 * The events both endpoints controllers react to: a service changing queues itself; a pod
 * changing queues every service in its namespace whose selector matched it before or matches it now.
 */
final class ServiceTriggers {

    private ServiceTriggers() {
    }

    static void register(SharedIndexInformer<Service> services, SharedIndexInformer<Pod> pods,
            WorkQueue<String> queue) {
        services.addEventHandler(Enqueue.by(queue, Keys::of));
        pods.addEventHandler(new PodChanges((pod, oldLabels) -> {
            String namespace = pod.getMetadata().getNamespace();
            for (Service service : services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
                if (!ServicePods.hasSelector(service)) {
                    continue;
                }
                Map<String, String> selector = service.getSpec().getSelector();
                if (ServicePods.matches(selector, pod.getMetadata().getLabels())
                        || oldLabels != null && ServicePods.matches(selector, oldLabels)) {
                    queue.add(Keys.of(service));
                }
            }
        }));
    }
}
