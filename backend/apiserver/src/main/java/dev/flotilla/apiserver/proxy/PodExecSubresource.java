package dev.flotilla.apiserver.proxy;

import jakarta.inject.Singleton;

/** {@code pods/exec}, passed through to the pod's kubelet (see {@link PodStreamSubresource}). */
@Singleton
public class PodExecSubresource extends PodStreamSubresource {

    public PodExecSubresource(ProxyTargets targets, KubeletClient kubelet, KubeletClientProperties properties) {
        super(targets, kubelet, properties);
    }

    @Override
    public String name() {
        return "exec";
    }

    @Override
    boolean perContainer() {
        return true;
    }
}
