package dev.flotilla.controllers.serviceaccount;

import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/** Keeps a {@code default} ServiceAccount in every active namespace, recreating it when deleted. */
public final class ServiceAccountController implements Controller {

    static final String DEFAULT = "default";

    private KubernetesClient client;
    private SharedIndexInformer<Namespace> namespaces;
    private SharedIndexInformer<ServiceAccount> serviceAccounts;

    @Override
    public String name() {
        return "serviceaccount";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        client = context.client();
        namespaces = context.informers().of(Namespace.class);
        serviceAccounts = context.informers().of(ServiceAccount.class);
        namespaces.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Namespace namespace) {
                queue.add(namespace.getMetadata().getName());
            }

            @Override
            public void onUpdate(Namespace old, Namespace namespace) {
                queue.add(namespace.getMetadata().getName());
            }

            @Override
            public void onDelete(Namespace namespace, boolean finalStateUnknown) {
            }
        });
        serviceAccounts.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ServiceAccount account) {
            }

            @Override
            public void onUpdate(ServiceAccount old, ServiceAccount account) {
            }

            @Override
            public void onDelete(ServiceAccount account, boolean finalStateUnknown) {
                if (DEFAULT.equals(account.getMetadata().getName())) {
                    queue.add(account.getMetadata().getNamespace());
                }
            }
        });
    }

    @Override
    public void reconcile(String namespaceName) {
        Namespace namespace = namespaces.getStore().getByKey(namespaceName);
        if (namespace == null || namespace.getMetadata().getDeletionTimestamp() != null
                || serviceAccounts.getStore().getByKey(namespaceName + "/" + DEFAULT) != null) {
            return;
        }
        try {
            client.serviceAccounts().inNamespace(namespaceName).resource(new ServiceAccountBuilder()
                    .withNewMetadata().withName(DEFAULT).withNamespace(namespaceName).endMetadata().build()).create();
        } catch (KubernetesClientException e) {
            // 409: it exists already (the cache was behind); 403/404: the namespace is going or gone.
            if (e.getCode() != 409 && e.getCode() != 403 && e.getCode() != 404) {
                throw e;
            }
        }
    }
}
