package dev.flotilla.apiserver.strategy;

import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.crd.CustomResourceStrategy;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the strategy of a kind; kinds without one get the generic behaviour only, custom resources
 * the schema-driven {@link CustomResourceStrategy} of their CRD (plus the validation of a strategy
 * registered for the kind, for the kinds Flotilla itself defines as CRDs).
 */
@Singleton
public class KindStrategies {

    private static final KindStrategy GENERIC = () -> java.util.Set.of();

    private final Map<String, KindStrategy> byKind = new HashMap<>();

    public KindStrategies(List<KindStrategy> strategies) {
        for (KindStrategy strategy : strategies) {
            for (String kind : strategy.kinds()) {
                if (byKind.put(kind, strategy) != null) {
                    throw new IllegalStateException("two strategies for " + kind);
                }
            }
        }
    }

    public KindStrategy of(ResourceType type) {
        String kind = type.group() + "/" + type.kind();
        if (type.isCustom()) {
            return new CustomResourceStrategy(type, byKind.get(kind));
        }
        return byKind.getOrDefault(kind, GENERIC);
    }
}
