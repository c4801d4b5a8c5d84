package dev.flotilla.controllers.disruption;

import dev.flotilla.api.selector.LabelSelector;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.framework.PodChanges;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps PodDisruptionBudget status, which the eviction subresource reads: how many selected pods
 * are healthy (Ready, not being deleted, not just evicted), how many must be
 * ({@code minAvailable}, or {@code maxUnavailable} below the owning controllers' scale; percentages
 * rounded up), how many disruptions that allows, and the {@code DisruptionAllowed} condition.
 * Evicted pods the API server records in {@code disruptedPods} stop counting as healthy until they
 * are deleted or 2 minutes pass.
 */
public final class DisruptionController implements Controller {

    static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);
    static final String CONDITION = "DisruptionAllowed";

    private KubernetesClient client;
    private WorkQueue<String> queue;
    private ControllerScale scale;
    private SharedIndexInformer<PodDisruptionBudget> budgets;
    private SharedIndexInformer<Pod> pods;

    @Override
    public String name() {
        return "disruption";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.queue = queue;
        this.scale = new ControllerScale(client);
        budgets = context.informers().of(PodDisruptionBudget.class);
        pods = context.informers().of(Pod.class);
        budgets.addEventHandler(Enqueue.onChange(queue, Keys::of));
        pods.addEventHandler(new PodChanges(this::queueBudgetsOf));
    }

    private void queueBudgetsOf(Pod pod, Map<String, String> oldLabels) {
        for (PodDisruptionBudget budget : budgets.getIndexer().byIndex(Cache.NAMESPACE_INDEX,
                pod.getMetadata().getNamespace())) {
            LabelSelector selector = selector(budget);
            if (selector != null && (selector.matches(pod.getMetadata().getLabels())
                    || oldLabels != null && selector.matches(oldLabels))) {
                queue.add(Keys.of(budget));
            }
        }
    }

    /** The budget's selector; an empty one selects no pods, as upstream's controller and eviction agree. */
    private static LabelSelector selector(PodDisruptionBudget budget) {
        try {
            LabelSelector selector = LabelSelector.fromMetaV1(budget.getSpec().getSelector());
            return selector.isEmpty() ? null : selector;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void reconcile(String key) {
        PodDisruptionBudget budget = budgets.getStore().getByKey(key);
        if (budget == null) {
            return;
        }
        LabelSelector selector = selector(budget);
        List<Pod> selected = new ArrayList<>();
        if (selector != null) {
            for (Pod pod : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, Keys.namespace(key))) {
                if (selector.matches(pod.getMetadata().getLabels())) {
                    selected.add(pod);
                }
            }
        }
        PodDisruptionBudgetStatus status;
        try {
            status = computed(budget, selected);
        } catch (ControllerScale.UnknownScale e) {
            status = failSafe(budget, e.getMessage());
        }
        write(budget, status);
    }

    private PodDisruptionBudgetStatus computed(PodDisruptionBudget budget, List<Pod> selected)
            throws ControllerScale.UnknownScale {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> disrupted = stillDisrupted(budget, selected, now);
        int expected;
        int desired;
        IntOrString minAvailable = budget.getSpec().getMinAvailable();
        IntOrString maxUnavailable = budget.getSpec().getMaxUnavailable();
        if (maxUnavailable != null) {
            expected = scale.expected(Keys.namespace(Keys.of(budget)), selected);
            desired = Math.max(0, expected - scaled(maxUnavailable, expected));
        } else if (minAvailable != null && minAvailable.getStrVal() != null) {
            expected = scale.expected(Keys.namespace(Keys.of(budget)), selected);
            desired = scaled(minAvailable, expected);
        } else {
            expected = selected.size();
            desired = minAvailable == null ? 0 : minAvailable.getIntVal();
        }
        int healthy = 0;
        for (Pod pod : selected) {
            if (pod.getMetadata().getDeletionTimestamp() == null && !disrupted.containsKey(pod.getMetadata().getName())
                    && ready(pod)) {
                healthy++;
            }
        }
        int allowed = expected <= 0 ? 0 : Math.max(0, healthy - desired);
        return new PodDisruptionBudgetStatusBuilder().withCurrentHealthy(healthy).withDesiredHealthy(desired)
                .withExpectedPods(expected).withDisruptionsAllowed(allowed)
                .withObservedGeneration(budget.getMetadata().getGeneration())
                .withDisruptedPods(disrupted.isEmpty() ? null : disrupted)
                .withConditions(condition(budget, budget.getMetadata().getGeneration(), allowed > 0 ? "True" : "False",
                        allowed > 0 ? "SufficientPods" : "InsufficientPods", ""))
                .build();
    }

    /**
     * The recorded disruptions still pending: a pod that is gone or being deleted is done, one
     * not deleted within the timeout counts again. The earliest expiry re-queues the budget.
     */
    private Map<String, String> stillDisrupted(PodDisruptionBudget budget, List<Pod> selected, Instant now) {
        Map<String, String> recorded = budget.getStatus() == null ? null : budget.getStatus().getDisruptedPods();
        Map<String, String> pending = new TreeMap<>();
        if (recorded == null || recorded.isEmpty()) {
            return pending;
        }
        Instant recheck = null;
        for (Pod pod : selected) {
            String at = recorded.get(pod.getMetadata().getName());
            if (at == null || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            Instant expires = parsed(at).plus(DELETION_TIMEOUT);
            if (expires.isAfter(now)) {
                pending.put(pod.getMetadata().getName(), at);
                recheck = recheck == null || expires.isBefore(recheck) ? expires : recheck;
            }
        }
        if (recheck != null) {
            queue.addAfter(Keys.of(budget), Duration.between(now, recheck).plusSeconds(1));
        }
        return pending;
    }

    /** A time the API server wrote; one that does not parse has expired. */
    private static Instant parsed(String time) {
        try {
            return Instant.parse(time);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private static int scaled(IntOrString value, int total) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal();
        int percent = Integer.parseInt(text.substring(0, text.length() - 1));
        return (int) Math.ceil(percent * (double) total / 100);
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static PodDisruptionBudgetStatus failSafe(PodDisruptionBudget budget, String message) {
        PodDisruptionBudgetStatus old = budget.getStatus() == null ? new PodDisruptionBudgetStatus() : budget.getStatus();
        // As upstream: observedGeneration is left behind, so evictions see the budget as unprocessed.
        return new PodDisruptionBudgetStatusBuilder(old).withDisruptionsAllowed(0)
                .withConditions(condition(budget, old.getObservedGeneration(), "False", "SyncFailed", message)).build();
    }

    /** The condition, its transition time kept while its status stays the same. */
    private static Condition condition(PodDisruptionBudget budget, Long observedGeneration, String status, String reason,
            String message) {
        Condition old = budget.getStatus() == null || budget.getStatus().getConditions() == null ? null
                : budget.getStatus().getConditions().stream().filter(c -> CONDITION.equals(c.getType())).findFirst()
                        .orElse(null);
        String since = old != null && status.equals(old.getStatus()) ? old.getLastTransitionTime()
                : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        return new ConditionBuilder().withType(CONDITION).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime(since).withObservedGeneration(observedGeneration).build();
    }

    private void write(PodDisruptionBudget budget, PodDisruptionBudgetStatus status) {
        if (budget.getStatus() != null && sameStatus(budget.getStatus(), status)) {
            return;
        }
        PodDisruptionBudget updated = new PodDisruptionBudgetBuilder(budget).withStatus(status).build();
        try {
            client.policy().v1().podDisruptionBudget().inNamespace(budget.getMetadata().getNamespace())
                    .resource(updated).updateStatus();
        } catch (KubernetesClientException e) {
            // 409: an eviction or an edit changed it meanwhile; its update event queues it again.
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** Compared as written: the API server drops empty fields a fresh status holds. */
    private static boolean sameStatus(PodDisruptionBudgetStatus a, PodDisruptionBudgetStatus b) {
        return Serialization.asJson(a).equals(Serialization.asJson(b));
    }
}
