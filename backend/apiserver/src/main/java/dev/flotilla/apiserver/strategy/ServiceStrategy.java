package dev.flotilla.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.api.network.Ipv4;
import dev.flotilla.api.status.ApiError;
import dev.flotilla.api.status.FieldError;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Services: upstream's defaults (type ClusterIP, TCP ports, targetPort = port, single-stack IPv4,
 * Cluster traffic policies), validation of ports and types, a cluster IP from the service range and
 * node ports for NodePort/LoadBalancer services, both unique across the cluster and given back on
 * delete. The cluster IP may not change once set.
 */
@Singleton
public class ServiceStrategy implements KindStrategy {

    private static final Set<String> TYPES = Set.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName");
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");

    private final ServiceAllocations allocations;

    public ServiceStrategy(ServiceAllocations allocations) {
        this.allocations = allocations;
    }

    @Override
    public Set<String> kinds() {
        return Set.of("/Service");
    }

    @Override
    public void prepareForCreate(ObjectNode service) {
        ObjectNode spec = service.with("spec");
        Fields.defaultText(spec, "type", "ClusterIP");
        String type = spec.path("type").asText();
        if (!type.equals("ExternalName")) {
            Fields.defaultText(spec, "sessionAffinity", "None");
            Fields.defaultText(spec, "internalTrafficPolicy", "Cluster");
            if (!spec.has("ipFamilies")) {
                spec.putArray("ipFamilies").add("IPv4");
            }
            Fields.defaultText(spec, "ipFamilyPolicy", "SingleStack");
        }
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            Fields.defaultText(spec, "externalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer")) {
            Fields.defaultBool(spec, "allocateLoadBalancerNodePorts", true);
        }
        for (JsonNode port : spec.path("ports")) {
            if (port instanceof ObjectNode p) {
                Fields.defaultText(p, "protocol", "TCP");
                if (Fields.isBlank(p.get("targetPort")) && p.has("port")) {
                    p.set("targetPort", p.get("port"));
                }
            }
        }
        service.with("status").with("loadBalancer");
    }

    @Override
    public List<FieldError> validate(ObjectNode service) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = service.path("spec");
        String type = spec.path("type").asText("ClusterIP");
        if (!TYPES.contains(type)) {
            errors.add(FieldError.notSupported("spec.type", type, List.of("ClusterIP", "ExternalName", "LoadBalancer",
                    "NodePort")));
            return errors;
        }
        if (type.equals("ExternalName")) {
            if (Fields.isBlank(spec.get("externalName"))) {
                errors.add(FieldError.required("spec.externalName", ""));
            }
            return errors;
        }
        boolean headless = "None".equals(spec.path("clusterIP").asText());
        JsonNode ports = spec.path("ports");
        if (ports.isEmpty() && !headless) {
            errors.add(FieldError.required("spec.ports", ""));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String path = "spec.ports[" + i + "]";
            String name = port.path("name").asText("");
            if (ports.size() > 1 && name.isEmpty()) {
                errors.add(FieldError.required(path + ".name", ""));
            }
            if (!name.isEmpty() && !names.add(name)) {
                errors.add(new FieldError(path + ".name", FieldError.Type.DUPLICATE, name, null));
            }
            long number = port.path("port").asLong(0);
            if (number < 1 || number > 65535) {
                errors.add(port.has("port") ? FieldError.invalid(path + ".port", number,
                        "must be between 1 and 65535, inclusive") : FieldError.required(path + ".port", ""));
            }
            String protocol = port.path("protocol").asText("TCP");
            if (!PROTOCOLS.contains(protocol)) {
                errors.add(FieldError.notSupported(path + ".protocol", protocol, List.of("SCTP", "TCP", "UDP")));
            }
            if (port.has("nodePort") && type.equals("ClusterIP")) {
                errors.add(FieldError.forbidden(path + ".nodePort", "may not be used when `type` is 'ClusterIP'"));
            }
        }
        return errors;
    }

    @Override
    public void prepareForUpdate(ObjectNode updated, ObjectNode old) {
        ObjectNode spec = updated.with("spec");
        JsonNode oldSpec = old.path("spec");
        // Clients that do not send the allocated IP (kubectl apply) keep it.
        for (String field : List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy")) {
            if (Fields.isBlank(spec.get(field)) && oldSpec.has(field)) {
                spec.set(field, oldSpec.get(field).deepCopy());
            }
        }
        JsonNode oldPorts = oldSpec.path("ports");
        for (JsonNode port : spec.path("ports")) {
            if (port instanceof ObjectNode p && !p.has("nodePort")) {
                for (JsonNode oldPort : oldPorts) {
                    if (oldPort.has("nodePort") && oldPort.path("port").equals(p.path("port"))
                            && oldPort.path("protocol").asText("TCP").equals(p.path("protocol").asText("TCP"))) {
                        p.set("nodePort", oldPort.get("nodePort"));
                    }
                }
            }
        }
        prepareForCreate(updated);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode updated, ObjectNode old) {
        List<FieldError> errors = new ArrayList<>(validate(updated));
        String oldIp = old.path("spec").path("clusterIP").asText("");
        String newIp = updated.path("spec").path("clusterIP").asText("");
        boolean typeChangeToExternal = updated.path("spec").path("type").asText().equals("ExternalName");
        if (!oldIp.isEmpty() && !typeChangeToExternal && !oldIp.equals(newIp)) {
            errors.add(FieldError.invalid("spec.clusterIPs[0]", newIp, "may not change once set"));
        }
        return errors;
    }

    @Override
    public void allocate(ObjectNode service) {
        ObjectNode spec = service.with("spec");
        String type = spec.path("type").asText("ClusterIP");
        String owner = ownerOf(service);
        List<Long> claimedPorts = new ArrayList<>();
        Long claimedIp = null;
        try {
            if (!type.equals("ExternalName")) {
                String asked = spec.path("clusterIP").asText("");
                if (asked.equals("None")) {
                    spec.putArray("clusterIPs").add("None");
                } else if (asked.isEmpty()) {
                    OptionalLong ip = allocations.clusterIps().claimAny(owner);
                    if (ip.isEmpty()) {
                        throw invalid(service, FieldError.invalid("spec.clusterIPs", new FieldError.GoValue("[]string{}"), "failed to allocate IP: the "
                                + "service IP range " + allocations.clusterIpRange() + " is full; delete unused "
                                + "services or configure a larger service-cluster-ip-range"));
                    }
                    claimedIp = ip.getAsLong();
                    setClusterIp(spec, Ipv4.format(claimedIp));
                } else {
                    claimedIp = claimSpecificIp(service, asked, owner);
                    setClusterIp(spec, asked);
                }
            }
            if (type.equals("NodePort") || type.equals("LoadBalancer")) {
                JsonNode ports = spec.path("ports");
                for (int i = 0; i < ports.size(); i++) {
                    if (ports.get(i) instanceof ObjectNode port) {
                        claimedPorts.add(claimNodePort(service, port, i, owner));
                    }
                }
            }
        } catch (RuntimeException e) {
            if (claimedIp != null) {
                allocations.clusterIps().release(claimedIp);
            }
            claimedPorts.stream().filter(p -> p > 0).forEach(allocations.nodePorts()::release);
            throw e;
        }
    }

    /** Updates allocate only what is new: ports gained by a type change or a new port entry. */
    @Override
    public void allocateForUpdate(ObjectNode updated, ObjectNode old) {
        String type = updated.path("spec").path("type").asText("ClusterIP");
        if (!(type.equals("NodePort") || type.equals("LoadBalancer"))) {
            return;
        }
        Set<Long> held = nodePortsOf(old);
        JsonNode ports = updated.path("spec").path("ports");
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i) instanceof ObjectNode port && !(port.has("nodePort")
                    && held.contains(port.get("nodePort").asLong()))) {
                claimNodePort(updated, port, i, ownerOf(updated));
            }
        }
    }

    @Override
    public void releaseUnused(ObjectNode updated, ObjectNode old) {
        Set<Long> still = nodePortsOf(updated);
        for (Long port : nodePortsOf(old)) {
            if (!still.contains(port)) {
                allocations.nodePorts().release(port);
            }
        }
    }

    @Override
    public void release(ObjectNode service) {
        String ip = service.path("spec").path("clusterIP").asText("");
        if (ServiceAllocations.looksLikeIpv4(ip)) {
            long value = Ipv4.parse(ip);
            if (allocations.clusterIps().contains(value)) {
                allocations.clusterIps().release(value);
            }
        }
        nodePortsOf(service).forEach(allocations.nodePorts()::release);
    }

    private long claimSpecificIp(ObjectNode service, String asked, String owner) {
        if (!ServiceAllocations.looksLikeIpv4(asked)) {
            throw invalid(service, FieldError.invalid("spec.clusterIPs[0]", asked,
                    "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
        }
        long value = Ipv4.parse(asked);
        if (!allocations.clusterIps().contains(value)) {
            throw invalid(service, FieldError.invalid("spec.clusterIPs", new FieldError.GoValue("[]string{\"" + asked + "\"}"),
                    "failed to allocate IP " + asked + ": the provided IP (" + asked + ") is not in the valid range. "
                            + "The range of valid IPs is " + allocations.clusterIpRange()));
        }
        if (!allocations.clusterIps().claim(value, owner)) {
            throw invalid(service, FieldError.invalid("spec.clusterIPs", new FieldError.GoValue("[]string{\"" + asked + "\"}"),
                    "failed to allocate IP " + asked + ": provided IP is already allocated"));
        }
        return value;
    }

    private long claimNodePort(ObjectNode service, ObjectNode port, int index, String owner) {
        String path = "spec.ports[" + index + "].nodePort";
        if (port.has("nodePort") && port.get("nodePort").asLong() != 0) {
            long asked = port.get("nodePort").asLong();
            if (!allocations.nodePorts().contains(asked)) {
                throw invalid(service, FieldError.invalid(path, asked, "provided port is not in the valid range. The "
                        + "range of valid ports is " + allocations.nodePortRange()));
            }
            if (!allocations.nodePorts().claim(asked, owner)) {
                throw invalid(service, FieldError.invalid(path, asked, "provided port is already allocated"));
            }
            return asked;
        }
        OptionalLong free = allocations.nodePorts().claimAny(owner);
        if (free.isEmpty()) {
            throw invalid(service, FieldError.invalid(path, 0, "failed to allocate a nodePort: the node port range "
                    + allocations.nodePortRange() + " is full"));
        }
        port.put("nodePort", free.getAsLong());
        return free.getAsLong();
    }

    private static void setClusterIp(ObjectNode spec, String ip) {
        spec.put("clusterIP", ip);
        ArrayNode ips = spec.putArray("clusterIPs");
        ips.add(ip);
    }

    static Set<Long> nodePortsOf(ObjectNode service) {
        Set<Long> ports = new HashSet<>();
        for (JsonNode port : service.path("spec").path("ports")) {
            if (port.has("nodePort") && port.get("nodePort").asLong() > 0) {
                ports.add(port.get("nodePort").asLong());
            }
        }
        return ports;
    }

    private static String ownerOf(ObjectNode service) {
        JsonNode meta = service.path("metadata");
        return meta.path("namespace").asText() + "/" + meta.path("name").asText();
    }

    private static ApiError invalid(ObjectNode service, FieldError error) {
        return ApiError.invalid("", "Service", service.path("metadata").path("name").asText(""), List.of(error));
    }
}
