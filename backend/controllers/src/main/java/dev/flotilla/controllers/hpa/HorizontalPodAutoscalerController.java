package dev.flotilla.controllers.hpa;

import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.EventRecorder;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * The horizontal pod autoscaler (autoscaling/v2, Resource metrics from {@code metrics.k8s.io}): every
 * sync period (upstream's --horizontal-pod-autoscaler-sync-period, 15 s) each HPA is queued and
 * {@link AutoscalerSync} scales its target. A new HPA or a change of its spec is synced at once; the
 * controller's own status writes queue nothing.
 */
public final class HorizontalPodAutoscalerController implements Controller {

    public static final Duration DEFAULT_SYNC_PERIOD = Duration.ofSeconds(15);

    /** The key that queues every HPA; HPA keys always hold a slash, so it cannot collide. */
    private static final String RESYNC = "resync";

    private final Duration syncPeriod;
    private final AutoscalerHistory history = new AutoscalerHistory();
    private WorkQueue<String> queue;
    private SharedIndexInformer<HorizontalPodAutoscaler> autoscalers;
    private SharedIndexInformer<Pod> pods;
    private AutoscalerSync sync;

    public HorizontalPodAutoscalerController(Duration syncPeriod) {
        this.syncPeriod = syncPeriod;
    }

    @Override
    public String name() {
        return "horizontal-pod-autoscaler";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.queue = queue;
        autoscalers = context.informers().of(HorizontalPodAutoscaler.class);
        pods = context.informers().of(Pod.class);
        sync = new AutoscalerSync(context.client(), new ScaleTargets(context.client()),
                new ResourceMetricsApi(context.client()), this::podsOf,
                new EventRecorder(context.client(), "horizontal-pod-autoscaler"), history);
        autoscalers.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(HorizontalPodAutoscaler hpa) {
                queue.add(Keys.of(hpa));
            }

            @Override
            public void onUpdate(HorizontalPodAutoscaler old, HorizontalPodAutoscaler hpa) {
                if (!Objects.equals(old.getMetadata().getGeneration(), hpa.getMetadata().getGeneration())
                        || !Objects.equals(old.getSpec(), hpa.getSpec())) {
                    queue.add(Keys.of(hpa));
                }
            }

            @Override
            public void onDelete(HorizontalPodAutoscaler hpa, boolean finalStateUnknown) {
                history.forget(Keys.of(hpa));
            }
        });
        queue.addAfter(RESYNC, syncPeriod);
    }

    private List<Pod> podsOf(String namespace, LabelSelector selector) {
        return pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
                .filter(pod -> selector.matches(pod.getMetadata().getLabels())).toList();
    }

    @Override
    public void reconcile(String key) {
        if (key.equals(RESYNC)) {
            try {
                autoscalers.getStore().list().forEach(hpa -> queue.add(Keys.of(hpa)));
            } finally {
                queue.addAfter(RESYNC, syncPeriod);
            }
            return;
        }
        HorizontalPodAutoscaler hpa = autoscalers.getStore().getByKey(key);
        if (hpa == null) {
            history.forget(key);
            return;
        }
        sync.sync(hpa, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }
}
