package dev.flotilla.node.kubelet;

import dev.flotilla.node.cri.v1.Container;
import dev.flotilla.node.cri.v1.ContainerState;
import dev.flotilla.node.cri.v1.PodSandbox;
import dev.flotilla.node.cri.v1.PodSandboxState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the runtime holds for one pod (by the pod-uid label): its sandboxes and containers. */
record RuntimePod(String uid, List<PodSandbox> sandboxes, List<Container> containers) {

    static final RuntimePod EMPTY = new RuntimePod("", List.of(), List.of());

    /** Groups one listing of the runtime by pod uid; parts without the label are not ours. */
    static Map<String, RuntimePod> group(List<PodSandbox> sandboxes, List<Container> containers) {
        Map<String, List<PodSandbox>> bySandbox = new HashMap<>();
        Map<String, List<Container>> byContainer = new HashMap<>();
        for (PodSandbox sandbox : sandboxes) {
            String uid = sandbox.getLabelsMap().get(PodLabels.POD_UID);
            if (uid != null) {
                bySandbox.computeIfAbsent(uid, k -> new ArrayList<>()).add(sandbox);
            }
        }
        for (Container container : containers) {
            String uid = container.getLabelsMap().get(PodLabels.POD_UID);
            if (uid != null) {
                byContainer.computeIfAbsent(uid, k -> new ArrayList<>()).add(container);
            }
        }
        Map<String, RuntimePod> pods = new HashMap<>();
        for (String uid : union(bySandbox.keySet(), byContainer.keySet())) {
            pods.put(uid, new RuntimePod(uid, bySandbox.getOrDefault(uid, List.of()), byContainer.getOrDefault(uid, List.of())));
        }
        return pods;
    }

    private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    /** The newest sandbox that is ready. */
    Optional<PodSandbox> readySandbox() {
        return sandboxes.stream().filter(s -> s.getState() == PodSandboxState.SANDBOX_READY)
                .max(Comparator.comparingLong(PodSandbox::getCreatedAt));
    }

    /** The containers named {@code name}, newest attempt first. */
    List<Container> attempts(String name) {
        return containers.stream().filter(c -> c.getMetadata().getName().equals(name))
                .sorted(Comparator.comparingInt((Container c) -> c.getMetadata().getAttempt())
                        .thenComparingLong(Container::getCreatedAt).reversed())
                .toList();
    }

    List<Container> running() {
        return containers.stream().filter(c -> c.getState() == ContainerState.CONTAINER_RUNNING).toList();
    }

    /** Changes whenever a sandbox or container appears, goes or changes state (the PLEG's event). */
    String fingerprint() {
        StringBuilder out = new StringBuilder();
        sandboxes.stream().sorted(Comparator.comparing(PodSandbox::getId))
                .forEach(s -> out.append(s.getId()).append(':').append(s.getState().getNumber()).append(';'));
        containers.stream().sorted(Comparator.comparing(Container::getId))
                .forEach(c -> out.append(c.getId()).append(':').append(c.getState().getNumber()).append(';'));
        return out.toString();
    }
}
