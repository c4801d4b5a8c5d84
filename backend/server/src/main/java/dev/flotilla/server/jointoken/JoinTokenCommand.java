package dev.flotilla.server.jointoken;

import dev.flotilla.api.bootstrap.BootstrapTokenSecret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code flotilla join-token create [--ttl 24h] [--description TEXT] | list | delete ID|TOKEN}, run by the
 * launcher with {@code --kubeconfig}. {@code create} prints the token on its first line and the
 * {@code node-agent join} command on its second.
 */
public final class JoinTokenCommand {

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(h|m|s)");

    private JoinTokenCommand() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        String kubeconfig = option(rest, "--kubeconfig", null);
        String ttl = option(rest, "--ttl", "24h");
        String description = option(rest, "--description", "");
        if (kubeconfig == null || rest.isEmpty()) {
            err.println("usage: join-token --kubeconfig FILE create [--ttl 24h] [--description TEXT] | list"
                    + " | delete ID|TOKEN");
            return 2;
        }
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(Path.of(kubeconfig)))).build()) {
            JoinTokens tokens = new JoinTokens(client);
            switch (rest.get(0)) {
                case "create" -> {
                    JoinTokens.Created created = tokens.create(duration(ttl), description);
                    out.println(created.token().token().value());
                    out.println(created.joinCommand());
                }
                case "list" -> print(tokens.list(), out);
                case "delete" -> {
                    if (rest.size() != 2) {
                        err.println("usage: join-token delete ID|TOKEN");
                        return 2;
                    }
                    if (!tokens.delete(rest.get(1))) {
                        err.println("join-token: no token " + rest.get(1) + " (see: flotilla join-token list)");
                        return 1;
                    }
                    out.println("bootstrap token \"" + rest.get(1).split("\\.")[0] + "\" deleted");
                }
                default -> {
                    err.println("join-token: unknown subcommand " + rest.get(0) + " (create, list, delete)");
                    return 2;
                }
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("join-token: " + e.getMessage());
            return 2;
        } catch (KubernetesClientException e) {
            err.println("join-token: the API server refused: " + e.getMessage());
            return 1;
        }
    }

    /** kubeadm's columns: TOKEN TTL EXPIRES USAGES DESCRIPTION EXTRA GROUPS. */
    private static void print(List<BootstrapTokenSecret> tokens, PrintStream out) {
        String format = "%-24s %-8s %-21s %-32s %-24s %s%n";
        out.printf(format, "TOKEN", "TTL", "EXPIRES", "USAGES", "DESCRIPTION", "EXTRA GROUPS");
        Instant now = Instant.now();
        for (BootstrapTokenSecret token : tokens) {
            List<String> usages = new ArrayList<>();
            if (token.authentication()) {
                usages.add("authentication");
            }
            if (token.signing()) {
                usages.add("signing");
            }
            String ttl = token.expiresAt().map(at -> humanTtl(Duration.between(now, at))).orElse("<forever>");
            out.printf(format, token.token().value(), ttl, token.expiration().isEmpty() ? "<never>" : token.expiration(),
                    String.join(",", usages), token.description().isEmpty() ? "<none>" : token.description(),
                    String.join(",", token.extraGroups()));
        }
    }

    private static String humanTtl(Duration left) {
        if (left.isNegative()) {
            return "<invalid>";
        }
        return left.toHours() > 0 ? left.toHours() + "h" : left.toMinutes() > 0 ? left.toMinutes() + "m"
                : left.toSeconds() + "s";
    }

    /** Go-style durations as kubeadm's --ttl takes them: {@code 24h}, {@code 1h30m}, {@code 90s}, {@code 0}. */
    static Duration duration(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            long n = Long.parseLong(matcher.group(1));
            total = total.plus(switch (matcher.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            });
            end = matcher.end();
        }
        if (end != text.length() || end == 0) {
            throw new IllegalArgumentException("--ttl must be a duration such as 24h, 1h30m or 0 (never expires): "
                    + text);
        }
        return total;
    }

    private static String option(List<String> args, String name, String fallback) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(name) && i + 1 < args.size()) {
                String value = args.get(i + 1);
                args.remove(i + 1);
                args.remove(i);
                return value;
            }
            if (args.get(i).startsWith(name + "=")) {
                return args.remove(i).substring(name.length() + 1);
            }
        }
        return fallback;
    }
}
