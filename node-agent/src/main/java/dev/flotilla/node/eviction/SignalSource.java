package dev.flotilla.node.eviction;

import java.util.Map;

/** One observation of every signal it can measure (a signal it cannot is left out, and never met). */
public interface SignalSource {

    Map<Signal, Observation> observe();
}
