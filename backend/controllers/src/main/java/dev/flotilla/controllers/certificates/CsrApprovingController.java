package dev.flotilla.controllers.certificates;

import dev.flotilla.api.pki.CertificateRequest;
import dev.flotilla.api.pki.PkiException;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.Enqueue;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's csrapproving controller, plus serving certificates for nodes. A pending
 * {@code kube-apiserver-client-kubelet} CSR is approved when a SubjectAccessReview says its requester
 * may {@code create certificatesigningrequests/selfnodeclient} (a node renewing its own identity) or
 * {@code certificatesigningrequests/nodeclient} (a bootstrap token asking for one). A pending
 * {@code kubelet-serving} CSR is approved when it comes from {@code system:node:<name>} itself and
 * every DNS and IP name it asks for is one of that Node's reported addresses. Anything else is left
 * for an administrator ({@code kubectl certificate approve|deny}).
 */
public final class CsrApprovingController implements Controller {

    private KubernetesClient client;
    private SharedIndexInformer<CertificateSigningRequest> csrs;
    private SharedIndexInformer<Node> nodes;

    @Override
    public String name() {
        return "csrapproving";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        csrs = context.informers().of(CertificateSigningRequest.class);
        nodes = context.informers().of(Node.class);
        csrs.addEventHandler(Enqueue.by(queue, csr -> csr.getMetadata().getName()));
        // A serving CSR may wait for its node to report the addresses it names.
        nodes.addEventHandler(new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                requeueServingOf(node, queue);
            }

            @Override
            public void onUpdate(Node old, Node node) {
                requeueServingOf(node, queue);
            }

            @Override
            public void onDelete(Node node, boolean unknown) {
            }
        });
    }

    private void requeueServingOf(Node node, WorkQueue<String> queue) {
        String user = Signers.NODE_PREFIX + node.getMetadata().getName();
        for (CertificateSigningRequest csr : csrs.getStore().list()) {
            if (user.equals(csr.getSpec().getUsername()) && !CsrConditions.decided(csr)) {
                queue.add(csr.getMetadata().getName());
            }
        }
    }

    @Override
    public void reconcile(String key) {
        CertificateSigningRequest csr = csrs.getStore().getByKey(key);
        if (csr == null || CsrConditions.decided(csr) || CsrConditions.has(csr, "Failed")) {
            return;
        }
        Signers signer = Signers.named(csr.getSpec().getSignerName()).orElse(null);
        if (signer != Signers.KUBELET_CLIENT && signer != Signers.KUBELET_SERVING) {
            return;
        }
        CertificateRequest request;
        try {
            request = CertificateRequest.parseBase64Pem(csr.getSpec().getRequest());
        } catch (PkiException e) {
            return;
        }
        List<String> usages = csr.getSpec().getUsages() == null ? List.of() : csr.getSpec().getUsages();
        if (signer.problem(request, usages).isPresent()) {
            return;
        }
        if (signer == Signers.KUBELET_CLIENT) {
            boolean self = request.commonName().equals(csr.getSpec().getUsername());
            if ((self && allowed(csr.getSpec(), "selfnodeclient")) || allowed(csr.getSpec(), "nodeclient")) {
                approve(csr, "Auto approving kubelet client certificate after SubjectAccessReview.");
            }
        } else if (servingNamesAreTheNodes(csr.getSpec(), request)) {
            approve(csr, "Auto approving kubelet serving certificate: its names are the node's addresses.");
        }
    }

    private boolean servingNamesAreTheNodes(CertificateSigningRequestSpec spec, CertificateRequest request) {
        if (!request.commonName().equals(spec.getUsername()) || spec.getGroups() == null
                || !spec.getGroups().contains(Signers.NODES_GROUP)) {
            return false;
        }
        Node node = nodes.getStore().getByKey(request.commonName().substring(Signers.NODE_PREFIX.length()));
        if (node == null || node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return false;
        }
        Set<String> names = new HashSet<>();
        Set<String> ips = new HashSet<>();
        for (NodeAddress address : node.getStatus().getAddresses()) {
            switch (address.getType()) {
                case "InternalIP", "ExternalIP" -> ips.add(normalizedIp(address.getAddress()));
                default -> names.add(address.getAddress());
            }
        }
        return names.containsAll(request.dnsNames())
                && ips.containsAll(request.ipAddresses().stream().map(CsrApprovingController::normalizedIp).toList());
    }

    private static String normalizedIp(String ip) {
        try {
            return java.net.InetAddress.getByName(ip).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return ip;
        }
    }

    private boolean allowed(CertificateSigningRequestSpec spec, String subresource) {
        Map<String, List<String>> extra = spec.getExtra() == null ? Map.of() : spec.getExtra();
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(spec.getUsername()).withUid(spec.getUid()).withGroups(spec.getGroups()).withExtra(extra)
                .withNewResourceAttributes().withGroup("certificates.k8s.io").withResource("certificatesigningrequests")
                .withSubresource(subresource).withVerb("create").endResourceAttributes()
                .endSpec().build();
        SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review);
        return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    }

    private void approve(CertificateSigningRequest csr, String message) {
        client.certificates().v1().certificateSigningRequests().withName(csr.getMetadata().getName())
                .approve(new CertificateSigningRequestConditionBuilder().withType("Approved").withStatus("True")
                        .withReason("AutoApproved").withMessage(message).build());
    }
}
