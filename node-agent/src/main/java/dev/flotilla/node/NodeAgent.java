package dev.flotilla.node;

import dev.flotilla.node.eviction.ContainerGarbageCollector;
import dev.flotilla.node.eviction.EvictionManager;
import dev.flotilla.node.eviction.EvictionMessages;
import dev.flotilla.node.eviction.EvictionSettings;
import dev.flotilla.node.eviction.GarbageCollection;
import dev.flotilla.node.eviction.ImageGarbageCollector;
import dev.flotilla.node.eviction.NodeSignals;
import dev.flotilla.node.eviction.PodStates;
import dev.flotilla.node.eviction.RuntimePodUsages;
import dev.flotilla.node.eviction.Signal;
import dev.flotilla.node.images.BaseImages;
import dev.flotilla.node.kubelet.PodAdmission;
import dev.flotilla.node.kubelet.ContainerLogFiles;
import dev.flotilla.node.kubelet.StreamTargets;
import dev.flotilla.node.kubelet.Kubelet;
import dev.flotilla.node.kubelet.NodeStatusReporter;
import dev.flotilla.node.runtime.ContainerdSupervisor;
import dev.flotilla.node.runtime.CriClient;
import dev.flotilla.node.server.KubeletServer;
import dev.flotilla.node.stats.StatsCollector;
import dev.flotilla.node.volumes.LocalPathCleaner;
import dev.flotilla.node.join.NodeCertificates;
import dev.flotilla.node.join.NodeCredentials;
import dev.flotilla.node.network.CniConfigWriter;
import dev.flotilla.node.network.PodMasquerade;
import dev.flotilla.node.network.NodeBlocks;
import dev.flotilla.node.network.PodNetwork;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node agent: containerd (its own or an existing one), the base images, the Node and its Lease,
 * the pod network (IPAM blocks and the CNI configuration), the pods bound to the node, the kubelet
 * API with a serving certificate from the cluster, certificate rotation, and node-pressure eviction
 * with image and container garbage collection ({@link EvictionManager}). Closing it leaves the containers running, so the
 * next agent on the same state directory adopts them.
 */
public final class NodeAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    static final Duration RUNTIME_START = Duration.ofSeconds(60);
    /** How long to wait for the cluster to approve and sign the serving certificate. */
    private static final Duration CERTIFICATE_WAIT = Duration.ofMinutes(2);
    static final String POD_NETWORK_NAME = "flotilla";
    /** Claim another IPAM block while this many addresses are still free. */
    static final int POD_ADDRESS_HEADROOM = 8;

    private final NodeAgentConfig config;
    private ContainerdSupervisor containerd;
    private CriClient cri;
    private KubernetesClient client;
    private NodeStatusReporter nodeStatus;
    private PodNetwork podNetwork;
    private Kubelet kubelet;
    private EvictionManager eviction;
    private GarbageCollection garbageCollection;
    private LocalPathCleaner localPaths;
    private AutoCloseable rotation;
    private KubeletServer server;
    private volatile boolean closed;

    public NodeAgent(NodeAgentConfig config) {
        this.config = config;
    }

    /** Starts every part; when one fails, the parts already started are closed again and the error thrown. */
    public NodeAgent start() {
        try {
            startParts();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        return this;
    }

    private void startParts() {
        try {
            Files.createDirectories(config.podLogsDir());
            Files.createDirectories(config.imagesWorkDir());
            Files.createDirectories(config.effectiveCniConfDir());
            Files.createDirectories(config.manifestsDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + config.stateDir(), e);
        }
        var socket = config.containerdSocket();
        if (socket == null) {
            containerd = new ContainerdSupervisor(config.containerdConfig(), config.containerdBinary()).start();
            socket = config.containerdConfig().socket();
            requireOpen();
        }
        cri = new CriClient(socket);
        cri.awaitRuntimeReady(RUNTIME_START, config.containerdDir().resolve("containerd.log"));
        if (config.imageRegistry() != null && containerd != null) {
            config.imageRegistry().writeHostsFiles(config.containerdConfig().registryHostsDir());
        }
        new BaseImages(config.imagesWorkDir()).ensureLoaded(cri, socket, true);
        requireOpen();
        NodeCredentials credentials = new NodeCredentials(config.stateDir());
        client = config.kubeconfig() != null ? NodeApiClients.fromKubeconfig(config.kubeconfig())
                : NodeApiClients.fromJoinedNode(credentials);
        StatsCollector stats = new StatsCollector(config.nodeName(), cri, config.stateDir());
        EvictionSettings evictionSettings = config.eviction();
        NodeSignals signals = new NodeSignals(config.stateDir(), NodeSignals.imageFsOf(cri, config.stateDir()));
        ImageGarbageCollector imageGc = new ImageGarbageCollector(cri, evictionSettings,
                () -> signals.observe().get(Signal.IMAGEFS_AVAILABLE), Set.of(BaseImages.PAUSE), Clock.systemUTC());
        LazyPodStates podStates = new LazyPodStates();
        garbageCollection = new GarbageCollection(imageGc,
                new ContainerGarbageCollector(cri, evictionSettings, podStates, Clock.systemUTC()), evictionSettings);
        eviction = new EvictionManager(evictionSettings, signals,
                new RuntimePodUsages(stats, config.podLogsDir(), config.podVolumesDir()), garbageCollection,
                Clock.systemUTC());
        eviction.synchronize(null); // the first node status already carries the pressure conditions
        nodeStatus = new NodeStatusReporter(client, cri, config.nodeName(), config.nodeIp(), config.kubeletPort(),
                config.stateDir(), eviction::nodeConditions, evictionSettings).start();
        localPaths = new LocalPathCleaner(client, config.nodeName(), config.localPathDir()).start();
        Runnable beforeSandbox = () -> { };
        if (config.podNetwork()) {
            podNetwork = new PodNetwork(new NodeBlocks(client, config.nodeName()),
                    new CniConfigWriter(config.effectiveCniConfDir(), config.ipamDataDir(), POD_NETWORK_NAME),
                    new PodMasquerade(config.stateDir()), POD_ADDRESS_HEADROOM);
            LOG.info("pod network: blocks {}", podNetwork.start());
            beforeSandbox = podNetwork::ensureCapacity;
        }
        EvictionManager manager = eviction;
        kubelet = new Kubelet(config.nodeName(), config.nodeIp(), config.podLogsDir(), config.podVolumesDir(), client, cri,
                beforeSandbox, config.manifestsDir(), pod -> manager.admit(pod)
                        .map(message -> new PodAdmission.Refusal(EvictionMessages.REASON, message))).start();
        podStates.set(kubelet.podStates());
        eviction.start(kubelet.evictablePods());
        garbageCollection.start();
        Path certFile = config.tlsCertFile();
        Path keyFile = config.tlsKeyFile();
        Path clientCa = config.clientCaFile();
        if (certFile == null && config.kubeconfig() == null) {
            NodeCertificates certificates = new NodeCertificates(credentials, config.nodeName(), CERTIFICATE_WAIT, null,
                    LOG::info);
            certificates.ensureServing(List.of(config.nodeName()), List.of(config.nodeIp()), Instant.now());
            rotation = certificates.startRotation(Clock.systemUTC());
            certFile = credentials.certificateFile(NodeCredentials.SERVING);
            keyFile = credentials.keyFile(NodeCredentials.SERVING);
            clientCa = credentials.caFile();
        }
        if (certFile != null) {
            server = new KubeletServer(config.kubeletBindAddress(), config.kubeletPort(), certFile, keyFile, clientCa,
                    config.kubeletApiUsers(), new ContainerLogFiles(kubelet, config.podLogsDir(), cri),
                    new StreamTargets(kubelet, cri), stats,
                    kubelet::pods).start();
        }
    }

    /** A close while starting (the process is being stopped) ends the start; close() stops what started. */
    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the node agent was stopped while starting");
        }
    }

    /** The eviction manager (its conditions and last observations), null before the agent started. */
    public EvictionManager eviction() {
        return eviction;
    }

    /** Container GC asks the kubelet about pods, which starts after the GC is built. */
    private static final class LazyPodStates implements PodStates {
        private volatile PodStates delegate = uid -> false;

        void set(PodStates states) {
            delegate = states;
        }

        @Override
        public boolean contentRemovable(String podUid) {
            return delegate.contentRemovable(podUid);
        }
    }

    public CriClient cri() {
        return cri;
    }

    /** The pod network, or null when the agent was told to leave it to someone else. */
    public PodNetwork podNetwork() {
        return podNetwork;
    }

    public ContainerdSupervisor containerd() {
        return containerd;
    }

    public int kubeletPort() {
        return server == null ? config.kubeletPort() : server.port();
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (AutoCloseable part : new AutoCloseable[] {server, rotation, eviction, garbageCollection, kubelet, localPaths, nodeStatus, client, cri, containerd}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    // closing the rest matters more
                }
            }
        }
        if (podNetwork != null) {
            try {
                podNetwork.stop();
            } catch (RuntimeException e) {
                LOG.warn("cannot remove the pod masquerade: {}", e.getMessage());
            }
        }
    }
}
