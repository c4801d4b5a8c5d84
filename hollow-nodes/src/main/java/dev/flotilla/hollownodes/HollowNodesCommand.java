package dev.flotilla.hollownodes;

import dev.flotilla.api.cli.CommandLineOptions;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code flotilla hollow-nodes --count N [--cpu 4] [--memory 16Gi] [--pods 110] [--labels k=v,…]
 * [--taints k=v:Effect,…] [--name-prefix hollow-node] [--lease-renew-seconds 10] --kubeconfig FILE}:
 * runs N simulated nodes until stopped.
 */
public final class HollowNodesCommand {

    private HollowNodesCommand() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = CommandLineOptions.parse(args, "help");
        if (options.containsKey("help") || !options.containsKey("count") || !options.containsKey("kubeconfig")) {
            System.err.println("usage: hollow-nodes --count N --kubeconfig FILE [--cpu 4] [--memory 16Gi] [--pods 110]"
                    + " [--labels k=v,...] [--taints k=v:NoSchedule,...] [--name-prefix hollow-node] [--lease-renew-seconds 10]");
            System.exit(options.containsKey("help") ? 0 : 2);
        }
        HollowNodeTemplate template = HollowNodeTemplate.of(options.getOrDefault("name-prefix", "hollow-node"),
                        Integer.parseInt(options.get("count")))
                .withCapacity(options.getOrDefault("cpu", "4"), options.getOrDefault("memory", "16Gi"),
                        options.getOrDefault("pods", "110"))
                .withLabels(labels(options.getOrDefault("labels", "")))
                .withTaints(taints(options.getOrDefault("taints", "")))
                .withLeaseRenewInterval(Duration.ofSeconds(Long.parseLong(options.getOrDefault("lease-renew-seconds", "10"))));
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(Path.of(options.get("kubeconfig"))))).build();
        HollowNodes nodes = new HollowNodes(client, template).start();
        System.out.println(template.count() + " hollow nodes running (" + template.nodeName(0) + " …); Ctrl-C stops them");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            nodes.close();
            client.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    static Map<String, String> labels(String spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            if (!pair.isBlank()) {
                String[] kv = pair.split("=", 2);
                labels.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return labels;
    }

    /** {@code key=value:Effect} or {@code key:Effect}, comma-separated, as kubectl taint writes them. */
    static List<Taint> taints(String spec) {
        List<Taint> taints = new ArrayList<>();
        for (String item : spec.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int colon = item.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("taint needs an effect: " + item);
            }
            String[] kv = item.substring(0, colon).split("=", 2);
            taints.add(new TaintBuilder().withKey(kv[0]).withValue(kv.length > 1 ? kv[1] : null)
                    .withEffect(item.substring(colon + 1)).build());
        }
        return taints;
    }
}
