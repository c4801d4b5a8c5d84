package dev.flotilla.node.kubelet;

/** Why a container is not running yet in this sync (upstream reason and message). */
record ContainerWaiting(String reason, String message) {

    static final ContainerWaiting CREATING = new ContainerWaiting("ContainerCreating", null);
    static final ContainerWaiting INITIALIZING = new ContainerWaiting("PodInitializing", null);
}
