package dev.flotilla.apiserver.proxy;

import jakarta.inject.Singleton;

/** {@code pods/portforward}, passed through to the pod's kubelet (see {@link PodStreamSubresource}). */
@Singleton
public class PodPortForwardSubresource extends PodStreamSubresource {

    public PodPortForwardSubresource(ProxyTargets targets, KubeletClient kubelet, KubeletClientProperties properties) {
        super(targets, kubelet, properties);
    }

    @Override
    public String name() {
        return "portforward";
    }

    @Override
    String kubeletPath() {
        return "/portForward";
    }

    @Override
    boolean perContainer() {
        return false;
    }
}
