package dev.flotilla.api.pki;

import java.time.Duration;
import java.util.List;

/**
 * What a certificate says about its holder. Kubernetes reads client identities from certificates:
 * the common name is the user name and each organization is a group.
 */
public record CertificateSpec(
        String commonName,
        List<String> organizations,
        List<String> dnsNames,
        List<String> ipAddresses,
        Usage usage,
        Duration validity) {

    public enum Usage { CLIENT, SERVER, CLIENT_AND_SERVER }

    public CertificateSpec {
        organizations = List.copyOf(organizations);
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        if (commonName == null || commonName.isBlank()) {
            throw new IllegalArgumentException("a certificate needs a common name");
        }
    }

    public static CertificateSpec client(String user, List<String> groups, Duration validity) {
        return new CertificateSpec(user, groups, List.of(), List.of(), Usage.CLIENT, validity);
    }

    public static CertificateSpec server(String commonName, List<String> dnsNames, List<String> ipAddresses,
            Duration validity) {
        return new CertificateSpec(commonName, List.of(), dnsNames, ipAddresses, Usage.SERVER, validity);
    }
}
