package dev.flotilla.node.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.node.images.ImageReference;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ImagePullBackOffTest {

    private final ImagePullBackOff backOff = new ImagePullBackOff();
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void tenSecondsDoublingToFiveMinutesThenResetAfterAQuietSpell() {
        String key = ImagePullBackOff.key("uid", "busybox");
        assertThat(backOff.inBackOff(key, t0)).isEmpty();
        Instant t = t0;
        Duration expected = Duration.ofSeconds(10);
        for (int i = 0; i < 8; i++) {
            ImagePullBackOff.Failure failure = backOff.failed(key, t, "boom " + i);
            assertThat(failure.delay()).isEqualTo(expected);
            assertThat(backOff.inBackOff(key, t.plus(expected).minusMillis(1))).get()
                    .extracting(ImagePullBackOff.Failure::message).isEqualTo("boom " + i);
            t = t.plus(expected);
            assertThat(backOff.inBackOff(key, t)).isEmpty();
            expected = expected.multipliedBy(2).compareTo(ImagePullBackOff.MAX) > 0 ? ImagePullBackOff.MAX : expected.multipliedBy(2);
        }
        assertThat(backOff.failed(key, t.plus(Duration.ofMinutes(11)), "later").delay()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void perPodAndImage() {
        backOff.failed(ImagePullBackOff.key("a", "img:1"), t0, "x");
        assertThat(backOff.inBackOff(ImagePullBackOff.key("a", "img:2"), t0)).isEmpty();
        assertThat(backOff.inBackOff(ImagePullBackOff.key("b", "img:1"), t0)).isEmpty();
        backOff.forgetPod("a");
        assertThat(backOff.inBackOff(ImagePullBackOff.key("a", "img:1"), t0)).isEmpty();
    }

    @Test
    void durationsAndErrorsPrintedAsTheKubeletDoes() {
        assertThat(ImagePuller.goDuration(Duration.ZERO)).isEqualTo("0s");
        assertThat(ImagePuller.goDuration(Duration.ofMillis(312))).isEqualTo("312ms");
        assertThat(ImagePuller.goDuration(Duration.ofMillis(1200))).isEqualTo("1.2s");
        assertThat(ImagePuller.goDuration(Duration.ofMillis(2000))).isEqualTo("2s");
        assertThat(ImagePuller.goDuration(Duration.ofMillis(62_345))).isEqualTo("1m2.345s");
        assertThat(ImagePuller.goDuration(Duration.ofHours(1))).isEqualTo("1h0m0s");
        assertThat(ImagePuller.grpcError(Status.NOT_FOUND.withDescription("x: not found").asRuntimeException()))
                .isEqualTo("rpc error: code = NotFound desc = x: not found");
        assertThat(ImagePuller.grpcError(Status.DEADLINE_EXCEEDED.withDescription("d").asRuntimeException()))
                .isEqualTo("rpc error: code = DeadlineExceeded desc = d");
        assertThat(ImagePuller.grpcError(Status.CANCELLED.asRuntimeException())).isEqualTo("rpc error: code = Canceled desc = ");
    }

    @Test
    void unsetPolicyDefaultsAsTheApiServerDoes() {
        assertThat(ImagePuller.effectivePolicy(null, ImageReference.parse("busybox"))).isEqualTo("Always");
        assertThat(ImagePuller.effectivePolicy(null, ImageReference.parse("busybox:1.36"))).isEqualTo("IfNotPresent");
        assertThat(ImagePuller.effectivePolicy("Never", ImageReference.parse("busybox"))).isEqualTo("Never");
    }
}
