package dev.flotilla.apiserver.strategy;

import jakarta.inject.Singleton;
import java.util.Set;

/** Jobs orphan their pods when a DELETE names no propagation policy, as upstream keeps for batch/v1. */
@Singleton
public class JobStrategy implements KindStrategy {

    @Override
    public Set<String> kinds() {
        return Set.of("batch/Job");
    }

    @Override
    public String defaultPropagationPolicy() {
        return "Orphan";
    }
}
