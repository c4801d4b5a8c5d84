package dev.flotilla.apiserver.crd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.resource.ResourceRegistry;
import dev.flotilla.api.resource.ResourceType;
import dev.flotilla.apiserver.resource.ResourceStore;
import dev.flotilla.storage.ListResult;
import dev.flotilla.storage.StorageException;
import dev.flotilla.storage.StoredObject;
import dev.flotilla.storage.Watch;
import dev.flotilla.storage.WatchEvent;
import dev.flotilla.storage.WatchListener;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the resource registry in step with the CustomResourceDefinitions in etcd: every CRD is
 * loaded at start and the CRD prefix is watched, so every API server process sharing the etcd (and a
 * restarted one) serves the same custom resources. A CRD being deleted has its custom resources
 * removed here before its cleanup finalizer is taken off, as upstream's finalizer controller does.
 * All registry changes happen on one thread; the registry itself is safe for concurrent readers.
 */
@Context
public class CustomResourceTypes {

    private static final Logger LOG = LoggerFactory.getLogger(CustomResourceTypes.class);

    private final ResourceStore store;
    private final ResourceRegistry registry;
    private final ResourceType definitions;
    private final CustomResourceCleanup cleanup;
    private final ValidationRuleCache rules;
    private final Map<String, List<ResourceType>> byDefinition = new HashMap<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "custom-resource-types");
        t.setDaemon(true);
        return t;
    });
    private volatile Watch watch;

    public CustomResourceTypes(ResourceStore store, ResourceRegistry registry, ValidationRuleCache rules) {
        this.store = store;
        this.rules = rules;
        this.registry = registry;
        this.definitions = registry.find(CrdTypes.GROUP, "v1", "customresourcedefinitions").orElseThrow();
        this.cleanup = new CustomResourceCleanup(store, definitions);
        worker.execute(this::start);
    }

    /** Lists every CRD, registers its types, then watches for changes from that list's revision. */
    private void start() {
        try {
            ListResult all = store.list(definitions, null, 0, 0, null);
            Set<String> present = new HashSet<>();
            for (StoredObject stored : all.items()) {
                ObjectNode crd = ResourceStore.decode(stored);
                present.add(name(crd));
                apply(crd);
            }
            for (String known : Set.copyOf(byDefinitionNames())) {
                if (!present.contains(known)) {
                    remove(known);
                }
            }
            watch = store.watch(definitions, null, all.revision(), new Listener());
        } catch (RuntimeException e) {
            retry(this::start);
        }
    }

    private final class Listener implements WatchListener {
        @Override
        public void onEvent(WatchEvent event) {
            execute(() -> {
                if (event.type() == WatchEvent.Type.PUT) {
                    apply(ResourceStore.decode(event.object()));
                } else {
                    remove(event.key().substring(event.key().lastIndexOf('/') + 1));
                }
            });
        }

        @Override
        public void onError(StorageException error) {
            LOG.info("CRD watch ended ({}); listing again", error.getMessage());
            execute(CustomResourceTypes.this::start);
        }
    }

    /** Registers the served types of a CRD, replacing what it served before; starts cleanup when it is deleted. */
    public synchronized void apply(ObjectNode crd) {
        String name = name(crd);
        List<ResourceType> previous = byDefinition.getOrDefault(name, List.of());
        List<ResourceType> next = CrdTypes.of(crd, rules).stream().filter(t -> available(t, name)).toList();
        // Replace in place, so a type that stays served is never missing for concurrent readers.
        previous.stream().filter(old -> next.stream().noneMatch(t -> sameResource(t, old)))
                .forEach(registry::unregister);
        next.forEach(registry::register);
        byDefinition.put(name, next);
        if (crd.path("metadata").hasNonNull("deletionTimestamp")) {
            execute(() -> runCleanup(name));
        }
    }

    /** Removes a deleted CRD's types. */
    public synchronized void remove(String name) {
        List<ResourceType> previous = byDefinition.remove(name);
        if (previous != null) {
            previous.forEach(registry::unregister);
        }
        rules.forget(name);
    }

    /** Registers what storage holds for one CRD now (after a write that may have failed). */
    public void refresh(String name) {
        try {
            Optional<ObjectNode> crd = store.get(definitions, null, name);
            if (crd.isPresent()) {
                apply(crd.get());
            } else {
                remove(name);
            }
        } catch (RuntimeException e) {
            execute(() -> refresh(name));
        }
    }

    private void runCleanup(String name) {
        try {
            if (!cleanup.run(name)) {
                retry(() -> runCleanup(name));
            }
        } catch (RuntimeException e) {
            LOG.info("cleanup of custom resources of {} will be retried: {}", name, e.getMessage());
            retry(() -> runCleanup(name));
        }
    }

    /** A type name another CRD or a built-in already serves is not taken over. */
    private boolean available(ResourceType type, String definition) {
        Optional<ResourceType> existing = registry.find(type.group(), type.version(), type.resource());
        boolean free = existing.isEmpty() || existing.get().isCustom()
                && existing.get().custom().definition().equals(definition);
        if (!free) {
            LOG.warn("CRD {} not serving {}/{} {}: the name is taken", definition, type.group(), type.version(),
                    type.resource());
        }
        return free;
    }

    private static boolean sameResource(ResourceType a, ResourceType b) {
        return a.group().equals(b.group()) && a.version().equals(b.version()) && a.resource().equals(b.resource())
                && a.kind().equals(b.kind());
    }

    private synchronized Set<String> byDefinitionNames() {
        return new HashSet<>(byDefinition.keySet());
    }

    private static String name(ObjectNode crd) {
        return crd.path("metadata").path("name").asText();
    }

    private void execute(Runnable task) {
        if (!worker.isShutdown()) {
            worker.execute(task);
        }
    }

    private void retry(Runnable task) {
        if (!worker.isShutdown()) {
            worker.schedule(task, 1, TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    public void stop() {
        worker.shutdownNow();
        Watch current = watch;
        if (current != null) {
            current.close();
        }
    }
}
