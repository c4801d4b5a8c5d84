package dev.flotilla.node.runtime;

import java.nio.file.Path;

/**
 * The containerd configuration the agent writes for a containerd of its own: every path (root,
 * state, socket, runc root, opt, CNI configuration) under the agent's state directory, so several
 * agents and the host's own containerd never share anything, plus the CRI settings these hosts need
 * (see HOST-FACTS: no negative oom_score_adj, network namespaces under the state directory).
 */
public record ContainerdConfig(Path directory, Path cniConfDir, Path cniBinDir, String sandboxImage) {

    public Path root() {
        return directory.resolve("root");
    }

    public Path state() {
        return directory.resolve("state");
    }

    public Path socket() {
        return directory.resolve("containerd.sock");
    }

    public Path runcRoot() {
        return directory.resolve("runc");
    }

    public Path optDir() {
        return directory.resolve("opt");
    }

    /** containerd's registry {@code config_path}: a {@code <host>/hosts.toml} per configured registry. */
    public Path registryHostsDir() {
        return directory.resolve("certs.d");
    }

    public Path file() {
        return directory.resolve("config.toml");
    }

    /** The config.toml text (containerd config version 2). */
    public String render() {
        String cri = "[plugins.\"io.containerd.grpc.v1.cri\"]";
        return """
                version = 2
                root = %s
                state = %s
                disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", \
                "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]

                [grpc]
                  address = %s

                [ttrpc]
                  address = %s

                [plugins."io.containerd.internal.v1.opt"]
                  path = %s

                %s
                  sandbox_image = %s
                  restrict_oom_score_adj = true
                  netns_mounts_under_state_dir = true
                  disable_apparmor = true
                  stream_server_address = "127.0.0.1"
                  stream_server_port = "0"
                  enable_tls_streaming = false
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                        Root = %s
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = %s
                    conf_dir = %s
                  [plugins."io.containerd.grpc.v1.cri".registry]
                    config_path = %s
                """.formatted(quote(root()), quote(state()), quote(socket()), quote(socket() + ".ttrpc"),
                quote(optDir()), cri, quote(sandboxImage), quote(runcRoot()), quote(cniBinDir), quote(cniConfDir),
                quote(registryHostsDir()));
    }

    private static String quote(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
