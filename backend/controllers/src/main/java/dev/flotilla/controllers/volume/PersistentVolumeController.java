package dev.flotilla.controllers.volume;

import dev.flotilla.api.storage.VolumeAnnotations;
import dev.flotilla.api.storage.VolumeMatching;
import dev.flotilla.controllers.framework.ChangeHandler;
import dev.flotilla.controllers.framework.Controller;
import dev.flotilla.controllers.framework.ControllerContext;
import dev.flotilla.controllers.framework.EventRecorder;
import dev.flotilla.controllers.framework.Keys;
import dev.flotilla.controllers.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;

/**
 * Upstream's persistent volume controller (binder): binds claims to volumes, keeps both phases, and
 * reclaims the volumes of deleted claims; with the built-in local-path provisioner for claims of
 * classes whose provisioner is {@code flotilla.dev/local-path}. One queue holds both kinds: a claim's
 * key is {@code namespace/name}, a volume's (cluster-scoped) key is its name, which has no slash;
 * {@link #LOCAL_PATH_CLASS_KEY} (a colon is in no object name) creates the local-path class, so a
 * failure there is retried with back-off like any reconcile.
 */
public final class PersistentVolumeController implements Controller {

    static final String COMPONENT = "persistentvolume-controller";
    static final String LOCAL_PATH_CLASS_KEY = ":local-path-class";

    private KubernetesClient client;
    private WorkQueue<String> queue;
    private SharedIndexInformer<PersistentVolumeClaim> claims;
    private SharedIndexInformer<PersistentVolume> volumes;
    private SharedIndexInformer<StorageClass> classes;
    private SharedIndexInformer<Node> nodes;
    private EventRecorder events;
    private VolumeWrites writes;

    @Override
    public String name() {
        return "persistentvolume-binder";
    }

    @Override
    public void register(ControllerContext context, WorkQueue<String> queue) {
        this.client = context.client();
        this.queue = queue;
        this.events = new EventRecorder(client, COMPONENT);
        this.writes = new VolumeWrites(client);
        claims = context.informers().of(PersistentVolumeClaim.class);
        volumes = context.informers().of(PersistentVolume.class);
        classes = context.informers().of(StorageClass.class);
        nodes = context.informers().of(Node.class);
        claims.addEventHandler(ChangeHandler.of(this::claimChanged));
        volumes.addEventHandler(ChangeHandler.of(this::volumeChanged));
        queue.add(LOCAL_PATH_CLASS_KEY);
    }

    /** A claim's change also concerns the volumes that name it (a deleted claim releases them). */
    private void claimChanged(PersistentVolumeClaim claim) {
        queue.add(Keys.of(claim));
        for (PersistentVolume volume : volumes.getStore().list()) {
            var ref = volume.getSpec().getClaimRef();
            if (ref != null && claim.getMetadata().getName().equals(ref.getName())
                    && claim.getMetadata().getNamespace().equals(ref.getNamespace())) {
                queue.add(Keys.of(volume));
            }
        }
    }

    /** A volume's change concerns its claim, and a volume that may be free concerns every waiting claim. */
    private void volumeChanged(PersistentVolume volume) {
        queue.add(Keys.of(volume));
        var ref = volume.getSpec().getClaimRef();
        if (ref != null) {
            queue.add(ref.getNamespace() + "/" + ref.getName());
            return;
        }
        for (PersistentVolumeClaim claim : claims.getStore().list()) {
            if (claim.getSpec().getVolumeName() == null || claim.getSpec().getVolumeName().isEmpty()) {
                queue.add(Keys.of(claim));
            }
        }
    }

    @Override
    public void reconcile(String key) {
        if (key.equals(LOCAL_PATH_CLASS_KEY)) {
            LocalPathStorageClass.ensure(client);
            return;
        }
        try {
            if (key.contains("/")) {
                PersistentVolumeClaim claim = claims.getStore().getByKey(key);
                if (claim != null && claim.getMetadata().getDeletionTimestamp() == null) {
                    syncClaim(claim);
                }
            } else {
                // A volume being deleted is still synced: pv-protection holds a Bound one until it is Released.
                PersistentVolume volume = volumes.getStore().getByKey(key);
                if (volume != null) {
                    syncVolume(volume);
                }
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void syncClaim(PersistentVolumeClaim claim) {
        if (annotation(claim.getMetadata().getAnnotations(), VolumeAnnotations.BIND_COMPLETED) == null) {
            syncUnboundClaim(claim);
        } else {
            syncBoundClaim(claim);
        }
    }

    private void syncUnboundClaim(PersistentVolumeClaim claim) {
        String volumeName = claim.getSpec().getVolumeName();
        if (volumeName == null || volumeName.isEmpty()) {
            String className = VolumeMatching.claimClass(claim);
            StorageClass storageClass = className.isEmpty() ? null : classes.getStore().getByKey(className);
            boolean delay = storageClass != null
                    && VolumeMatching.isWaitForFirstConsumer(storageClass.getVolumeBindingMode());
            var match = VolumeMatching.bestMatch(claim, volumes.getStore().list(), null, delay);
            if (match.isPresent()) {
                writes.bind(match.get(), claim);
                return;
            }
            String selectedNode = annotation(claim.getMetadata().getAnnotations(), VolumeAnnotations.SELECTED_NODE);
            if (delay && selectedNode == null) {
                events.normal(claim, "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
            } else if (!className.isEmpty()) {
                provision(claim, className, storageClass, selectedNode);
            } else {
                events.normal(claim, "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
            }
            writes.claimPhase(claim, "Pending");
            return;
        }
        PersistentVolume volume = volumes.getStore().getByKey(volumeName);
        if (volume == null) {
            // Upstream waits for the named volume to appear.
            writes.claimPhase(claim, "Pending");
            return;
        }
        var ref = volume.getSpec().getClaimRef();
        if (ref == null) {
            var mismatch = VolumeMatching.mismatch(volume, claim);
            if (mismatch.isPresent()) {
                events.warning(claim, "VolumeMismatch", "Cannot bind to requested volume \"" + volumeName + "\": "
                        + mismatch.get());
                writes.claimPhase(claim, "Pending");
                return;
            }
            writes.bind(volume, claim);
        } else if (VolumeMatching.isBoundToClaim(volume, claim)) {
            writes.bind(volume, claim);
        } else {
            events.warning(claim, "FailedBinding", "volume \"" + volumeName + "\" already bound to a different claim.");
            writes.claimPhase(claim, "Pending");
        }
    }

    private void provision(PersistentVolumeClaim claim, String className, StorageClass storageClass, String selectedNode) {
        if (storageClass == null) {
            events.warning(claim, "ProvisioningFailed", "storageclass.storage.k8s.io \"" + className + "\" not found");
            return;
        }
        String provisioner = storageClass.getProvisioner();
        PersistentVolumeClaim marked = writes.requestProvisioning(claim, provisioner);
        if (!VolumeAnnotations.LOCAL_PATH_PROVISIONER.equals(provisioner)) {
            events.normal(marked, "ExternalProvisioning", "Waiting for a volume to be created either by the external "
                    + "provisioner '" + provisioner + "' or manually by the system administrator. If volume creation is "
                    + "delayed, please verify that the provisioner is running and correctly registered.");
            return;
        }
        Node node = selectedNode == null ? null : nodes.getStore().getByKey(selectedNode);
        var outcome = LocalPathProvisioner.provision(marked, storageClass, selectedNode, node);
        if (outcome.failure() != null) {
            events.warning(marked, "ProvisioningFailed", "failed to provision volume with StorageClass \"" + className
                    + "\": " + outcome.failure());
            return;
        }
        try {
            client.persistentVolumes().resource(outcome.volume()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                // Made by an earlier attempt; binding it follows from its informer event.
                return;
            }
            events.warning(marked, "ProvisioningFailed", "failed to provision volume with StorageClass \"" + className
                    + "\": " + e.getMessage());
            throw e;
        }
        events.normal(marked, "ProvisioningSucceeded", "Successfully provisioned volume "
                + outcome.volume().getMetadata().getName() + " using " + VolumeAnnotations.LOCAL_PATH_PROVISIONER);
    }

    private void syncBoundClaim(PersistentVolumeClaim claim) {
        String volumeName = claim.getSpec().getVolumeName();
        if (volumeName == null || volumeName.isEmpty()) {
            lost(claim, "ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
            return;
        }
        PersistentVolume volume = volumes.getStore().getByKey(volumeName);
        if (volume == null) {
            // The cache may lag behind a volume that was just created: ask the API before declaring it lost.
            volume = client.persistentVolumes().withName(volumeName).get();
        }
        if (volume == null) {
            lost(claim, "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
        } else if (volume.getSpec().getClaimRef() == null || VolumeMatching.isBoundToClaim(volume, claim)) {
            writes.bind(volume, claim);
        } else {
            lost(claim, "ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly");
        }
    }

    private void lost(PersistentVolumeClaim claim, String reason, String message) {
        if (claim.getStatus() == null || !"Lost".equals(claim.getStatus().getPhase())) {
            events.warning(claim, reason, message);
        }
        writes.claimPhase(claim, "Lost");
    }

    private void syncVolume(PersistentVolume volume) {
        var ref = volume.getSpec().getClaimRef();
        if (ref == null || ref.getUid() == null || ref.getUid().isEmpty()) {
            // Unclaimed, or pre-bound by the user to a claim that has not been bound yet.
            writes.volumePhase(volume, "Available", null);
            return;
        }
        PersistentVolumeClaim claim = claims.getStore().getByKey(ref.getNamespace() + "/" + ref.getName());
        if (claim == null || !ref.getUid().equals(claim.getMetadata().getUid())) {
            // A cache that has not seen a new claim yet must not release its volume: check the API.
            claim = client.persistentVolumeClaims().inNamespace(ref.getNamespace()).withName(ref.getName()).get();
        }
        if (claim == null || !ref.getUid().equals(claim.getMetadata().getUid())) {
            release(volume);
            return;
        }
        String claimVolume = claim.getSpec().getVolumeName();
        if (claimVolume == null || claimVolume.isEmpty()) {
            // Reserved for the claim (by the scheduler, the provisioner or the user); the claim's sync binds it.
            queue.add(Keys.of(claim));
        } else if (claimVolume.equals(volume.getMetadata().getName())) {
            writes.volumePhase(volume, "Bound", null);
        } else if (isLocalPath(volume) && "Delete".equals(volume.getSpec().getPersistentVolumeReclaimPolicy())) {
            // Provisioned for a claim that got bound to another volume: not needed.
            client.persistentVolumes().withName(volume.getMetadata().getName()).delete();
        } else if (annotation(volume.getMetadata().getAnnotations(), VolumeAnnotations.BOUND_BY_CONTROLLER) != null) {
            writes.unbind(volume);
        }
    }

    /** The claim is gone: the volume is Released and its reclaim policy applied. */
    private void release(PersistentVolume volume) {
        String phase = volume.getStatus() == null ? "" : volume.getStatus().getPhase();
        if ("Failed".equals(phase)) {
            return;
        }
        PersistentVolume released = writes.volumePhase(volume, "Released", null);
        String policy = volume.getSpec().getPersistentVolumeReclaimPolicy();
        if ("Delete".equals(policy)) {
            if (isLocalPath(volume)) {
                // The node removes the directory, then the cleanup finalizer.
                client.persistentVolumes().withName(volume.getMetadata().getName()).delete();
            } else if (annotation(volume.getMetadata().getAnnotations(), VolumeAnnotations.PROVISIONED_BY) == null) {
                failed(released, "VolumeFailedDelete", "error getting deleter volume plugin for volume \""
                        + volume.getMetadata().getName() + "\": no deletable volume plugin matched");
            }
            // Another provisioner's volume is that provisioner's to delete.
        } else if ("Recycle".equals(policy)) {
            failed(released, "VolumeFailedRecycle", "No recycler plugin found for the volume!");
        }
    }

    private void failed(PersistentVolume volume, String reason, String message) {
        events.warning(volume, reason, message);
        writes.volumePhase(volume, "Failed", message);
    }

    private static boolean isLocalPath(PersistentVolume volume) {
        return VolumeAnnotations.LOCAL_PATH_PROVISIONER.equals(
                annotation(volume.getMetadata().getAnnotations(), VolumeAnnotations.PROVISIONED_BY));
    }

    private static String annotation(Map<String, String> annotations, String key) {
        return annotations == null ? null : annotations.get(key);
    }
}
