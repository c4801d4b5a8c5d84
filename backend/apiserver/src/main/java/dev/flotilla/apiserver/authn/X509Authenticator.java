package dev.flotilla.apiserver.authn;

import dev.flotilla.api.auth.UserInfo;
import jakarta.inject.Singleton;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Authenticates a client certificate that the TLS handshake already verified against the cluster CA:
 * the common name is the user, each organization a group (as kube-apiserver's x509 authenticator).
 */
@Singleton
public class X509Authenticator {

    public Optional<UserInfo> authenticate(SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            return Optional.empty();
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        return fromSubject(leaf.getSubjectX500Principal().getName());
    }

    static Optional<UserInfo> fromSubject(String distinguishedName) {
        try {
            String user = null;
            List<String> groups = new ArrayList<>();
            for (Rdn rdn : new LdapName(distinguishedName).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    user = String.valueOf(rdn.getValue());
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(String.valueOf(rdn.getValue()));
                }
            }
            if (user == null || user.isEmpty()) {
                return Optional.empty();
            }
            groups.add(UserInfo.AUTHENTICATED_GROUP);
            return Optional.of(new UserInfo(user, groups));
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
