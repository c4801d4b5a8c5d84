package dev.flotilla.apiserver;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the API server listens. Set as {@code flotilla.apiserver.*} properties or
 * {@code FLOTILLA_APISERVER_*} environment variables.
 */
@ConfigurationProperties("flotilla.apiserver")
public class ApiServerProperties {

    private String bindAddress = "0.0.0.0";
    private int port = 6443;
    /** Host clients use to reach this server; goes into the admin kubeconfig. */
    private String advertiseHost = "127.0.0.1";
    /** Extra DNS names and IP addresses for the serving certificate. */
    private List<String> extraSans = List.of();
    private Path stateDir = Path.of("/var/lib/flotilla");
    private int maxRequestBodyBytes = 3 * 1024 * 1024;
    private int workerThreads = 64;
    /** Requests served at once (watches and streams excepted); more get 429 with Retry-After. */
    private int maxRequestsInFlight = 400;
    private String serviceClusterIpRange = "10.96.0.0/12";
    private String serviceNodePortRange = "30000-32767";
    /** How often cluster IPs and node ports that no Service holds are looked for and given back. */
    private Duration serviceAllocationRepairInterval = Duration.ofMinutes(3);
    /** {@code iss} of service account tokens, and the issuer served by OIDC discovery. */
    private String serviceAccountIssuer = "https://kubernetes.default.svc.cluster.local";
    /** Audiences the API accepts in tokens; empty means the issuer alone, as upstream. */
    private List<String> apiAudiences = List.of();
    /**
     * As kube-apiserver's {@code --anonymous-auth}: whether requests without credentials may reach
     * the public-info paths (health, version) as {@code system:anonymous}. Everything else answers
     * 401 to them either way; false makes the public paths 401 too.
     */
    private boolean anonymousAuth = true;

    public boolean isAnonymousAuth() {
        return anonymousAuth;
    }

    public void setAnonymousAuth(boolean anonymousAuth) {
        this.anonymousAuth = anonymousAuth;
    }

    public String getBindAddress() {
        return bindAddress;
    }

    public void setBindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getAdvertiseHost() {
        return advertiseHost;
    }

    public void setAdvertiseHost(String advertiseHost) {
        this.advertiseHost = advertiseHost;
    }

    public List<String> getExtraSans() {
        return extraSans;
    }

    public void setExtraSans(List<String> extraSans) {
        this.extraSans = List.copyOf(extraSans);
    }

    public Path getStateDir() {
        return stateDir;
    }

    public void setStateDir(Path stateDir) {
        this.stateDir = stateDir;
    }

    public int getMaxRequestBodyBytes() {
        return maxRequestBodyBytes;
    }

    public void setMaxRequestBodyBytes(int maxRequestBodyBytes) {
        this.maxRequestBodyBytes = maxRequestBodyBytes;
    }

    public int getWorkerThreads() {
        return workerThreads;
    }

    public void setWorkerThreads(int workerThreads) {
        this.workerThreads = workerThreads;
    }

    public int getMaxRequestsInFlight() {
        return maxRequestsInFlight;
    }

    public void setMaxRequestsInFlight(int maxRequestsInFlight) {
        this.maxRequestsInFlight = maxRequestsInFlight;
    }

    public String getServiceClusterIpRange() {
        return serviceClusterIpRange;
    }

    public void setServiceClusterIpRange(String serviceClusterIpRange) {
        this.serviceClusterIpRange = serviceClusterIpRange;
    }

    public Duration getServiceAllocationRepairInterval() {
        return serviceAllocationRepairInterval;
    }

    public void setServiceAllocationRepairInterval(Duration serviceAllocationRepairInterval) {
        this.serviceAllocationRepairInterval = serviceAllocationRepairInterval;
    }

    public String getServiceNodePortRange() {
        return serviceNodePortRange;
    }

    public void setServiceNodePortRange(String serviceNodePortRange) {
        this.serviceNodePortRange = serviceNodePortRange;
    }

    public String getServiceAccountIssuer() {
        return serviceAccountIssuer;
    }

    public void setServiceAccountIssuer(String serviceAccountIssuer) {
        this.serviceAccountIssuer = serviceAccountIssuer;
    }

    public List<String> getApiAudiences() {
        return apiAudiences.isEmpty() ? List.of(serviceAccountIssuer) : apiAudiences;
    }

    public void setApiAudiences(List<String> apiAudiences) {
        this.apiAudiences = List.copyOf(apiAudiences);
    }

    public Path pkiDir() {
        return stateDir.resolve("pki");
    }

    public Path adminKubeconfig() {
        return stateDir.resolve("admin.kubeconfig");
    }
}
