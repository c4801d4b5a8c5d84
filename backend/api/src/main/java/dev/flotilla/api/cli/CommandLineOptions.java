package dev.flotilla.api.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and {@code --name=value} options of the platform's small command-line tools. */
public final class CommandLineOptions {

    private CommandLineOptions() {
    }

    /**
     * The options by name, in the order given. {@code flags} name the options that take no value
     * (present maps to ""). Anything else is an {@link IllegalArgumentException} that says what is wrong.
     */
    public static Map<String, String> parse(String[] args, String... flags) {
        Set<String> valueless = Set.of(flags);
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            if (eq >= 0) {
                options.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (valueless.contains(name)) {
                options.put(name, "");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return options;
    }
}
