package dev.flotilla.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Upstream's spec.podFailurePolicy: the first rule matching a failed pod decides FailJob, Ignore or Count. */
final class PodFailurePolicyRules {

    /** The action of the matching rule and upstream's message for FailJob. */
    record Match(String action, String message) {
    }

    private PodFailurePolicyRules() {
    }

    static Optional<Match> match(PodFailurePolicy policy, Pod pod) {
        if (policy == null || policy.getRules() == null || !"Failed".equals(JobPods.phase(pod))) {
            return Optional.empty();
        }
        String podName = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        List<PodFailurePolicyRule> rules = policy.getRules();
        for (int i = 0; i < rules.size(); i++) {
            PodFailurePolicyRule rule = rules.get(i);
            if (rule.getOnExitCodes() != null) {
                Optional<ContainerStatus> container = matchingContainer(rule.getOnExitCodes(), pod);
                if (container.isPresent()) {
                    return Optional.of(new Match(rule.getAction(), "Container " + container.get().getName() + " for pod "
                            + podName + " failed with exit code " + container.get().getState().getTerminated().getExitCode()
                            + " matching " + rule.getAction() + " rule at index " + i));
                }
            } else if (rule.getOnPodConditions() != null) {
                for (PodFailurePolicyOnPodConditionsPattern pattern : rule.getOnPodConditions()) {
                    String status = pattern.getStatus() == null ? "True" : pattern.getStatus();
                    boolean has = pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                            .anyMatch(c -> pattern.getType().equals(c.getType()) && status.equals(c.getStatus()));
                    if (has) {
                        return Optional.of(new Match(rule.getAction(), "Pod " + podName + " has condition "
                                + pattern.getType() + " matching " + rule.getAction() + " rule at index " + i));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<ContainerStatus> matchingContainer(PodFailurePolicyOnExitCodesRequirement requirement, Pod pod) {
        List<ContainerStatus> statuses = new ArrayList<>();
        if (pod.getStatus().getInitContainerStatuses() != null) {
            statuses.addAll(pod.getStatus().getInitContainerStatuses());
        }
        if (pod.getStatus().getContainerStatuses() != null) {
            statuses.addAll(pod.getStatus().getContainerStatuses());
        }
        for (ContainerStatus status : statuses) {
            if (requirement.getContainerName() != null && !requirement.getContainerName().equals(status.getName())) {
                continue;
            }
            if (status.getState() == null || status.getState().getTerminated() == null) {
                continue;
            }
            int code = status.getState().getTerminated().getExitCode();
            // Exit code 0 means the container succeeded; upstream never matches it.
            if (code == 0) {
                continue;
            }
            boolean listed = requirement.getValues() != null && requirement.getValues().contains(code);
            if ("In".equals(requirement.getOperator()) == listed) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
