package dev.flotilla.node.probe;

import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SleepAction;
import io.fabric8.kubernetes.api.model.TCPSocketAction;

/** The one handler a probe or lifecycle hook names: exec, httpGet, tcpSocket, grpc (probes) or sleep (hooks). */
public record Action(ExecAction exec, HTTPGetAction httpGet, TCPSocketAction tcpSocket, GRPCAction grpc,
                     SleepAction sleep) {

    public static Action of(Probe probe) {
        return new Action(probe.getExec(), probe.getHttpGet(), probe.getTcpSocket(), probe.getGrpc(), null);
    }

    public static Action of(LifecycleHandler hook) {
        return new Action(hook.getExec(), hook.getHttpGet(), hook.getTcpSocket(), null, hook.getSleep());
    }
}
