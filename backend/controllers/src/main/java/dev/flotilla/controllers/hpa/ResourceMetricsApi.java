package dev.flotilla.controllers.hpa;

import dev.flotilla.controllers.framework.ApiFailures;
import dev.flotilla.controllers.hpa.ReplicaCalculator.MetricsException;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Pod usage from the resource metrics API ({@code metrics.k8s.io/v1beta1} PodMetrics), as upstream's
 * resource metrics client: a pod some container of which lacks the resource is left out (it then
 * counts as a pod without metrics); no figures at all is an error.
 */
final class ResourceMetricsApi implements PodMetricsSource {

    private final KubernetesClient client;

    ResourceMetricsApi(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Map<String, PodUsage> usage(String namespace, String resource) throws MetricsException {
        PodMetricsList list;
        try {
            list = client.top().pods().metrics(namespace);
        } catch (KubernetesClientException e) {
            throw new MetricsException("unable to get metrics for resource " + resource
                    + ": unable to fetch metrics from resource metrics API: " + ApiFailures.message(e));
        }
        Map<String, PodUsage> usage = new HashMap<>();
        for (PodMetrics pod : list == null || list.getItems() == null ? java.util.List.<PodMetrics>of() : list.getItems()) {
            long total = 0;
            boolean complete = pod.getContainers() != null && !pod.getContainers().isEmpty();
            for (ContainerMetrics container : complete ? pod.getContainers() : java.util.List.<ContainerMetrics>of()) {
                Quantity value = container.getUsage() == null ? null : container.getUsage().get(resource);
                if (value == null) {
                    complete = false;
                    break;
                }
                total += Quantities.milli(value);
            }
            if (complete) {
                usage.put(pod.getMetadata().getName(), new PodUsage(total, instant(pod.getTimestamp()),
                        window(pod.getWindow())));
            }
        }
        if (usage.isEmpty()) {
            throw new MetricsException("unable to get metrics for resource " + resource
                    + ": no metrics returned from resource metrics API");
        }
        return usage;
    }

    private static Instant instant(String time) {
        try {
            return time == null ? Instant.now() : Instant.parse(time);
        } catch (RuntimeException e) {
            return Instant.now();
        }
    }

    private static Duration window(io.fabric8.kubernetes.api.model.Duration window) {
        return window == null || window.getDuration() == null ? Duration.ZERO : window.getDuration();
    }
}
