package dev.flotilla.controllers.network;

import dev.flotilla.api.network.PodNetworkApi;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the IPAM blocks of a deleted Node back to their pool (Calico's IPAM garbage collection):
 * once a Node is gone, every {@code IPAMBlock} whose {@code spec.node} names it is deleted, so other
 * nodes can claim the block. Keys are node names. Besides Node deletions seen by the informer, a sweep
 * every minute looks for blocks of nodes that no longer exist (deleted while no controller manager
 * was running).
 */
public final class IpamBlockReleaseController implements Controller {

    private static final Logger LOG = LoggerFactory.getLogger(IpamBlockReleaseController.class);
    /** The key of the periodic sweep; no node is named "". */
    private static final String SWEEP = "";
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    static final ResourceDefinitionContext BLOCKS = new ResourceDefinitionContext.Builder()
            .withGroup(PodNetworkApi.GROUP).withVersion(PodNetworkApi.VERSION).withKind(PodNetworkApi.BLOCK_KIND)
            .withPlural(PodNetworkApi.BLOCKS).withNamespaced(false).build();

    private KubernetesClient client;
    private WorkQueue<String> queue;
    private SharedIndexInformer<Node> nodes;

    @Override
    public String name() {
        return "ipam-block-release";
    }

    @Override
    public int workers() {
        return 1;
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.queue = queue;
        nodes = context.informers().of(Node.class);
        nodes.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
            }

            @Override
            public void onUpdate(Node old, Node node) {
            }

            @Override
            public void onDelete(Node node, boolean finalStateUnknown) {
                queue.add(node.getMetadata().getName());
            }
        });
        queue.add(SWEEP);
    }

    @Override
    public void reconcile(String key) {
        if (SWEEP.equals(key)) {
            sweep();
            return;
        }
        if (nodeExists(key)) {
            return;
        }
        // spec.node decides, not the label: a block written by hand may lack the label.
        List<GenericKubernetesResource> owned = client.genericKubernetesResources(BLOCKS).list().getItems();
        for (GenericKubernetesResource block : owned) {
            if (!key.equals(nodeOf(block))) {
                continue;
            }
            try {
                client.genericKubernetesResources(BLOCKS).withName(block.getMetadata().getName()).delete();
                LOG.info("released IPAM block {} of deleted node {}", block.getMetadata().getName(), key);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }

    /** Enqueues the owner of every block whose node is not in the cache, then schedules the next sweep. */
    private void sweep() {
        try {
            if (nodes.hasSynced()) {
                for (GenericKubernetesResource block : client.genericKubernetesResources(BLOCKS).list().getItems()) {
                    String node = nodeOf(block);
                    if (node != null && nodes.getStore().getByKey(node) == null) {
                        queue.add(node);
                    }
                }
            }
        } catch (KubernetesClientException e) {
            // 404: the pod-network API is not installed yet; try again at the next sweep.
            if (e.getCode() != 404) {
                LOG.info("IPAM block sweep failed: {}", e.getMessage());
            }
        }
        queue.addAfter(SWEEP, SWEEP_INTERVAL);
    }

    /** The cache may lag behind a Node created again under the same name, so ask the API before releasing. */
    private boolean nodeExists(String name) {
        if (nodes.getStore().getByKey(name) != null) {
            return true;
        }
        return client.nodes().withName(name).get() != null;
    }

    private static String nodeOf(GenericKubernetesResource block) {
        Object spec = block.getAdditionalProperties().get("spec");
        if (spec instanceof java.util.Map<?, ?> map && map.get("node") instanceof String node) {
            return node;
        }
        return null;
    }
}
