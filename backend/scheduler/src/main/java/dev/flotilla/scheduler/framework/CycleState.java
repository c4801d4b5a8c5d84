package dev.flotilla.scheduler.framework;

import java.util.HashMap;
import java.util.Map;

/**
 * What plugins compute once per scheduling cycle (upstream's CycleState): PreFilter and PreScore
 * write, Filter and Score read, keyed by the writing plugin's name.
 */
public final class CycleState {

    private final Map<String, Object> data = new HashMap<>();

    public void write(String key, Object value) {
        data.put(key, value);
    }

    /** Null when nothing was written (e.g. the plugin had nothing to check for this pod). */
    @SuppressWarnings("unchecked")
    public <T> T read(String key) {
        return (T) data.get(key);
    }
}
