package dev.flotilla.node.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's view of static pods: for each one a mirror pod of the same name with
 * {@code kubernetes.io/config.mirror} = its hash, owned by the Node, which the kubelet writes the
 * static pod's status to. A mirror deleted through the API comes back; one whose hash is stale (the
 * manifest changed) is replaced; mirrors of static pods that are gone are deleted.
 */
final class MirrorPods {

    private static final Logger LOG = LoggerFactory.getLogger(MirrorPods.class);

    private final KubernetesClient client;
    private final String nodeName;

    MirrorPods(KubernetesClient client, String nodeName) {
        this.client = client;
        this.nodeName = nodeName;
    }

    static boolean isMirror(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(StaticPods.CONFIG_MIRROR);
    }

    /** Creates or replaces the mirror of {@code staticPod} when {@code mirror} (the API's, or null) is not it. */
    void ensure(Pod staticPod, Pod mirror) {
        String hash = staticPod.getMetadata().getUid();
        if (mirror != null) {
            if (!isMirror(mirror)) {
                LOG.warn("static pod {}/{} has no mirror: a pod of that name that is not a mirror exists",
                        staticPod.getMetadata().getNamespace(), staticPod.getMetadata().getName());
                return;
            }
            if (hash.equals(mirror.getMetadata().getAnnotations().get(StaticPods.CONFIG_MIRROR))
                    && mirror.getMetadata().getDeletionTimestamp() == null) {
                return;
            }
            delete(mirror);
            return; // recreated at the next pass, once the old one is gone
        }
        Node node = client.nodes().withName(nodeName).get();
        PodBuilder builder = new PodBuilder(staticPod).editMetadata().withUid(null).withResourceVersion(null)
                .addToAnnotations(StaticPods.CONFIG_MIRROR, hash).endMetadata().withStatus(null);
        if (node != null) {
            builder.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                    .withName(nodeName).withUid(node.getMetadata().getUid()).withController(true).build()).endMetadata();
        }
        try {
            client.pods().inNamespace(staticPod.getMetadata().getNamespace()).resource(builder.build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                LOG.warn("cannot create the mirror pod of {}/{}: {}", staticPod.getMetadata().getNamespace(),
                        staticPod.getMetadata().getName(), e.getMessage());
            }
        }
    }

    void delete(Pod mirror) {
        try {
            client.pods().inNamespace(mirror.getMetadata().getNamespace()).withName(mirror.getMetadata().getName())
                    .withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            LOG.warn("cannot delete the mirror pod {}/{}: {}", mirror.getMetadata().getNamespace(),
                    mirror.getMetadata().getName(), e.getMessage());
        }
    }
}
