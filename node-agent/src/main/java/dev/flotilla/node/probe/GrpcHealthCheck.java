package dev.flotilla.node.probe;

import dev.flotilla.node.grpc.health.v1.HealthCheckRequest;
import dev.flotilla.node.grpc.health.v1.HealthCheckResponse;
import dev.flotilla.node.grpc.health.v1.HealthGrpc;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A grpc handler: the standard {@code grpc.health.v1.Health/Check} call over plaintext to the pod,
 * success only for SERVING, with upstream's messages.
 */
final class GrpcHealthCheck {

    private final EventLoopGroup events = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    Outcome check(GRPCAction action, ActionTarget target, Duration timeout) {
        String address = target.podIp() + ":" + action.getPort();
        ManagedChannel channel = NettyChannelBuilder.forAddress(target.podIp(), action.getPort())
                .eventLoopGroup(events).channelType(NioSocketChannel.class).usePlaintext()
                .userAgent(HttpGetCheck.USER_AGENT).build();
        try {
            HealthCheckResponse response = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.newBuilder()
                            .setService(action.getService() == null ? "" : action.getService()).build());
            if (response.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
                return Outcome.SUCCESS;
            }
            return Outcome.failure("service unhealthy (responded with \"" + response.getStatus().name() + "\")");
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.UNAVAILABLE) {
                return Outcome.failure("timeout: failed to connect service \"" + address + "\" within "
                        + timeout.toSeconds() + "s");
            }
            return Outcome.failure("rpc error: code = " + code + " desc = " + e.getStatus().getDescription());
        } finally {
            channel.shutdownNow();
        }
    }

    void close() {
        events.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
