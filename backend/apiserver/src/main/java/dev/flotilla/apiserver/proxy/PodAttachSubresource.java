package dev.flotilla.apiserver.proxy;

import jakarta.inject.Singleton;

/** {@code pods/attach}, passed through to the pod's kubelet (see {@link PodStreamSubresource}). */
@Singleton
public class PodAttachSubresource extends PodStreamSubresource {

    public PodAttachSubresource(ProxyTargets targets, KubeletClient kubelet, KubeletClientProperties properties) {
        super(targets, kubelet, properties);
    }

    @Override
    public String name() {
        return "attach";
    }

    @Override
    boolean perContainer() {
        return true;
    }
}
