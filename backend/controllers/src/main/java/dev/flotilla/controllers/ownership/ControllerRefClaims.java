package dev.flotilla.controllers.ownership;

import dev.flotilla.api.selector.LabelSelector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * Upstream's ControllerRefManager: of the candidates in an owner's namespace, keeps those it
 * controls that still match its selector, releases those it controls that no longer match, and
 * adopts matching orphans, each by a strategic merge patch of ownerReferences that names the
 * dependent's uid. Adoption first re-checks, once, that the owner is live and not being deleted.
 */
public final class ControllerRefClaims<T extends HasMetadata> {

    private final HasMetadata owner;
    private final OwnerReference controllerRef;
    private final LabelSelector selector;
    private final BooleanSupplier canAdopt;
    private final BiConsumer<T, String> patch;
    private Boolean adoptable;

    /**
     * @param canAdopt a fresh read of the owner: false when it is gone, replaced or being deleted
     * @param patch    applies a strategic merge patch to a dependent
     */
    public ControllerRefClaims(HasMetadata owner, OwnerReference controllerRef, LabelSelector selector,
            BooleanSupplier canAdopt, BiConsumer<T, String> patch) {
        this.owner = owner;
        this.controllerRef = controllerRef;
        this.selector = selector;
        this.canAdopt = canAdopt;
        this.patch = patch;
    }

    /** The candidates this owner controls after adoption and release. */
    public List<T> claim(List<T> candidates) {
        List<T> claimed = new ArrayList<>();
        boolean ownerDeleting = owner.getMetadata().getDeletionTimestamp() != null;
        for (T candidate : candidates) {
            OwnerReference controller = ControllerRefs.controllerOf(candidate);
            boolean matches = selector.matches(candidate.getMetadata().getLabels() == null ? Map.of()
                    : candidate.getMetadata().getLabels());
            if (controller != null) {
                if (!controller.getUid().equals(owner.getMetadata().getUid())) {
                    continue;
                }
                if (matches) {
                    claimed.add(candidate);
                } else if (!ownerDeleting) {
                    release(candidate);
                }
                continue;
            }
            if (ownerDeleting || !matches || candidate.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            if (adopt(candidate)) {
                claimed.add(candidate);
            }
        }
        return claimed;
    }

    private boolean adopt(T candidate) {
        if (adoptable == null) {
            adoptable = canAdopt.getAsBoolean();
        }
        if (!adoptable) {
            return false;
        }
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("apiVersion", controllerRef.getApiVersion());
        reference.put("kind", controllerRef.getKind());
        reference.put("name", controllerRef.getName());
        reference.put("uid", controllerRef.getUid());
        reference.put("controller", true);
        reference.put("blockOwnerDeletion", true);
        try {
            patch.accept(candidate, metadataPatch(candidate, reference));
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 422) {
                return false;
            }
            throw e;
        }
    }

    private void release(T candidate) {
        try {
            patch.accept(candidate, metadataPatch(candidate, Map.of("$patch", "delete", "uid", controllerRef.getUid())));
        } catch (KubernetesClientException e) {
            // Gone, or its uid changed (a new object of that name): nothing left to release.
            if (e.getCode() != 404 && e.getCode() != 422) {
                throw e;
            }
        }
    }

    private static String metadataPatch(HasMetadata candidate, Map<String, Object> reference) {
        return Serialization.asJson(Map.of("metadata", Map.of("ownerReferences", List.of(reference),
                "uid", candidate.getMetadata().getUid())));
    }
}
