package dev.flotilla.scheduler.config;

import dev.flotilla.api.selector.LabelSyntax;
import dev.flotilla.api.status.FieldError;
import dev.flotilla.scheduler.config.KubeSchedulerConfiguration.PluginConfig;
import dev.flotilla.scheduler.config.PluginArgs.InterPodAffinityArgs;
import dev.flotilla.scheduler.config.PluginArgs.NodeAffinityArgs;
import dev.flotilla.scheduler.config.PluginArgs.NodeResourcesFitArgs;
import dev.flotilla.scheduler.config.PluginArgs.PodTopologySpreadArgs;
import dev.flotilla.scheduler.config.PluginArgs.ResourceSpec;
import dev.flotilla.scheduler.config.PluginArgs.UtilizationShapePoint;
import dev.flotilla.scheduler.plugins.ScoringStrategy;
import dev.flotilla.scheduler.plugins.ShapeFunction;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A profile's {@code pluginConfig}: each entry decoded by its plugin's name, defaulted and
 * validated as upstream's v1 defaults and {@code validation_pluginargs.go} do; problems are
 * collected (decoding errors as messages, validation errors as field errors with their paths).
 */
final class PluginArgsResolver {

    private static final List<String> STRATEGIES = List.of("LeastAllocated", "MostAllocated", "RequestedToCapacityRatio");
    private static final List<String> DEFAULTING_TYPES = List.of("System", "List");
    private static final List<String> WHEN_UNSATISFIABLE = List.of("DoNotSchedule", "ScheduleAnyway");
    private static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt");
    /** Upstream plugins with arguments that Flotilla does not read yet: refused rather than ignored. */
    private static final Set<String> UNSUPPORTED_ARGS = Set.of("DefaultPreemption", "NodeResourcesBalancedAllocation",
            "VolumeBinding", "DynamicResources");
    private static final int MAX_CUSTOM_PRIORITY_SCORE = 10;

    private final List<Object> errors;
    private ScoringStrategy fitScoring = ScoringStrategy.leastAllocated();
    private List<TopologySpreadConstraint> spreadDefaults = PluginSettings.defaults().defaultSpreadConstraints();
    private boolean systemDefaultedSpread = true;
    private int hardPodAffinityWeight = 1;
    private io.fabric8.kubernetes.api.model.NodeAffinity addedAffinity;

    /** {@code errors} receives {@link FieldError}s and decoding messages. */
    PluginArgsResolver(List<Object> errors) {
        this.errors = errors;
    }

    PluginSettings resolve(String profilePath, List<PluginConfig> pluginConfig) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < pluginConfig.size(); i++) {
            PluginConfig config = pluginConfig.get(i);
            String path = profilePath + ".pluginConfig[" + i + "]";
            if (config.name() == null || config.name().isEmpty()) {
                errors.add(FieldError.required(path + ".name", ""));
                continue;
            }
            if (!seen.add(config.name())) {
                errors.add(new FieldError(path, FieldError.Type.DUPLICATE, config.name(), null));
            }
            String argsPath = path + ".args";
            try {
                switch (config.name()) {
                    case PluginRegistry.NODE_RESOURCES_FIT -> fit(argsPath, decode(config, NodeResourcesFitArgs.class, argsPath));
                    case PluginRegistry.POD_TOPOLOGY_SPREAD -> spread(argsPath, decode(config, PodTopologySpreadArgs.class, argsPath));
                    case PluginRegistry.INTER_POD_AFFINITY -> podAffinity(argsPath, decode(config, InterPodAffinityArgs.class, argsPath));
                    case PluginRegistry.NODE_AFFINITY -> nodeAffinity(argsPath, decode(config, NodeAffinityArgs.class, argsPath));
                    default -> {
                        if (UNSUPPORTED_ARGS.contains(config.name())) {
                            errors.add(FieldError.forbidden(argsPath, "arguments of " + config.name() + " are not supported"));
                        }
                    }
                }
            } catch (StrictDecoder.DecodingException e) {
                errors.add(e.getMessage());
            }
        }
        return new PluginSettings(fitScoring, spreadDefaults, systemDefaultedSpread, hardPodAffinityWeight, addedAffinity);
    }

    private static <T> T decode(PluginConfig config, Class<T> type, String path) throws StrictDecoder.DecodingException {
        if (config.args() == null || config.args().isNull()) {
            return StrictDecoder.decode(StrictDecoder.MAPPER.createObjectNode(), type, path);
        }
        String kind = config.args().path("kind").asText("");
        String expected = config.name() + "Args";
        if (!kind.isEmpty() && !kind.equals(expected)) {
            throw new StrictDecoder.DecodingException(path + ": Invalid value: \"" + kind + "\": has to match plugin args (kind "
                    + expected + ")");
        }
        return StrictDecoder.decode(config.args(), type, path);
    }

    private void fit(String path, NodeResourcesFitArgs args) {
        PluginArgs.ScoringStrategy strategy = args.scoringStrategy();
        if (strategy == null) {
            return;
        }
        String at = path + ".scoringStrategy";
        String type = strategy.type() == null ? "" : strategy.type();
        boolean valid = true;
        if (!STRATEGIES.contains(type)) {
            errors.add(FieldError.notSupported(at + ".type", type, STRATEGIES));
            valid = false;
        }
        List<ScoringStrategy.ResourceWeight> resources = new ArrayList<>();
        List<ResourceSpec> specs = strategy.resources() == null || strategy.resources().isEmpty() ? List.of()
                : strategy.resources();
        for (int i = 0; i < specs.size(); i++) {
            ResourceSpec spec = specs.get(i);
            long weight = spec.weight() == null || spec.weight() == 0 ? 1 : spec.weight();
            if (weight <= 0 || weight > 100) {
                errors.add(FieldError.invalid(at + ".resources[" + i + "].weight", weight,
                        "resource weight of " + spec.name() + " not in valid range (0, 100]"));
                valid = false;
            }
            resources.add(new ScoringStrategy.ResourceWeight(spec.name() == null ? "" : spec.name(), weight));
        }
        if (resources.isEmpty()) {
            resources = ScoringStrategy.DEFAULT_RESOURCES;
        }
        ShapeFunction shape = null;
        if ("RequestedToCapacityRatio".equals(type)) {
            if (strategy.requestedToCapacityRatio() == null) {
                errors.add(FieldError.required(at + ".requestedToCapacityRatio",
                        "must be specified when type is RequestedToCapacityRatio"));
                valid = false;
            } else {
                shape = shape(at + ".requestedToCapacityRatio.shape", strategy.requestedToCapacityRatio().shape());
                valid &= shape != null;
            }
        } else if (strategy.requestedToCapacityRatio() != null) {
            errors.add(FieldError.forbidden(at + ".requestedToCapacityRatio", "must be nil when type is not RequestedToCapacityRatio"));
            valid = false;
        }
        if (valid) {
            fitScoring = new ScoringStrategy(ScoringStrategy.Type.valueOf(type), resources, shape);
        }
    }

    /** The shape with scores scaled from 0..10 to 0..100, or null (errors recorded) when invalid. */
    private ShapeFunction shape(String path, List<UtilizationShapePoint> points) {
        if (points == null || points.isEmpty()) {
            errors.add(FieldError.required(path, "at least one point must be specified"));
            return null;
        }
        int before = errors.size();
        for (int i = 1; i < points.size(); i++) {
            if (value(points.get(i - 1).utilization()) >= value(points.get(i).utilization())) {
                errors.add(FieldError.invalid(path + "[" + i + "].utilization", value(points.get(i).utilization()),
                        "values must be sorted in increasing order"));
                break;
            }
        }
        List<ShapeFunction.Point> scaled = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            int utilization = value(points.get(i).utilization());
            int score = value(points.get(i).score());
            if (utilization < 0 || utilization > 100) {
                errors.add(FieldError.invalid(path + "[" + i + "].utilization", utilization, "not in valid range [0, 100]"));
            }
            if (score < 0 || score > MAX_CUSTOM_PRIORITY_SCORE) {
                errors.add(FieldError.invalid(path + "[" + i + "].score", score,
                        "not in valid range [0, " + MAX_CUSTOM_PRIORITY_SCORE + "]"));
            }
            scaled.add(new ShapeFunction.Point(utilization, (long) score * (100 / MAX_CUSTOM_PRIORITY_SCORE)));
        }
        return errors.size() == before ? new ShapeFunction(scaled) : null;
    }

    private static int value(Integer number) {
        return number == null ? 0 : number;
    }

    private void spread(String path, PodTopologySpreadArgs args) {
        String type = args.defaultingType() == null || args.defaultingType().isEmpty() ? "System" : args.defaultingType();
        List<TopologySpreadConstraint> constraints = args.defaultConstraints() == null ? List.of() : args.defaultConstraints();
        if (!DEFAULTING_TYPES.contains(type)) {
            errors.add(FieldError.notSupported(path + ".defaultingType", type, DEFAULTING_TYPES));
        } else if ("System".equals(type) && !constraints.isEmpty()) {
            errors.add(FieldError.invalid(path + ".defaultingType", type, "when .defaultConstraints are not empty"));
        }
        for (int i = 0; i < constraints.size(); i++) {
            TopologySpreadConstraint constraint = constraints.get(i);
            String at = path + ".defaultConstraints[" + i + "]";
            int maxSkew = value(constraint.getMaxSkew());
            if (maxSkew <= 0) {
                errors.add(FieldError.invalid(at + ".maxSkew", maxSkew, "not in valid range (0, inf)"));
            }
            String key = constraint.getTopologyKey();
            if (key == null || key.isEmpty()) {
                errors.add(FieldError.required(at + ".topologyKey", "can not be empty"));
            } else {
                LabelSyntax.qualifiedNameErrors(key).forEach(message -> errors.add(FieldError.invalid(at + ".topologyKey", key, message)));
            }
            String when = constraint.getWhenUnsatisfiable();
            if (when == null || when.isEmpty()) {
                errors.add(FieldError.required(at + ".whenUnsatisfiable", "can not be empty"));
            } else if (!WHEN_UNSATISFIABLE.contains(when)) {
                errors.add(FieldError.notSupported(at + ".whenUnsatisfiable", when, WHEN_UNSATISFIABLE));
            }
            if (constraint.getLabelSelector() != null) {
                errors.add(FieldError.forbidden(at + ".labelSelector",
                        "constraint must not define a selector, as they deduced for each pod"));
            }
            for (int j = 0; j < i; j++) {
                TopologySpreadConstraint other = constraints.get(j);
                if (java.util.Objects.equals(key, other.getTopologyKey()) && java.util.Objects.equals(when, other.getWhenUnsatisfiable())) {
                    errors.add(new FieldError(path + ".defaultConstraints[" + i + "]", FieldError.Type.DUPLICATE,
                            "{" + key + ", " + when + "}", null));
                    break;
                }
            }
        }
        if ("List".equals(type)) {
            spreadDefaults = List.copyOf(constraints);
            systemDefaultedSpread = false;
        }
    }

    private void podAffinity(String path, InterPodAffinityArgs args) {
        int weight = args.hardPodAffinityWeight() == null ? 1 : args.hardPodAffinityWeight();
        if (weight < 0 || weight > 100) {
            errors.add(FieldError.invalid(path + ".hardPodAffinityWeight", weight, "not in valid range [0, 100]"));
        }
        hardPodAffinityWeight = weight;
    }

    private void nodeAffinity(String path, NodeAffinityArgs args) {
        if (args.addedAffinity() == null) {
            return;
        }
        String at = path + ".addedAffinity";
        if (args.addedAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
            List<NodeSelectorTerm> terms = args.addedAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
            for (int i = 0; i < terms.size(); i++) {
                term(at + ".requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[" + i + "]", terms.get(i));
            }
        }
        List<PreferredSchedulingTerm> preferred = args.addedAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
        for (int i = 0; i < preferred.size(); i++) {
            term(at + ".preferredDuringSchedulingIgnoredDuringExecution[" + i + "].preference", preferred.get(i).getPreference());
        }
        addedAffinity = args.addedAffinity();
    }

    /** Upstream's node selector parsing checks: operators and the number of values they take. */
    private void term(String path, NodeSelectorTerm term) {
        if (term == null) {
            return;
        }
        List<NodeSelectorRequirement> expressions = term.getMatchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            NodeSelectorRequirement requirement = expressions.get(i);
            String at = path + ".matchExpressions[" + i + "]";
            String key = requirement.getKey() == null ? "" : requirement.getKey();
            LabelSyntax.qualifiedNameErrors(key).forEach(message -> errors.add(FieldError.invalid(at + ".key", key, message)));
            String operator = requirement.getOperator() == null ? "" : requirement.getOperator();
            int values = requirement.getValues().size();
            switch (operator) {
                case "In", "NotIn" -> {
                    if (values == 0) {
                        errors.add(FieldError.required(at + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (values > 0) {
                        errors.add(FieldError.forbidden(at + ".values",
                                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    }
                }
                case "Gt", "Lt" -> {
                    if (values != 1) {
                        errors.add(FieldError.required(at + ".values",
                                "must be specified single value when `operator` is 'Lt' or 'Gt'"));
                    }
                }
                default -> errors.add(FieldError.notSupported(at + ".operator", operator, OPERATORS));
            }
        }
    }
}
