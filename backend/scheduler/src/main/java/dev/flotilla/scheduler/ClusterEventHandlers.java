package dev.flotilla.scheduler;

import dev.flotilla.scheduler.cache.PodInfo;
import dev.flotilla.scheduler.cache.SchedulerCache;
import dev.flotilla.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.List;
import java.util.Objects;

/**
 * Turns informer events into cache and queue changes: bound pods go into the cache, pending pods
 * for one of the profiles' scheduler names into the queue, terminal pods count as gone; node additions and changes
 * that can make a pod fit, and removals of bound pods, move the unschedulable pool back.
 */
final class ClusterEventHandlers {

    private final SchedulerCache cache;
    private final SchedulingQueue queue;
    private final PriorityResolver priorities;
    private final java.util.Set<String> schedulerNames;

    /** {@code schedulerNames}: the profiles' names; pending pods naming another scheduler are left alone, as upstream. */
    ClusterEventHandlers(SchedulerCache cache, SchedulingQueue queue, PriorityResolver priorities,
            java.util.Set<String> schedulerNames) {
        this.cache = cache;
        this.queue = queue;
        this.priorities = priorities;
        this.schedulerNames = java.util.Set.copyOf(schedulerNames);
    }

    ResourceEventHandler<Pod> pods() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                podChanged(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                podChanged(newPod);
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                podGone(PodInfo.keyOf(pod));
            }
        };
    }

    /** A PriorityClass that appears or changes re-ranks the queued pods that name it. */
    ResourceEventHandler<PriorityClass> priorityClasses() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(PriorityClass priorityClass) {
                reprioritize();
            }

            @Override
            public void onUpdate(PriorityClass oldClass, PriorityClass newClass) {
                reprioritize();
            }

            @Override
            public void onDelete(PriorityClass priorityClass, boolean deletedFinalStateUnknown) {
            }
        };
    }

    private void reprioritize() {
        queue.refresh(info -> new PodInfo(info.pod(), priorities.priorityOf(info.pod())));
    }

    /** A claim, PV or StorageClass that appears or changes may let a pod waiting for volumes fit. */
    <T> ResourceEventHandler<T> volumeObjects() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                queue.moveAllToActiveOrBackoff();
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                queue.moveAllToActiveOrBackoff();
            }

            @Override
            public void onDelete(T object, boolean deletedFinalStateUnknown) {
            }
        };
    }

    ResourceEventHandler<Node> nodes() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                cache.upsertNode(withSpecAndStatus(node));
                queue.moveAllToActiveOrBackoff();
            }

            @Override
            public void onUpdate(Node oldNode, Node newNode) {
                cache.upsertNode(withSpecAndStatus(newNode));
                withSpecAndStatus(oldNode);
                if (mayMakePodsFit(oldNode, newNode)) {
                    queue.moveAllToActiveOrBackoff();
                }
            }

            @Override
            public void onDelete(Node node, boolean deletedFinalStateUnknown) {
                cache.removeNode(node.getMetadata().getName());
            }
        };
    }

    private void podChanged(Pod pod) {
        String key = PodInfo.keyOf(pod);
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            podGone(key);
            return;
        }
        String nodeName = pod.getSpec().getNodeName();
        if (nodeName != null && !nodeName.isEmpty()) {
            queue.delete(key);
            boolean alreadyBound = cache.contains(key) && !cache.isAssumed(key);
            cache.upsertBoundPod(new PodInfo(pod, priorities.priorityOf(pod)), nodeName);
            if (!alreadyBound) {
                queue.moveToActiveOrBackoffIf(PodInfo::waitsForOtherPods);
            }
            return;
        }
        if (!schedulerNames.contains(pod.getSpec().getSchedulerName())) {
            return;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            queue.delete(key);
            cache.clearNomination(key);
        } else if (!cache.isAssumed(key)) {
            PodInfo info = new PodInfo(pod, priorities.priorityOf(pod));
            queue.addOrUpdate(info);
            cache.nominate(info, pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName());
        }
    }

    private void podGone(String key) {
        queue.delete(key);
        cache.clearNomination(key);
        if (cache.contains(key)) {
            cache.removePod(key);
            queue.moveAllToActiveOrBackoff();
        }
    }

    /** A Node as plugins read it: a registering node may have neither spec nor status yet. */
    private static Node withSpecAndStatus(Node node) {
        if (node.getSpec() == null) {
            node.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
        }
        if (node.getStatus() == null) {
            node.setStatus(new io.fabric8.kubernetes.api.model.NodeStatus());
        }
        return node;
    }

    private static boolean mayMakePodsFit(Node before, Node after) {
        return !Objects.equals(allocatable(before), allocatable(after))
                || !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
                || !Objects.equals(before.getSpec().getTaints(), after.getSpec().getTaints())
                || !Objects.equals(before.getSpec().getUnschedulable(), after.getSpec().getUnschedulable())
                || !Objects.equals(conditionStates(before), conditionStates(after));
    }

    /** Condition types and statuses, without the heartbeat times that change on every status update. */
    private static List<String> conditionStates(Node node) {
        return node.getStatus() == null ? List.of()
                : node.getStatus().getConditions().stream().map(c -> c.getType() + "=" + c.getStatus()).toList();
    }

    private static Object allocatable(Node node) {
        return node.getStatus() == null ? null : node.getStatus().getAllocatable();
    }
}
