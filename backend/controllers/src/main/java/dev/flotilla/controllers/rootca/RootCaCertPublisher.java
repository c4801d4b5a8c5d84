package dev.flotilla.controllers.rootca;

import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * Upstream's root-ca-cert-publisher: every namespace has a {@code kube-root-ca.crt} ConfigMap with the
 * CA bundle that verifies the API server, created when the namespace appears and put back when it is
 * deleted or its data edited. Pods' {@code kube-api-access-} token volumes read it. Keys are namespace
 * names.
 */
public final class RootCaCertPublisher implements Controller {

    private final RootCaConfigMap wanted;
    private KubernetesClient client;
    private SharedIndexInformer<Namespace> namespaces;
    private SharedIndexInformer<ConfigMap> configMaps;

    public RootCaCertPublisher(String caBundle) {
        this.wanted = new RootCaConfigMap(caBundle);
    }

    /**
     * The CA the controller manager itself trusts the API server with, as upstream falls back to its
     * kubeconfig's when no {@code --root-ca-file} is given; empty when the kubeconfig names none.
     */
    public static Optional<String> caBundleOf(Config config) {
        if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
            return Optional.of(new String(Base64.getDecoder().decode(config.getCaCertData().strip()),
                    StandardCharsets.UTF_8));
        }
        if (config.getCaCertFile() != null && !config.getCaCertFile().isBlank()) {
            try {
                return Optional.of(Files.readString(Path.of(config.getCaCertFile())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the CA " + config.getCaCertFile(), e);
            }
        }
        return Optional.empty();
    }

    @Override
    public String name() {
        return "root-ca-cert-publisher";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        client = context.client();
        namespaces = context.informers().of(Namespace.class);
        configMaps = context.informers().of(ConfigMap.class);
        namespaces.addEventHandler(Enqueue.onChange(queue, n -> n.getMetadata().getName()));
        configMaps.addEventHandler(Enqueue.by(queue, c -> RootCaConfigMap.NAME.equals(c.getMetadata().getName())
                ? c.getMetadata().getNamespace() : null));
    }

    @Override
    public void reconcile(String namespaceName) {
        Namespace namespace = namespaces.getStore().getByKey(namespaceName);
        if (namespace == null || namespace.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        ConfigMap current = configMaps.getStore().getByKey(namespaceName + "/" + RootCaConfigMap.NAME);
        try {
            if (current == null) {
                client.configMaps().inNamespace(namespaceName).resource(wanted.fresh(namespaceName)).create();
            } else if (!wanted.matches(current)) {
                client.configMaps().inNamespace(namespaceName).resource(wanted.corrected(current)).update();
            }
        } catch (KubernetesClientException e) {
            // 409 on create: the cache was behind, its event brings the key back (an update conflict is
            // retried); a terminating or missing namespace ends it, as upstream. Any other refusal (a
            // full quota) is retried with back-off.
            boolean settled = (e.getCode() == 409 && current == null) || e.getCode() == 404 || terminating(e);
            if (!settled) {
                throw e;
            }
        }
    }

    private static boolean terminating(KubernetesClientException e) {
        return e.getCode() == 403 && e.getStatus() != null && e.getStatus().getMessage() != null
                && e.getStatus().getMessage().contains("because it is being terminated");
    }
}
