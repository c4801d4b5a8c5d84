package dev.flotilla.api.selector;

/** A selector operator, named as upstream's {@code selection.Operator} spells it. */
public enum Operator {
    IN("in"),
    NOT_IN("notin"),
    EQUALS("="),
    DOUBLE_EQUALS("=="),
    NOT_EQUALS("!="),
    GREATER_THAN("gt"),
    LESS_THAN("lt"),
    EXISTS("exists"),
    DOES_NOT_EXIST("!");

    private final String upstreamName;

    Operator(String upstreamName) {
        this.upstreamName = upstreamName;
    }

    /** The operator's {@code selection.Operator} string, e.g. {@code notin} or {@code gt}. */
    public String upstreamName() {
        return upstreamName;
    }

    /** True for operators that take values ({@code in}, {@code =}, {@code gt}, ...). */
    public boolean isBinary() {
        return this != EXISTS && this != DOES_NOT_EXIST;
    }
}
