package dev.flotilla.e2e;

import dev.flotilla.testsupport.FreePorts;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Settings that make a {@code flotilla} launcher run use its own state directory and free ports. */
final class LauncherEnvironment {

    private LauncherEnvironment() {
    }

    static Map<String, String> isolated(Path stateDir) {
        Map<String, String> env = new HashMap<>();
        env.put("FLOTILLA_STATE_DIR", stateDir.toString());
        env.put("FLOTILLA_APISERVER_PORT", Integer.toString(FreePorts.next()));
        env.put("FLOTILLA_APISERVER_BIND_ADDRESS", "127.0.0.1");
        env.put("FLOTILLA_ETCD_CLIENT_PORT", Integer.toString(FreePorts.next()));
        env.put("FLOTILLA_ETCD_PEER_PORT", Integer.toString(FreePorts.next()));
        env.put("FLOTILLA_POSTGRES_PORT", Integer.toString(FreePorts.next()));
        env.put("FLOTILLA_KEYCLOAK_PORT", Integer.toString(FreePorts.next()));
        env.put("FLOTILLA_KUBELET_PORT", Integer.toString(FreePorts.next()));
        env.put("FLOTILLA_REGISTRY_PORT", Integer.toString(FreePorts.next()));
        env.put("FLOTILLA_APISERVER_JAVA_OPTS", "-Xms32m -Xmx512m");
        // The suite already built everything and installed its prerequisites.
        env.put("FLOTILLA_SKIP_BUILD", "1");
        env.put("FLOTILLA_SKIP_INSTALL", "1");
        return env;
    }
}
