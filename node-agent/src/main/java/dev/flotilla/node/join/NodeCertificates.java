package dev.flotilla.node.join;

import dev.flotilla.api.pki.IssuedCertificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A joined node's certificates after the bootstrap token is spent: the kubelet serving certificate
 * (requested as {@code system:node:<name>}, approved when its names are the Node's addresses) and the
 * renewal of both certificates at 70-90% of their lifetime, each time with the node's current client
 * certificate. The kubelet calls {@link #obtainServing} once its Node is registered and
 * {@link #startRotation} for as long as it runs.
 */
public final class NodeCertificates {

    public static final String NODES_GROUP = "system:nodes";
    public static final String KUBELET_SERVING_SIGNER = "kubernetes.io/kubelet-serving";
    static final List<String> CLIENT_USAGES = List.of("digital signature", "client auth");
    static final List<String> SERVING_USAGES = List.of("digital signature", "server auth");
    private static final Duration CHECK_EVERY = Duration.ofMinutes(1);

    private final NodeCredentials credentials;
    private final String nodeName;
    private final Duration timeout;
    private final Duration lifetime;
    private final Consumer<String> progress;
    private final RenewalSchedule schedule = RenewalSchedule.jittered();
    private volatile List<String> servingDnsNames = List.of();
    private volatile List<String> servingIps = List.of();

    public NodeCertificates(NodeCredentials credentials, String nodeName, Duration timeout, Duration lifetime,
            Consumer<String> progress) {
        this.credentials = credentials;
        this.nodeName = nodeName;
        this.timeout = timeout;
        this.lifetime = lifetime;
        this.progress = progress;
    }

    static String userOf(String nodeName) {
        return "system:node:" + nodeName;
    }

    /** Requests the serving certificate for these names (the Node's addresses) and saves it. */
    public IssuedCertificate obtainServing(List<String> dnsNames, List<String> ipAddresses) {
        servingDnsNames = List.copyOf(dnsNames);
        servingIps = List.copyOf(ipAddresses);
        IssuedCertificate serving = requester().request(servingWanted());
        credentials.saveServing(serving);
        return serving;
    }

    /**
     * The serving certificate for these names: the one saved earlier when it names them all and its
     * renewal time has not come (an agent restart), otherwise a new one requested now.
     */
    public IssuedCertificate ensureServing(List<String> dnsNames, List<String> ipAddresses, Instant now) {
        var saved = credentials.load(NodeCredentials.SERVING);
        if (saved.isPresent() && !schedule.due(saved.get().certificate(), now)
                && namesOf(saved.get(), 2).containsAll(dnsNames) && namesOf(saved.get(), 7).containsAll(ipAddresses)) {
            servingDnsNames = List.copyOf(dnsNames);
            servingIps = List.copyOf(ipAddresses);
            return saved.get();
        }
        progress.accept("[serving] requesting the kubelet serving certificate for " + dnsNames + " " + ipAddresses);
        return obtainServing(dnsNames, ipAddresses);
    }

    /** Renews each certificate whose renewal time has come; returns the names renewed. */
    public List<String> renewDue(Instant now) {
        List<String> renewed = new ArrayList<>();
        IssuedCertificate client = credentials.load(NodeCredentials.CLIENT).orElseThrow(
                () -> new JoinException("the node has not joined: no client certificate in " + credentials.kubeconfig()));
        if (schedule.due(client.certificate(), now)) {
            progress.accept("[rotation] renewing the client certificate (expires " + client.certificate().getNotAfter()
                    .toInstant() + ")");
            IssuedCertificate fresh = requester().request(new CertificateRequester.Wanted(userOf(nodeName),
                    List.of(NODES_GROUP), List.of(), List.of(), NodeJoin.KUBELET_CLIENT_SIGNER, CLIENT_USAGES, lifetime));
            credentials.saveClient(cluster(), userOf(nodeName), fresh);
            renewed.add(NodeCredentials.CLIENT);
        }
        var serving = credentials.load(NodeCredentials.SERVING);
        if (serving.isPresent() && schedule.due(serving.get().certificate(), now)) {
            progress.accept("[rotation] renewing the serving certificate");
            if (servingDnsNames.isEmpty() && servingIps.isEmpty()) {
                servingDnsNames = namesOf(serving.get(), 2);
                servingIps = namesOf(serving.get(), 7);
            }
            credentials.saveServing(requester().request(servingWanted()));
            renewed.add(NodeCredentials.SERVING);
        }
        return renewed;
    }

    /** Checks every minute; failures are reported and retried at the next check. Close to stop. */
    public AutoCloseable startRotation(Clock clock) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "certificate-rotation");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                renewDue(clock.instant());
            } catch (RuntimeException e) {
                progress.accept("[rotation] renewal failed, retrying in a minute: " + e.getMessage());
            }
        }, 0, CHECK_EVERY.toSeconds(), TimeUnit.SECONDS);
        return timer::shutdownNow;
    }

    private CertificateRequester.Wanted servingWanted() {
        return new CertificateRequester.Wanted(userOf(nodeName), List.of(NODES_GROUP), servingDnsNames, servingIps,
                KUBELET_SERVING_SIGNER, SERVING_USAGES, lifetime);
    }

    private CertificateRequester requester() {
        IssuedCertificate client = credentials.load(NodeCredentials.CLIENT).orElseThrow(
                () -> new JoinException("the node has not joined yet: run 'node-agent join' first"));
        return new CertificateRequester(ApiConnection.withCertificate(cluster(), client.certificate(),
                client.privateKey()), timeout, progress);
    }

    private TrustedCluster cluster() {
        return credentials.cluster().orElseThrow(
                () -> new JoinException("the node has not joined yet: run 'node-agent join' first"));
    }

    private static List<String> namesOf(IssuedCertificate issued, int type) {
        try {
            var names = issued.certificate().getSubjectAlternativeNames();
            return names == null ? List.of() : names.stream().filter(n -> (Integer) n.get(0) == type)
                    .map(n -> String.valueOf(n.get(1))).toList();
        } catch (java.security.cert.CertificateParsingException e) {
            return List.of();
        }
    }
}
