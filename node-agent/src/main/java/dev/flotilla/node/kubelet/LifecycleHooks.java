package dev.flotilla.node.kubelet;

import dev.flotilla.node.probe.Action;
import dev.flotilla.node.probe.ActionRunner;
import dev.flotilla.node.probe.ActionTarget;
import dev.flotilla.node.probe.Outcome;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * A container's postStart and preStop hooks (exec, httpGet, tcpSocket, sleep), run as upstream: postStart
 * right after the container started, before the kubelet goes on; preStop before the stop signal, inside
 * the grace period.
 */
final class LifecycleHooks {

    /** Upstream gives postStart no deadline of its own; this bounds a hook that never returns. */
    static final Duration POST_START_LIMIT = Duration.ofMinutes(2);

    private final ActionRunner runner;

    LifecycleHooks(ActionRunner runner) {
        this.runner = runner;
    }

    /** Empty when the container has no postStart hook or it succeeded; the failure otherwise. */
    Optional<String> postStart(Container container, String containerId, String podIp) {
        return run(container, containerId, podIp, l -> l.getPostStart(), POST_START_LIMIT);
    }

    /** Runs the preStop hook, if any, for at most {@code budget}; empty when it succeeded or there is none. */
    Optional<String> preStop(Container container, String containerId, String podIp, Duration budget) {
        return run(container, containerId, podIp, l -> l.getPreStop(), budget);
    }

    static boolean hasPreStop(Container container) {
        return container.getLifecycle() != null && container.getLifecycle().getPreStop() != null;
    }

    private Optional<String> run(Container container, String containerId, String podIp,
                                 Function<io.fabric8.kubernetes.api.model.Lifecycle, LifecycleHandler> which,
                                 Duration limit) {
        LifecycleHandler hook = container.getLifecycle() == null ? null : which.apply(container.getLifecycle());
        if (hook == null) {
            return Optional.empty();
        }
        Action action = Action.of(hook);
        if (action.sleep() != null && action.sleep().getSeconds() != null
                && Duration.ofSeconds(action.sleep().getSeconds()).compareTo(limit) > 0) {
            action = new Action(null, null, null, null,
                    new io.fabric8.kubernetes.api.model.SleepAction(limit.toSeconds()));
        }
        Outcome outcome = runner.run(action, new ActionTarget(podIp, containerId, container), limit);
        return outcome.success() ? Optional.empty() : Optional.of(outcome.message());
    }
}
