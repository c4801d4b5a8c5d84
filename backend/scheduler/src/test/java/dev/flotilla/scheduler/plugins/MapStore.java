package dev.flotilla.scheduler.plugins;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The part of an informer's store the plugin reads. */
final class MapStore<T extends HasMetadata> implements Store<T> {

    private final Map<String, T> items = new LinkedHashMap<>();

    void put(T item) {
        items.put(getKey(item), item);
    }

    @Override
    public List<T> list() {
        return new ArrayList<>(items.values());
    }

    @Override
    public List<String> listKeys() {
        return new ArrayList<>(items.keySet());
    }

    @Override
    public T get(T object) {
        return items.get(getKey(object));
    }

    @Override
    public T getByKey(String key) {
        return items.get(key);
    }

    @Override
    public String getKey(T object) {
        String namespace = object.getMetadata().getNamespace();
        return namespace == null ? object.getMetadata().getName() : namespace + "/" + object.getMetadata().getName();
    }
}
