package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.testsupport.Await;
import dev.flotilla.testsupport.Closeables;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fabric8 Kubernetes client, unchanged, against the control plane. */
class Fabric8ClientIT {

    private static final String NS = "fabric8";
    private static ControlPlane cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = ControlPlane.start();
        client = cluster.fabric8Client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterAll
    static void stop() {
        Closeables.closeAll(client, cluster);
    }

    @Test
    void crudWithOptimisticConcurrency() {
        ConfigMap created = client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("crud").addToLabels("app", "x").endMetadata()
                .addToData("k", "v").build()).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();

        ConfigMap stale = client.configMaps().inNamespace(NS).withName("crud").get();
        ConfigMap edited = client.configMaps().inNamespace(NS).withName("crud").edit(cm -> new ConfigMapBuilder(cm)
                .addToData("k2", "v2").build());
        assertThat(edited.getData()).containsEntry("k2", "v2");

        stale.getData().put("k", "lost");
        assertThatThrownBy(() -> client.configMaps().inNamespace(NS).resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                });
        assertThat(client.configMaps().inNamespace(NS).withName("crud").get().getData()).containsEntry("k", "v");

        assertThatThrownBy(() -> client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("crud").endMetadata().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

        assertThat(client.configMaps().inNamespace(NS).withName("crud").delete()).hasSize(1);
        assertThat(client.configMaps().inNamespace(NS).withName("crud").get()).isNull();
    }

    @Test
    void paginatedListsReadOneSnapshot() {
        for (int i = 0; i < 7; i++) {
            client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("page-" + i).addToLabels("paged", "yes").endMetadata().build()).create();
        }
        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            ConfigMapList page = client.configMaps().inNamespace(NS).withLabel("paged", "yes")
                    .list(new ListOptionsBuilder().withLimit(3L).withContinue(token).build());
            page.getItems().forEach(cm -> names.add(cm.getMetadata().getName()));
            token = page.getMetadata().getContinue();
            pages++;
            if (pages == 1) {
                // A write between pages does not show up in the rest of this list.
                client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                        .withName("page-zz-late").addToLabels("paged", "yes").endMetadata().build()).create();
            }
        } while (token != null && !token.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(names).containsExactly("page-0", "page-1", "page-2", "page-3", "page-4", "page-5", "page-6");
    }

    @Test
    void watchesAndInformersSeeChangesAndSurviveAnApiServerRestart() throws Exception {
        List<String> watched = new CopyOnWriteArrayList<>();
        var watch = client.configMaps().inNamespace(NS).withLabel("watched", "yes").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                watched.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        Map<String, String> cache = new ConcurrentHashMap<>();
        SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace(NS).withLabel("informed", "yes")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(ConfigMap obj) {
                        cache.put(obj.getMetadata().getName(), obj.getData() == null ? "" : obj.getData().toString());
                    }

                    @Override
                    public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                        onAdd(newObj);
                    }

                    @Override
                    public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                        cache.remove(obj.getMetadata().getName());
                    }
                }, 1_000L);
        try {
            client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("w1")
                    .addToLabels("watched", "yes").addToLabels("informed", "yes").endMetadata().build()).create();
            client.configMaps().inNamespace(NS).withName("w1").edit(cm -> new ConfigMapBuilder(cm)
                    .addToData("v", "2").build());
            Await.until(Duration.ofSeconds(20), "watch events", () -> watched.containsAll(List.of("ADDED w1", "MODIFIED w1")));
            Await.until(Duration.ofSeconds(20), "informer cache", () -> "{v=2}".equals(cache.get("w1")));

            cluster.restartServer();

            client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("w2")
                    .addToLabels("watched", "yes").addToLabels("informed", "yes").endMetadata().build()).create();
            client.configMaps().inNamespace(NS).withName("w1").delete();
            Await.until(Duration.ofSeconds(60), "informer to resync after the restart",
                    () -> cache.containsKey("w2") && !cache.containsKey("w1"));
            Await.until(Duration.ofSeconds(60), "watch to resume after the restart",
                    () -> watched.containsAll(List.of("ADDED w2", "DELETED w1")));
            assertThat(watched.stream().filter(e -> e.equals("ADDED w1")).count()).as("no duplicate events").isEqualTo(1);
            assertThat(Set.copyOf(informer.getStore().listKeys())).containsExactly(NS + "/w2");
        } finally {
            watch.close();
            informer.close();
        }
    }
}
