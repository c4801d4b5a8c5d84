package dev.flotilla.node.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.api.pki.CertificateAuthority;
import dev.flotilla.api.pki.CertificateSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenewalScheduleTest {

    private final X509Certificate certificate = CertificateAuthority.create("ca", Duration.ofDays(1))
            .issue(CertificateSpec.client("system:node:a", List.of("system:nodes"), Duration.ofHours(10))).certificate();

    @Test
    void renewsAtTheChosenFractionOfTheLifetime() {
        Instant from = certificate.getNotBefore().toInstant();
        long lifetime = Duration.between(from, certificate.getNotAfter().toInstant()).toMillis();
        RenewalSchedule schedule = new RenewalSchedule(0.8);

        assertThat(schedule.renewAt(certificate)).isEqualTo(from.plusMillis((long) (lifetime * 0.8)));
        assertThat(schedule.due(certificate, schedule.renewAt(certificate).minusSeconds(1))).isFalse();
        assertThat(schedule.due(certificate, schedule.renewAt(certificate))).isTrue();
    }

    @Test
    void jitterStaysBetweenSeventyAndNinetyPercent() {
        for (int i = 0; i < 200; i++) {
            assertThat(RenewalSchedule.jittered().fraction()).isBetween(0.7, 0.9);
        }
        assertThatThrownBy(() -> new RenewalSchedule(0.95)).isInstanceOf(IllegalArgumentException.class);
    }
}
