package dev.flotilla.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.apiserver.resource.ResourceStore;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Upstream's DefaultStorageClass admission on claim create: a PersistentVolumeClaim that names no
 * class (neither {@code spec.storageClassName}, not even {@code ""}, nor the beta annotation) gets
 * the StorageClass annotated {@code storageclass.kubernetes.io/is-default-class: "true"}; with
 * several defaults the newest wins, ties by name, as upstream since 1.26.
 */
@Singleton
public class DefaultStorageClassAdmission implements AdmissionPlugin {

    static final String IS_DEFAULT = "storageclass.kubernetes.io/is-default-class";
    private static final String BETA_IS_DEFAULT = "storageclass.beta.kubernetes.io/is-default-class";
    private static final String BETA_CLASS = "volume.beta.kubernetes.io/storage-class";

    private final ResourceStore store;
    private final ResourceRegistry registry;

    public DefaultStorageClassAdmission(ResourceStore store, ResourceRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    @Override
    public String name() {
        return "DefaultStorageClass";
    }

    @Override
    public void admit(AdmissionAttributes attributes) {
        if (attributes.operation() != AdmissionOperation.CREATE || !attributes.is("", "persistentvolumeclaims")) {
            return;
        }
        ObjectNode claim = attributes.object();
        if (namesAClass(claim)) {
            return;
        }
        // From the watch cache, as upstream reads its lister: classes change rarely.
        List<ObjectNode> classes = store.cachedAny(
                registry.find("storage.k8s.io", "v1", "storageclasses").orElseThrow(), null)
                .items().stream().map(ResourceStore::decode).toList();
        defaultClass(classes).ifPresent(name -> claim.with("spec").put("storageClassName", name));
    }

    static boolean namesAClass(ObjectNode claim) {
        return claim.path("spec").has("storageClassName") && !claim.path("spec").path("storageClassName").isNull()
                || claim.path("metadata").path("annotations").has(BETA_CLASS);
    }

    /** The name of the newest class marked default (ties: the first name), if any is. */
    static Optional<String> defaultClass(List<ObjectNode> classes) {
        return classes.stream()
                .filter(DefaultStorageClassAdmission::isDefault)
                .sorted(Comparator.comparing((ObjectNode c) -> c.path("metadata").path("creationTimestamp").asText(""))
                        .reversed()
                        .thenComparing(c -> c.path("metadata").path("name").asText()))
                .map(c -> c.path("metadata").path("name").asText())
                .findFirst();
    }

    private static boolean isDefault(ObjectNode storageClass) {
        JsonNode annotations = storageClass.path("metadata").path("annotations");
        return annotations.path(IS_DEFAULT).asText("").equals("true")
                || annotations.path(BETA_IS_DEFAULT).asText("").equals("true");
    }
}
