package dev.flotilla.apiserver.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.concurrent.DaemonThreads;
import dev.flotilla.api.json.Json;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.apiserver.http.ResponseStream;
import dev.flotilla.storage.CompactedException;
import dev.flotilla.storage.StorageException;
import dev.flotilla.storage.Watch;
import dev.flotilla.storage.WatchEvent;
import dev.flotilla.storage.WatchListener;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One watch as a stream of newline-delimited JSON events ({@code {"type":"ADDED","object":{…}}}):
 * initial events for the objects that exist (when the client did not give a resourceVersion), then
 * every change after the list's revision, filtered by the selectors. A compacted start revision
 * ends the stream with an ERROR event carrying a 410 Expired Status, as upstream.
 */
final class WatchSession implements WatchListener {

    static final long BOOKMARK_SECONDS = 60;

    private static final ScheduledExecutorService TIMEOUTS = DaemonThreads.scheduler("watch-timeouts");

    /** Unfiltered JSON watchers of one change all send the same line, encoded once. */
    private static final SharedEventLines SHARED_LINES = new SharedEventLines();

    private final ResponseStream stream;
    private final Predicate<ObjectNode> filter;
    private final boolean selective;
    private final boolean table;
    private final dev.flotilla.api.resource.ResourceType type;
    private volatile Watch watch;
    private volatile long lastRevision;

    private WatchSession(ResponseStream stream, dev.flotilla.api.resource.ResourceType type,
            Predicate<ObjectNode> filter, boolean selective, boolean table) {
        this.stream = stream;
        this.type = type;
        this.filter = filter;
        this.selective = selective;
        this.table = table;
    }

    /** {@code selective}: whether {@code filter} can reject anything (the request has selectors). */
    static void start(ResponseStream stream, ResourceStore store, dev.flotilla.api.resource.ResourceType type,
            String namespace, long fromRevision, List<ObjectNode> initial, Predicate<ObjectNode> filter,
            boolean selective, boolean table, int timeoutSeconds, boolean bookmarks, boolean initialEventsEnd) {
        WatchSession session = new WatchSession(stream, type, filter, selective, table);
        session.lastRevision = fromRevision;
        for (ObjectNode object : initial) {
            session.send("ADDED", object);
        }
        if (initialEventsEnd) {
            session.bookmark(true);
        }
        try {
            session.watch = store.watch(type, namespace, fromRevision, session);
        } catch (ApiError e) {
            session.sendError(e);
            return;
        }
        stream.onClose(() -> {
            Watch w = session.watch;
            if (w != null) {
                w.close();
            }
        });
        if (timeoutSeconds > 0) {
            TIMEOUTS.schedule(stream::close, timeoutSeconds, TimeUnit.SECONDS);
        }
        if (bookmarks) {
            var periodic = TIMEOUTS.scheduleAtFixedRate(() -> {
                if (stream.isOpen()) {
                    session.bookmark(false);
                }
            }, BOOKMARK_SECONDS, BOOKMARK_SECONDS, TimeUnit.SECONDS);
            stream.onClose(() -> periodic.cancel(false));
        }
    }

    /**
     * A BOOKMARK tells the client how far it has seen, so it can resume from there. It carries the
     * revision of the last event delivered (never a later one, which could skip events still on their
     * way); the first one after initial events is marked {@code k8s.io/initial-events-end}.
     */
    private synchronized void bookmark(boolean initialEventsEnd) {
        ObjectNode object = Json.mapper().createObjectNode();
        object.put("kind", type.kind());
        object.put("apiVersion", type.apiVersion());
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("resourceVersion", Long.toString(lastRevision));
        if (initialEventsEnd) {
            metadata.putObject("annotations").put("k8s.io/initial-events-end", "true");
        }
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("type", "BOOKMARK");
        event.set("object", object);
        stream.write(line(event));
    }

    @Override
    public void onEvent(WatchEvent event) {
        if (!selective && !table) {
            sendUnfiltered(event);
            return;
        }
        if (event.type() == WatchEvent.Type.DELETE) {
            ObjectNode last = lastState(event);
            if (filter.test(last)) {
                send("DELETED", last);
            }
            return;
        }
        ObjectNode now = ResourceStore.decode(event.object());
        boolean matchesNow = filter.test(now);
        boolean matchedBefore = event.previous() != null && filter.test(ResourceStore.decode(event.previous()));
        if (matchesNow) {
            send(event.created() || !matchedBefore ? "ADDED" : "MODIFIED", now);
        } else if (matchedBefore) {
            // The object left the selection: watchers see it go, as upstream's filtered watch does.
            send("DELETED", now);
        }
    }

    @Override
    public void onError(StorageException error) {
        if (error instanceof CompactedException compacted) {
            sendError(ResourceStore.tooOld(compacted));
        } else {
            // Storage went away (or the server is stopping): end the stream; clients resume from the
            // last resourceVersion they saw, as they do after any dropped watch.
            stream.close();
        }
    }

    private void sendError(ApiError error) {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("type", "ERROR");
        event.set("object", Json.mapper().valueToTree(error.status()));
        stream.write(line(event));
        stream.close();
    }

    /** What a watcher without selectors sends for a change: the same for all of them. */
    private void sendUnfiltered(WatchEvent event) {
        byte[] line = SHARED_LINES.line(event, () -> event.type() == WatchEvent.Type.DELETE
                ? eventLine("DELETED", lastState(event))
                : eventLine(event.created() || event.previous() == null ? "ADDED" : "MODIFIED",
                        ResourceStore.decode(event.object())));
        synchronized (this) {
            lastRevision = Math.max(lastRevision, event.revision());
            stream.write(line);
        }
    }

    /** A deleted object as its DELETED event shows it: its last state, at the deletion's revision. */
    private static ObjectNode lastState(WatchEvent event) {
        ObjectNode last = ResourceStore.decode(event.previous());
        ObjectMetadata.of(last).set("resourceVersion", Long.toString(event.revision()));
        return last;
    }

    private synchronized void send(String eventType, ObjectNode object) {
        String version = ObjectMetadata.of(object).resourceVersion();
        if (version != null) {
            lastRevision = Math.max(lastRevision, Long.parseLong(version));
        }
        stream.write(eventLine(eventType, table ? TableConverter.table(type, List.of(object), null) : object));
    }

    private static byte[] eventLine(String eventType, ObjectNode object) {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("type", eventType);
        event.set("object", object);
        return line(event);
    }

    private static byte[] line(ObjectNode event) {
        byte[] json = Json.toBytes(event);
        byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
        withNewline[json.length] = '\n';
        return withNewline;
    }
}
