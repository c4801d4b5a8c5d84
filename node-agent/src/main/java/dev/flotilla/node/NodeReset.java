package dev.flotilla.node;

import dev.flotilla.node.cri.v1.PodSandbox;
import dev.flotilla.node.network.PodMasquerade;
import dev.flotilla.node.runtime.ContainerdSupervisor;
import dev.flotilla.node.runtime.CriClient;
import dev.flotilla.node.runtime.Mounts;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code node-agent reset}: what {@code kubeadm reset} does for a node, for an agent that is stopped.
 * A stopped agent leaves its pods running (the next agent adopts them); reset stops and removes them
 * through the agent's containerd (started for the purpose when it is the agent's own), so their
 * network is torn down by CNI, removes the node's pod masquerade chain, and then unmounts whatever is
 * still mounted under the state directory, which can then be deleted.
 */
final class NodeReset {

    private final NodeAgentConfig config;
    private final PrintStream out;

    NodeReset(NodeAgentConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    void run() {
        Path socket = config.containerdSocket();
        ContainerdSupervisor containerd = null;
        if (socket == null && Files.isDirectory(config.containerdDir())) {
            stopLeftoverContainerd();
            containerd = new ContainerdSupervisor(config.containerdConfig(), config.containerdBinary()).start();
            socket = config.containerdConfig().socket();
        }
        try {
            if (socket != null) {
                removePods(socket);
            }
        } finally {
            if (containerd != null) {
                containerd.close();
            }
        }
        try {
            new PodMasquerade(config.stateDir()).remove();
        } catch (RuntimeException e) {
            out.println("[reset] could not remove the pod masquerade: " + e.getMessage());
        }
        int mounts = Mounts.under(config.stateDir()).size();
        Mounts.unmountAll(config.stateDir());
        out.println("[reset] unmounted " + mounts + " mount point(s) under " + config.stateDir());
    }

    /** A containerd of this state directory whose agent died without stopping it would hold its root. */
    private void stopLeftoverContainerd() {
        String configFile = config.containerdConfig().file().toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(configFile))
                .forEach(p -> {
                    out.println("[reset] stopping containerd left running by a stopped agent (pid " + p.pid() + ")");
                    p.destroy();
                    p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(timeout -> {
                        p.destroyForcibly();
                        return p;
                    }).join();
                });
    }

    private void removePods(Path socket) {
        try (CriClient cri = new CriClient(socket)) {
            cri.awaitRuntimeReady(NodeAgent.RUNTIME_START, config.containerdDir().resolve("containerd.log"));
            for (PodSandbox sandbox : cri.listPodSandboxes()) {
                String pod = sandbox.getMetadata().getNamespace() + "/" + sandbox.getMetadata().getName()
                        + " (sandbox " + sandbox.getId().substring(0, 12) + ")";
                try {
                    cri.stopPodSandbox(sandbox.getId());
                    cri.removePodSandbox(sandbox.getId());
                    out.println("[reset] removed pod " + pod);
                } catch (RuntimeException e) {
                    // The rest still goes, and the unmount below frees what this one held.
                    out.println("[reset] could not remove pod " + pod + ": " + e.getMessage());
                }
            }
        }
    }
}
