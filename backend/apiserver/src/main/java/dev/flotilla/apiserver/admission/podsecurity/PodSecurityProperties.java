package dev.flotilla.apiserver.admission.podsecurity;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.util.List;

/**
 * PodSecurity admission ({@code flotilla.apiserver.pod-security.*}), as upstream's
 * PodSecurityConfiguration: the levels a namespace without labels gets (upstream's default is
 * privileged for all three modes) and the exemptions (usernames, namespaces, runtime class names)
 * that are never checked.
 */
@ConfigurationProperties("flotilla.apiserver.pod-security")
public class PodSecurityProperties {

    private String enforce = "privileged";
    private String enforceVersion = LevelVersion.LATEST;
    private String audit = "privileged";
    private String auditVersion = LevelVersion.LATEST;
    private String warn = "privileged";
    private String warnVersion = LevelVersion.LATEST;
    private List<String> exemptUsernames = List.of();
    private List<String> exemptNamespaces = List.of();
    private List<String> exemptRuntimeClasses = List.of();

    /** The defaults as a policy; a bad setting fails start-up, as upstream's configuration validation. */
    public NamespacePolicy defaults() {
        return new NamespacePolicy(level("enforce", enforce, enforceVersion), level("audit", audit, auditVersion),
                level("warn", warn, warnVersion));
    }

    private static LevelVersion level(String mode, String level, String version) {
        return LevelVersion.parse(level, version).orElseThrow(() -> new IllegalStateException(
                "flotilla.apiserver.pod-security." + mode + ": \"" + level + ":" + version
                        + "\" is not a level (" + Level.VALID + ") at a version (latest or v1.x)"));
    }

    public String getEnforce() {
        return enforce;
    }

    public void setEnforce(String enforce) {
        this.enforce = enforce;
    }

    public String getEnforceVersion() {
        return enforceVersion;
    }

    public void setEnforceVersion(String enforceVersion) {
        this.enforceVersion = enforceVersion;
    }

    public String getAudit() {
        return audit;
    }

    public void setAudit(String audit) {
        this.audit = audit;
    }

    public String getAuditVersion() {
        return auditVersion;
    }

    public void setAuditVersion(String auditVersion) {
        this.auditVersion = auditVersion;
    }

    public String getWarn() {
        return warn;
    }

    public void setWarn(String warn) {
        this.warn = warn;
    }

    public String getWarnVersion() {
        return warnVersion;
    }

    public void setWarnVersion(String warnVersion) {
        this.warnVersion = warnVersion;
    }

    public List<String> getExemptUsernames() {
        return exemptUsernames;
    }

    public void setExemptUsernames(List<String> exemptUsernames) {
        this.exemptUsernames = exemptUsernames;
    }

    public List<String> getExemptNamespaces() {
        return exemptNamespaces;
    }

    public void setExemptNamespaces(List<String> exemptNamespaces) {
        this.exemptNamespaces = exemptNamespaces;
    }

    public List<String> getExemptRuntimeClasses() {
        return exemptRuntimeClasses;
    }

    public void setExemptRuntimeClasses(List<String> exemptRuntimeClasses) {
        this.exemptRuntimeClasses = exemptRuntimeClasses;
    }
}
