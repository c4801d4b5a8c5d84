package dev.flotilla.node.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;

/** The three probes, their names in messages, and the result each has before its first run. */
public enum ProbeKind {
    STARTUP("Startup", false),
    LIVENESS("Liveness", true),
    READINESS("Readiness", false);

    private final String label;
    private final boolean initialResult;

    ProbeKind(String label, boolean initialResult) {
        this.label = label;
        this.initialResult = initialResult;
    }

    public String label() {
        return label;
    }

    boolean initialResult() {
        return initialResult;
    }

    Probe of(Container container) {
        return switch (this) {
            case STARTUP -> container.getStartupProbe();
            case LIVENESS -> container.getLivenessProbe();
            case READINESS -> container.getReadinessProbe();
        };
    }
}
