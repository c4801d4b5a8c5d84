package dev.flotilla.controllers.framework;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;

/** What every controller is given: the API client, the shared informers and the metrics registry. */
public record ControllerContext(KubernetesClient client, Informers informers, MeterRegistry registry) {
}
