package dev.flotilla.controllers.bootstrap;

import dev.flotilla.api.bootstrap.BootstrapTokenSecret;
import dev.flotilla.api.bootstrap.DetachedJws;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Upstream's bootstrap signer: {@code kube-public/cluster-info} carries, next to its {@code kubeconfig},
 * one {@code jws-kubeconfig-<token id>} detached signature per bootstrap token that allows
 * {@code usage-bootstrap-signing} and has not expired; signatures of tokens that are gone are removed.
 * Any change to the ConfigMap or a token Secret re-checks the whole set (one key, one writer).
 */
public final class BootstrapSigner implements Controller {

    static final String KEY = "kube-public/cluster-info";
    private static final String KUBECONFIG = "kubeconfig";

    private final Clock clock;
    private KubernetesClient client;
    private SharedIndexInformer<ConfigMap> configMaps;
    private SharedIndexInformer<Secret> secrets;

    public BootstrapSigner() {
        this(Clock.systemUTC());
    }

    public BootstrapSigner(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "bootstrapsigner";
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        configMaps = context.informers().of(ConfigMap.class);
        secrets = context.informers().of(Secret.class);
        configMaps.addEventHandler(Enqueue.by(queue, c -> KEY.equals(c.getMetadata().getNamespace() + "/"
                + c.getMetadata().getName()) ? KEY : null));
        secrets.addEventHandler(Enqueue.by(queue, s -> BootstrapTokens.isTokenSecret(s) ? KEY : null));
    }

    @Override
    public void reconcile(String key) {
        ConfigMap clusterInfo = configMaps.getStore().getByKey(KEY);
        if (clusterInfo == null || clusterInfo.getData() == null || clusterInfo.getData().get(KUBECONFIG) == null) {
            return;
        }
        String kubeconfig = clusterInfo.getData().get(KUBECONFIG);
        Map<String, String> wanted = new TreeMap<>();
        Instant now = clock.instant();
        for (Secret secret : secrets.getStore().list()) {
            Optional<BootstrapTokenSecret> token = BootstrapTokens.read(secret);
            if (token.isPresent() && token.get().signing() && !token.get().expired(now)) {
                String name = DetachedJws.CONFIG_MAP_KEY_PREFIX + token.get().token().id();
                String existing = clusterInfo.getData().get(name);
                // Keep a valid existing signature: rewriting an identical object would only churn watches.
                wanted.put(name, existing != null && DetachedJws.verifies(existing, kubeconfig, token.get().token())
                        ? existing : DetachedJws.sign(kubeconfig, token.get().token()));
            }
        }
        Map<String, String> data = new LinkedHashMap<>();
        clusterInfo.getData().forEach((k, v) -> {
            if (!k.startsWith(DetachedJws.CONFIG_MAP_KEY_PREFIX)) {
                data.put(k, v);
            }
        });
        data.putAll(wanted);
        if (data.equals(clusterInfo.getData())) {
            return;
        }
        ConfigMap updated = new ConfigMapBuilder(clusterInfo).withData(data).build();
        // Carries the cached resourceVersion: a concurrent change fails with 409 and is retried on fresh state.
        client.configMaps().inNamespace("kube-public").resource(updated).update();
    }
}
