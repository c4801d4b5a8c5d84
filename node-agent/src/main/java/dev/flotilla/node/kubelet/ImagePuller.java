package dev.flotilla.node.kubelet;

import dev.flotilla.node.cri.v1.AuthConfig;
import dev.flotilla.node.images.DockerKeyring;
import dev.flotilla.node.images.ImageReference;
import dev.flotilla.node.runtime.CriClient;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes sure a container's image is on the node, as upstream's image manager: {@code imagePullPolicy}
 * (Never: {@code ErrImageNeverPull}; IfNotPresent: pull when missing; Always: pull each time), the
 * pod's pull secrets as CRI credentials ({@link DockerKeyring}), a failed pull is {@code ErrImagePull}
 * with the runtime's error and starts {@link ImagePullBackOff}, during which the container waits in
 * {@code ImagePullBackOff} ("Back-off pulling image ..."); the Pulling, Pulled, Failed and BackOff
 * events as upstream writes them. There is no local-copy fallback: a failed pull fails.
 */
final class ImagePuller {

    /**
     * How long a pull error stays the container's reason before the back-off shows: upstream's pod worker
     * retries a failed sync after 10 s, while this kubelet also syncs on its own status echo, which would
     * otherwise replace ErrImagePull within milliseconds.
     */
    static final Duration ERROR_SHOWN = Duration.ofSeconds(10);
    /** When a pod waiting for an image it may not pull (Never) looks again, as upstream's pod worker. */
    static final Duration NEVER_PULL_RETRY = Duration.ofSeconds(10);

    /** The image is there ({@code waiting} null), or why the container waits and when to look again. */
    record Outcome(ContainerWaiting waiting, Duration retryIn) {

        static final Outcome READY = new Outcome(null, null);

        boolean ready() {
            return waiting == null;
        }
    }

    private final CriClient cri;
    private final PullSecrets secrets;
    private final PodEvents events;
    private final Clock clock;
    private final ImagePullBackOff backOff = new ImagePullBackOff();

    ImagePuller(CriClient cri, PullSecrets secrets, PodEvents events, Clock clock) {
        this.cri = cri;
        this.secrets = secrets;
        this.events = events;
        this.clock = clock;
    }

    /** The sandbox image: pulled (anonymously) only when the node lacks it; a failure is thrown. */
    void ensureSandboxImage(String image) {
        if (cri.imageStatus(image).isEmpty()) {
            cri.pullImage(image);
        }
    }

    Outcome ensure(Pod pod, Container container) {
        String image = container.getImage();
        ImageReference reference;
        try {
            reference = ImageReference.parse(image);
        } catch (IllegalArgumentException e) {
            String message = "Failed to apply default image tag \"" + image + "\": couldn't parse image name \"" + image
                    + "\": invalid reference format";
            events.warning(pod, "InspectFailed", message);
            return failed(pod, "InvalidImageName", message, NEVER_PULL_RETRY);
        }
        boolean present;
        try {
            present = cri.imageStatus(image).isPresent();
        } catch (StatusRuntimeException e) {
            String message = "Failed to inspect image \"" + image + "\": " + grpcError(e);
            events.warning(pod, "InspectFailed", message);
            return failed(pod, "ImageInspectError", message, NEVER_PULL_RETRY);
        }
        String policy = effectivePolicy(container.getImagePullPolicy(), reference);
        if (present && !policy.equals("Always")) {
            events.normal(pod, "Pulled", "Container image \"" + image + "\" already present on machine");
            return Outcome.READY;
        }
        if (policy.equals("Never")) {
            String message = "Container image \"" + image + "\" is not present with pull policy of Never";
            events.warning(pod, "ErrImageNeverPull", message);
            return failed(pod, "ErrImageNeverPull", message, NEVER_PULL_RETRY);
        }
        String key = ImagePullBackOff.key(pod.getMetadata().getUid(), image);
        Instant now = clock.instant();
        Optional<ImagePullBackOff.Failure> last = backOff.inBackOff(key, now);
        if (last.isPresent()) {
            Instant shownUntil = last.get().failedAt().plus(ERROR_SHOWN);
            if (now.isBefore(shownUntil)) {
                return new Outcome(new ContainerWaiting("ErrImagePull", last.get().message()),
                        earliest(Duration.between(now, shownUntil), Duration.between(now, last.get().retryAt())));
            }
            String message = "Back-off pulling image \"" + image + "\"";
            events.normal(pod, "BackOff", message);
            return failed(pod, "ImagePullBackOff", message, Duration.between(now, last.get().retryAt()));
        }
        return pull(pod, image, reference, key);
    }

    private Outcome pull(Pod pod, String image, ImageReference reference, String key) {
        events.normal(pod, "Pulling", "Pulling image \"" + image + "\"");
        Instant began = clock.instant();
        String imageRef;
        try {
            imageRef = pullWith(image, DockerKeyring.of(secrets.of(pod)).lookup(reference.name()));
        } catch (PullFailedException | IllegalArgumentException e) {
            events.warning(pod, "Failed", "Failed to pull image \"" + image + "\": " + e.getMessage());
            backOff.failed(key, clock.instant(), e.getMessage());
            return failed(pod, "ErrImagePull", e.getMessage(), ERROR_SHOWN);
        }
        backOff.succeeded(key);
        String took = goDuration(Duration.between(began, clock.instant()));
        long size = sizeOf(imageRef);
        events.normal(pod, "Pulled", "Successfully pulled image \"" + image + "\" in " + took + " (" + took
                + " including waiting). Image size: " + size + " bytes.");
        return Outcome.READY;
    }

    /** Each matching credential in turn until one works (anonymous when none); every error when none does. */
    private String pullWith(String image, List<DockerKeyring.Credential> credentials) {
        if (credentials.isEmpty()) {
            try {
                return cri.pullImage(image);
            } catch (StatusRuntimeException e) {
                throw new PullFailedException(grpcError(e));
            }
        }
        List<String> errors = new ArrayList<>();
        for (DockerKeyring.Credential credential : credentials) {
            try {
                return cri.pullImage(image, AuthConfig.newBuilder().setUsername(credential.username())
                        .setPassword(credential.password()).setAuth(credential.auth())
                        .setIdentityToken(credential.identityToken()).build());
            } catch (StatusRuntimeException e) {
                errors.add(grpcError(e));
            }
        }
        // As upstream's aggregate error: one error as it is, several in brackets.
        throw new PullFailedException(errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]");
    }

    private long sizeOf(String imageRef) {
        try {
            return cri.imageStatus(imageRef).map(i -> i.getSize()).orElse(0L);
        } catch (StatusRuntimeException e) {
            return 0;
        }
    }

    /** Records the failure event upstream writes for every container start that did not happen. */
    private Outcome failed(Pod pod, String reason, String message, Duration retryIn) {
        events.warning(pod, "Failed", "Error: " + reason);
        return new Outcome(new ContainerWaiting(reason, message), retryIn);
    }

    void forgetPod(String podUid) {
        backOff.forgetPod(podUid);
    }

    /** The API server's default when the field is unset (static pods may leave it): Always for {@code :latest}. */
    static String effectivePolicy(String policy, ImageReference reference) {
        if (policy != null && !policy.isEmpty()) {
            return policy;
        }
        return reference.digest() == null && "latest".equals(reference.tag()) ? "Always" : "IfNotPresent";
    }

    /** A runtime error as the kubelet (grpc-go) prints it: {@code rpc error: code = NotFound desc = ...}. */
    static String grpcError(StatusRuntimeException e) {
        Status status = e.getStatus();
        return "rpc error: code = " + goCodeName(status.getCode()) + " desc = "
                + (status.getDescription() == null ? "" : status.getDescription());
    }

    private static String goCodeName(Status.Code code) {
        if (code == Status.Code.OK) {
            return "OK";
        }
        if (code == Status.Code.CANCELLED) {
            return "Canceled";
        }
        StringBuilder name = new StringBuilder();
        for (String word : code.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase());
        }
        return name.toString();
    }

    /** A duration as Go prints one truncated to milliseconds: {@code 523ms}, {@code 1.2s}, {@code 1m2.5s}. */
    static String goDuration(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis == 0) {
            return "0s";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        StringBuilder text = new StringBuilder();
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            text.append(minutes).append('m');
        }
        long secondsMillis = millis % 60_000;
        text.append(secondsMillis / 1000);
        long fraction = secondsMillis % 1000;
        if (fraction > 0) {
            text.append('.').append(String.format("%03d", fraction).replaceAll("0+$", ""));
        }
        return text.append('s').toString();
    }

    private static Duration earliest(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static final class PullFailedException extends RuntimeException {

        PullFailedException(String message) {
            super(message);
        }
    }
}
