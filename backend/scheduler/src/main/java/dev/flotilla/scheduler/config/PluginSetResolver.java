package dev.flotilla.scheduler.config;

import dev.flotilla.scheduler.config.KubeSchedulerConfiguration.Plugin;
import dev.flotilla.scheduler.config.KubeSchedulerConfiguration.PluginSet;
import dev.flotilla.scheduler.config.KubeSchedulerConfiguration.Plugins;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A profile's plugins per extension point, as upstream derives them: the file's {@code multiPoint}
 * is merged into the default one (a default named again is replaced in place, {@code "*"} or a
 * name in {@code disabled} drops defaults), then every multiPoint plugin is added to each point it
 * implements unless that point disables it or all ({@code "*"}), and a plugin also listed at the
 * point itself keeps that entry (moved first). The result is each point's plugins in order, with
 * score weights (unset or 0 means 1; the score point's own weight wins over multiPoint's).
 */
final class PluginSetResolver {

    static final String ALL = "*";

    /** Upstream's framework error ({@code FilterPlugin "Foo" does not exist}), without the profile prefix. */
    static final class PluginSetException extends Exception {
        PluginSetException(String message) {
            super(message);
        }
    }

    private PluginSetResolver() {
    }

    static Map<ExtensionPoint, List<Plugin>> resolve(Plugins plugins) throws PluginSetException {
        PluginSet multiPoint = merge(new PluginSet(PluginRegistry.DEFAULT_MULTI_POINT, List.of()),
                plugins == null ? PluginSet.EMPTY : plugins.multiPointOrEmpty());
        Map<ExtensionPoint, List<Plugin>> result = new EnumMap<>(ExtensionPoint.class);
        for (ExtensionPoint point : ExtensionPoint.values()) {
            PluginSet own = plugins == null ? PluginSet.EMPTY : plugins.at(point);
            result.put(point, expand(point, own, multiPoint));
        }
        return result;
    }

    /** Upstream's mergePluginSet: defaults not disabled, re-configured ones in place, then the other custom ones. */
    private static PluginSet merge(PluginSet defaults, PluginSet custom) {
        Set<String> disabled = new HashSet<>();
        custom.disabled().forEach(p -> disabled.add(p.name()));
        Map<String, Integer> customIndex = new LinkedHashMap<>();
        for (int i = 0; i < custom.enabled().size(); i++) {
            customIndex.putIfAbsent(custom.enabled().get(i).name(), i);
        }
        Set<Integer> replaced = new HashSet<>();
        List<Plugin> enabled = new ArrayList<>();
        if (!disabled.contains(ALL)) {
            for (Plugin plugin : defaults.enabled()) {
                if (disabled.contains(plugin.name())) {
                    continue;
                }
                Integer index = customIndex.get(plugin.name());
                if (index != null) {
                    enabled.add(custom.enabled().get(index));
                    replaced.add(index);
                } else {
                    enabled.add(plugin);
                }
            }
        }
        for (int i = 0; i < custom.enabled().size(); i++) {
            if (!replaced.contains(i)) {
                enabled.add(custom.enabled().get(i));
            }
        }
        return new PluginSet(enabled, custom.disabled());
    }

    private static List<Plugin> expand(ExtensionPoint point, PluginSet own, PluginSet multiPoint) throws PluginSetException {
        Map<String, Plugin> explicit = new LinkedHashMap<>();
        for (Plugin plugin : own.enabled()) {
            check(point, plugin.name());
            if (explicit.putIfAbsent(plugin.name(), plugin) != null) {
                throw new PluginSetException("plugin \"" + plugin.name() + "\" already registered as \"" + point.pluginType() + "\"");
            }
        }
        Set<String> disabled = new HashSet<>();
        own.disabled().forEach(p -> disabled.add(p.name()));
        if (disabled.contains(ALL)) {
            return List.copyOf(explicit.values());
        }
        Map<String, Plugin> fromMultiPoint = new LinkedHashMap<>();
        Set<String> overridden = new HashSet<>();
        for (Plugin plugin : multiPoint.enabled()) {
            if (!PluginRegistry.exists(plugin.name())) {
                throw new PluginSetException(point.pluginType() + " \"" + plugin.name() + "\" does not exist");
            }
            if (!PluginRegistry.implementsPoint(plugin.name(), point) || disabled.contains(plugin.name())) {
                continue;
            }
            if (explicit.containsKey(plugin.name())) {
                overridden.add(plugin.name());
                continue;
            }
            if (fromMultiPoint.putIfAbsent(plugin.name(), plugin) != null) {
                throw new PluginSetException("plugin \"" + plugin.name() + "\" already registered as \"" + point.pluginType() + "\"");
            }
        }
        List<Plugin> ordered = new ArrayList<>();
        explicit.values().stream().filter(p -> overridden.contains(p.name())).forEach(ordered::add);
        ordered.addAll(fromMultiPoint.values());
        explicit.values().stream().filter(p -> !overridden.contains(p.name())).forEach(ordered::add);
        return List.copyOf(ordered);
    }

    private static void check(ExtensionPoint point, String name) throws PluginSetException {
        if (!PluginRegistry.exists(name)) {
            throw new PluginSetException(point.pluginType() + " \"" + name + "\" does not exist");
        }
        if (!PluginRegistry.implementsPoint(name, point)) {
            throw new PluginSetException("plugin \"" + name + "\" does not extend " + point.pluginType() + " plugin");
        }
    }

    /** Upstream's weight rule: 0 or unset means 1. */
    static int weightOf(Plugin plugin) {
        return plugin.weight() == null || plugin.weight() == 0 ? 1 : plugin.weight();
    }
}
