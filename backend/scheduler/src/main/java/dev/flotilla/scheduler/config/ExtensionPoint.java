package dev.flotilla.scheduler.config;

/**
 * The scheduling framework's extension points, in the order upstream builds a profile (which
 * decides which configuration error is reported first), with their names in the file and in errors.
 */
public enum ExtensionPoint {
    PRE_FILTER("preFilter", "PreFilterPlugin"),
    FILTER("filter", "FilterPlugin"),
    POST_FILTER("postFilter", "PostFilterPlugin"),
    RESERVE("reserve", "ReservePlugin"),
    PRE_SCORE("preScore", "PreScorePlugin"),
    SCORE("score", "ScorePlugin"),
    PRE_BIND("preBind", "PreBindPlugin"),
    BIND("bind", "BindPlugin"),
    POST_BIND("postBind", "PostBindPlugin"),
    PERMIT("permit", "PermitPlugin"),
    PRE_ENQUEUE("preEnqueue", "PreEnqueuePlugin"),
    QUEUE_SORT("queueSort", "QueueSortPlugin");

    private final String fieldName;
    private final String pluginType;

    ExtensionPoint(String fieldName, String pluginType) {
        this.fieldName = fieldName;
        this.pluginType = pluginType;
    }

    public String fieldName() {
        return fieldName;
    }

    public String pluginType() {
        return pluginType;
    }
}
