package dev.flotilla.controllers.endpoints;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each desired endpoint goes. Per port set: an existing slice keeps the endpoints it has that
 * are still wanted (updated), new endpoints fill existing slices' free room before new slices of at
 * most {@code max} are made; slices left empty or of a port set no longer wanted are unused, and
 * taken over by a slice that would otherwise be created. A service with no endpoints at all keeps
 * one empty slice, as upstream's placeholder.
 */
record SlicePlan(List<Slice> slices, List<EndpointSlice> unused) {

    /** One slice to have: the existing one it updates ({@code null} to create) and its content. */
    record Slice(EndpointSlice current, List<EndpointPort> ports, List<Endpoint> endpoints) {
    }

    static SlicePlan of(List<EndpointSlice> existing, Map<List<EndpointPort>, List<Endpoint>> desired, int max) {
        Map<String, List<EndpointSlice>> existingByPorts = new LinkedHashMap<>();
        for (EndpointSlice slice : existing) {
            existingByPorts.computeIfAbsent(portsKey(slice.getPorts()), k -> new ArrayList<>()).add(slice);
        }
        List<Slice> slices = new ArrayList<>();
        for (var group : desired.entrySet()) {
            List<EndpointSlice> candidates = existingByPorts.remove(portsKey(group.getKey()));
            slices.addAll(place(candidates == null ? List.of() : candidates, group.getKey(), group.getValue(), max));
        }
        List<EndpointSlice> unused = new ArrayList<>();
        existingByPorts.values().forEach(unused::addAll);
        List<Slice> kept = new ArrayList<>();
        for (Slice slice : slices) {
            if (slice.endpoints().isEmpty() && slice.current() != null) {
                unused.add(slice.current());
            } else {
                kept.add(slice);
            }
        }
        if (kept.isEmpty()) {
            // The placeholder.
            kept.add(new Slice(null, List.of(), List.of()));
        }
        // A slice to create takes over an unused one instead (the placeholder, a port set gone).
        List<Slice> planned = new ArrayList<>();
        for (Slice slice : kept) {
            planned.add(slice.current() == null && !unused.isEmpty()
                    ? new Slice(unused.remove(0), slice.ports(), slice.endpoints()) : slice);
        }
        return new SlicePlan(planned, unused);
    }

    private static List<Slice> place(List<EndpointSlice> candidates, List<EndpointPort> ports,
            List<Endpoint> endpoints, int max) {
        Map<String, Endpoint> pending = new LinkedHashMap<>();
        endpoints.forEach(e -> pending.put(e.getAddresses().get(0), e));
        List<Slice> result = new ArrayList<>();
        List<List<Endpoint>> contents = new ArrayList<>();
        for (EndpointSlice slice : candidates) {
            List<Endpoint> keep = new ArrayList<>();
            for (Endpoint old : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
                Endpoint wanted = old.getAddresses().isEmpty() ? null : pending.remove(old.getAddresses().get(0));
                if (wanted != null && keep.size() < max) {
                    keep.add(wanted);
                }
            }
            contents.add(keep);
        }
        Iterator<Endpoint> rest = pending.values().iterator();
        for (List<Endpoint> content : contents) {
            while (content.size() < max && rest.hasNext()) {
                content.add(rest.next());
            }
        }
        for (int i = 0; i < candidates.size(); i++) {
            result.add(new Slice(candidates.get(i), ports, contents.get(i)));
        }
        while (rest.hasNext()) {
            List<Endpoint> content = new ArrayList<>();
            while (content.size() < max && rest.hasNext()) {
                content.add(rest.next());
            }
            result.add(new Slice(null, ports, content));
        }
        return result;
    }

    /** Port sets compared by content, whatever empty fields the API server left out. */
    private static String portsKey(List<EndpointPort> ports) {
        return ports == null || ports.isEmpty() ? "[]" : Serialization.asJson(ports);
    }

    /** True when both serialize alike: the API server drops empty fields that a fresh object holds. */
    static boolean same(Object a, Object b) {
        return Serialization.asJson(a).equals(Serialization.asJson(b));
    }
}
