package dev.flotilla.node.join;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to renew a certificate: at a random point between 70% and 90% of its lifetime, as the
 * kubelet's certificate manager does, so that nodes joined together do not all renew together.
 */
record RenewalSchedule(double fraction) {

    static final double EARLIEST = 0.7;
    static final double LATEST = 0.9;

    RenewalSchedule {
        if (fraction < EARLIEST || fraction > LATEST) {
            throw new IllegalArgumentException("renewal must fall between 70% and 90% of the lifetime");
        }
    }

    static RenewalSchedule jittered() {
        return new RenewalSchedule(ThreadLocalRandom.current().nextDouble(EARLIEST, LATEST));
    }

    Instant renewAt(X509Certificate certificate) {
        Instant from = certificate.getNotBefore().toInstant();
        Instant to = certificate.getNotAfter().toInstant();
        long lifetimeMillis = Duration.between(from, to).toMillis();
        return from.plusMillis((long) (lifetimeMillis * fraction));
    }

    boolean due(X509Certificate certificate, Instant now) {
        return !now.isBefore(renewAt(certificate));
    }
}
