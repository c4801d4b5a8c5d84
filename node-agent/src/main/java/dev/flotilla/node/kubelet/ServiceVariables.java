package dev.flotilla.node.kubelet;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One service's environment variables, named as upstream's kubelet names them: {@code FOO_BAR_SERVICE_HOST},
 * {@code _SERVICE_PORT} (first port), {@code _SERVICE_PORT_<NAME>} per named port, and the Docker link
 * variables {@code FOO_BAR_PORT=tcp://ip:port}, {@code FOO_BAR_PORT_<port>_<PROTO>} with its
 * {@code _PROTO}, {@code _PORT} and {@code _ADDR}.
 */
final class ServiceVariables {

    private ServiceVariables() {
    }

    static Map<String, String> of(Service service) {
        Map<String, String> env = new LinkedHashMap<>();
        String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
        List<ServicePort> ports = service.getSpec() == null || service.getSpec().getPorts() == null ? List.of()
                : service.getSpec().getPorts();
        if (ip == null || ip.isEmpty() || ip.equals("None") || ports.isEmpty()) {
            return env;
        }
        String name = name(service.getMetadata().getName());
        env.put(name + "_SERVICE_HOST", ip);
        env.put(name + "_SERVICE_PORT", Integer.toString(ports.get(0).getPort()));
        for (ServicePort port : ports) {
            if (port.getName() != null && !port.getName().isEmpty()) {
                env.put(name + "_SERVICE_PORT_" + name(port.getName()), Integer.toString(port.getPort()));
            }
        }
        ServicePort first = ports.get(0);
        env.put(name + "_PORT", url(first, ip));
        for (ServicePort port : ports) {
            String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol().toUpperCase(Locale.ROOT);
            String prefix = name + "_PORT_" + port.getPort() + "_" + protocol;
            env.put(prefix, url(port, ip));
            env.put(prefix + "_PROTO", protocol.toLowerCase(Locale.ROOT));
            env.put(prefix + "_PORT", Integer.toString(port.getPort()));
            env.put(prefix + "_ADDR", ip);
        }
        return env;
    }

    private static String url(ServicePort port, String ip) {
        String protocol = port.getProtocol() == null ? "tcp" : port.getProtocol().toLowerCase(Locale.ROOT);
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        return protocol + "://" + host + ":" + port.getPort();
    }

    private static String name(String serviceName) {
        return serviceName.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
