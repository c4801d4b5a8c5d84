package dev.flotilla.node.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod's status from what the runtime holds, as the kubelet computes it: container states with
 * upstream's reasons, restart counts and last states, the phase, and the conditions
 * (PodReadyToStartContainers, Initialized, ContainersReady, Ready, PodScheduled kept), reusing a
 * condition's transition time while its status stays the same so that an unchanged pod compares equal.
 */
final class PodStatuses {

    /**
     * What the sync saw: every attempt per container name (newest first), why some wait, and the
     * probes' verdicts on running containers.
     */
    record Observed(Map<String, List<ContainerView>> attempts, Map<String, ContainerWaiting> waiting,
                    boolean sandboxReady, String podIp, Probes probes) {

        Observed(Map<String, List<ContainerView>> attempts, Map<String, ContainerWaiting> waiting,
                 boolean sandboxReady, String podIp) {
            this(attempts, waiting, sandboxReady, podIp, Probes.NONE);
        }
    }

    /** A running container's started and ready flags, as its startup and readiness probes decide. */
    interface Probes {
        Probes NONE = new Probes() {
            @Override
            public boolean started(String containerId, Container container) {
                return true;
            }

            @Override
            public boolean ready(String containerId, Container container) {
                return true;
            }
        };

        boolean started(String containerId, Container container);

        boolean ready(String containerId, Container container);
    }

    private final String hostIp;

    PodStatuses(String hostIp) {
        this.hostIp = hostIp;
    }

    String hostIp() {
        return hostIp;
    }

    PodStatus build(Pod pod, Observed observed, Instant now) {
        PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        List<ContainerStatus> initStatuses = statuses(pod.getSpec().getInitContainers(), observed, ContainerWaiting.CREATING);
        boolean initialized = initStatuses.stream().allMatch(s -> s.getState().getTerminated() != null
                && s.getState().getTerminated().getExitCode() == 0);
        List<ContainerStatus> statuses = statuses(pod.getSpec().getContainers(), observed,
                initialized ? ContainerWaiting.CREATING : ContainerWaiting.INITIALIZING);
        String phase = phase(pod, initStatuses, statuses, initialized);
        boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
        boolean containersReady = !terminal && statuses.stream().allMatch(ContainerStatus::getReady);

        List<PodCondition> conditions = new ArrayList<>();
        conditions.add(condition(old, "PodReadyToStartContainers", observed.sandboxReady() && !terminal, null, null, now));
        conditions.add(condition(old, "Initialized", initialized, "ContainersNotInitialized",
                "containers with incomplete status: " + names(initStatuses, s -> s.getState().getTerminated() == null
                        || s.getState().getTerminated().getExitCode() != 0), now));
        String notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
        String notReadyMessage = terminal ? null : "containers with unready status: " + names(statuses, s -> !s.getReady());
        conditions.add(condition(old, "ContainersReady", containersReady, notReadyReason, notReadyMessage, now));
        List<String> gatesNotReady = terminal ? List.of() : gatesNotReady(pod, old);
        if (containersReady && !gatesNotReady.isEmpty()) {
            conditions.add(condition(old, "Ready", false, "ReadinessGatesNotReady", String.join(", ", gatesNotReady), now));
        } else {
            List<String> messages = new ArrayList<>();
            if (notReadyMessage != null) {
                messages.add(notReadyMessage);
            }
            messages.addAll(gatesNotReady);
            conditions.add(condition(old, "Ready", containersReady, notReadyReason,
                    messages.isEmpty() ? null : String.join(", ", messages), now));
        }
        if (old.getConditions() != null) {
            // PodScheduled, DisruptionTarget and the conditions of readiness gates belong to others: kept.
            old.getConditions().stream().filter(c -> !KUBELET_CONDITIONS.contains(c.getType())).forEach(conditions::add);
        }

        String podIp = observed.podIp() != null ? observed.podIp() : old.getPodIP();
        PodStatusBuilder status = new PodStatusBuilder(old)
                .withPhase(phase)
                .withConditions(conditions)
                .withHostIP(hostIp)
                .withHostIPs(new HostIP(hostIp))
                .withStartTime(old.getStartTime() != null ? old.getStartTime() : time(now))
                .withInitContainerStatuses(initStatuses)
                .withContainerStatuses(statuses);
        if (podIp != null && !podIp.isEmpty()) {
            status.withPodIP(podIp).withPodIPs(new PodIP(podIp));
        }
        return status.build();
    }

    private List<ContainerStatus> statuses(List<Container> containers, Observed observed, ContainerWaiting notCreated) {
        List<ContainerStatus> result = new ArrayList<>();
        for (Container container : containers == null ? List.<Container>of() : containers) {
            List<ContainerView> attempts = observed.attempts().getOrDefault(container.getName(), List.of());
            ContainerWaiting waiting = observed.waiting().get(container.getName());
            ContainerStatusBuilder status = new ContainerStatusBuilder()
                    .withName(container.getName())
                    .withImage(container.getImage())
                    .withImageID("")
                    .withRestartCount(0)
                    .withReady(false)
                    .withStarted(false);
            if (attempts.isEmpty()) {
                ContainerWaiting why = waiting != null ? waiting : notCreated;
                status.withState(waitingState(why));
                result.add(status.build());
                continue;
            }
            ContainerView latest = attempts.get(0);
            status.withRestartCount(latest.attempt())
                    .withContainerID("containerd://" + latest.id())
                    .withImageID(latest.status().getImageRef());
            if (latest.running()) {
                status.withState(new ContainerStateBuilder().withNewRunning().withStartedAt(time(latest.startedAt()))
                        .endRunning().build())
                        .withReady(observed.probes().ready(latest.id(), container))
                        .withStarted(observed.probes().started(latest.id(), container));
                if (attempts.size() > 1) {
                    status.withLastState(terminated(attempts.get(1)));
                }
            } else if (latest.exited()) {
                if (waiting != null) {
                    status.withState(waitingState(waiting)).withLastState(terminated(latest));
                } else {
                    status.withState(terminated(latest));
                    if (attempts.size() > 1) {
                        status.withLastState(terminated(attempts.get(1)));
                    }
                }
            } else {
                status.withState(waitingState(waiting != null ? waiting : ContainerWaiting.CREATING));
            }
            result.add(status.build());
        }
        return result;
    }

    private static ContainerState waitingState(ContainerWaiting waiting) {
        return new ContainerStateBuilder().withNewWaiting().withReason(waiting.reason()).withMessage(waiting.message())
                .endWaiting().build();
    }

    private static ContainerState terminated(ContainerView view) {
        return new ContainerStateBuilder().withNewTerminated()
                .withExitCode(view.status().getExitCode())
                .withReason(view.terminationReason())
                .withStartedAt(time(view.startedAt()))
                .withFinishedAt(time(view.finishedAt()))
                .withContainerID("containerd://" + view.id())
                .withMessage(view.status().getMessage().isEmpty() ? null : view.status().getMessage())
                .endTerminated().build();
    }

    /** Upstream's phase rules; a pod that reached Succeeded or Failed stays there. */
    private static String phase(Pod pod, List<ContainerStatus> init, List<ContainerStatus> main, boolean initialized) {
        String previous = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(previous) || "Failed".equals(previous)) {
            return previous;
        }
        String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
        if (!initialized) {
            boolean initFailed = init.stream().anyMatch(s -> s.getState().getTerminated() != null
                    && s.getState().getTerminated().getExitCode() != 0);
            return initFailed && policy.equals("Never") ? "Failed" : "Pending";
        }
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (ContainerStatus status : main) {
            ContainerState state = status.getState();
            if (state.getRunning() != null) {
                running++;
            } else if (state.getTerminated() != null) {
                stopped++;
                if (state.getTerminated().getExitCode() == 0) {
                    succeeded++;
                }
            } else if (status.getLastState() != null && status.getLastState().getTerminated() != null) {
                stopped++;
            } else {
                waiting++;
            }
        }
        if (waiting > 0 && running == 0 && stopped == 0) {
            return "Pending";
        }
        if (running > 0 && waiting == 0) {
            return "Running";
        }
        if (running == 0 && waiting == 0 && stopped > 0) {
            if (policy.equals("Always")) {
                return "Running";
            }
            if (stopped == succeeded) {
                return "Succeeded";
            }
            return policy.equals("Never") ? "Failed" : "Running";
        }
        return running > 0 ? "Running" : "Pending";
    }

    private static final java.util.Set<String> KUBELET_CONDITIONS = java.util.Set.of("PodReadyToStartContainers",
            "Initialized", "ContainersReady", "Ready");

    /** Upstream's messages for each readiness gate whose condition is missing or not True. */
    private static List<String> gatesNotReady(Pod pod, PodStatus old) {
        List<String> messages = new ArrayList<>();
        if (pod.getSpec().getReadinessGates() == null) {
            return messages;
        }
        for (var gate : pod.getSpec().getReadinessGates()) {
            String type = gate.getConditionType();
            PodCondition found = old.getConditions() == null ? null : old.getConditions().stream()
                    .filter(c -> c.getType().equals(type)).findFirst().orElse(null);
            if (found == null) {
                messages.add("corresponding condition of pod readiness gate \"" + type + "\" does not exist.");
            } else if (!"True".equals(found.getStatus())) {
                messages.add("the status of pod readiness gate \"" + type + "\" is not \"True\", but " + found.getStatus());
            }
        }
        return messages;
    }

    private static PodCondition condition(PodStatus old, String type, boolean ok, String reason, String message,
                                          Instant now) {
        String status = ok ? "True" : "False";
        String since = time(now);
        if (old.getConditions() != null) {
            for (PodCondition previous : old.getConditions()) {
                if (previous.getType().equals(type) && status.equals(previous.getStatus())) {
                    since = previous.getLastTransitionTime();
                }
            }
        }
        return new PodConditionBuilder().withType(type).withStatus(status)
                .withReason(ok ? null : reason).withMessage(ok ? null : message)
                .withLastTransitionTime(since).build();
    }

    private static String names(List<ContainerStatus> statuses, java.util.function.Predicate<ContainerStatus> which) {
        return "[" + String.join(" ", statuses.stream().filter(which).map(ContainerStatus::getName).toList()) + "]";
    }

    static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
