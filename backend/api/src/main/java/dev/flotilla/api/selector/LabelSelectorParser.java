package dev.flotilla.api.selector;

import dev.flotilla.api.selector.LabelSelectorLexer.Item;
import dev.flotilla.api.selector.LabelSelectorLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Recursive-descent parser for the label selector query syntax, following upstream's grammar and
 * error messages:
 *
 * <pre>
 * selector    ::= requirement | requirement "," selector
 * requirement ::= [!] KEY [ set-based | exact-match ]
 * set-based   ::= ("in" | "notin") "(" VALUE ("," VALUE)* ")"
 * exact-match ::= ("=" | "==" | "!=" | ">" | "<") VALUE
 * </pre>
 */
final class LabelSelectorParser {

    private static final String BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

    /** Whether {@code in}/{@code notin} are operators here or just identifiers (e.g. a value "in"). */
    private enum Context { KEY_AND_OPERATOR, VALUES }

    private final List<Item> items;
    private int position;

    private LabelSelectorParser(List<Item> items) {
        this.items = items;
    }

    /** The requirements in input order. */
    static List<LabelRequirement> parse(String selector) {
        return new LabelSelectorParser(LabelSelectorLexer.scan(selector)).selector();
    }

    private List<LabelRequirement> selector() {
        List<LabelRequirement> requirements = new ArrayList<>();
        while (true) {
            Item next = lookahead(Context.VALUES);
            switch (next.token()) {
                case IDENTIFIER, DOES_NOT_EXIST -> {
                    requirements.add(requirement());
                    Item separator = consume(Context.VALUES);
                    if (separator.token() == Token.END_OF_STRING) {
                        return requirements;
                    }
                    if (separator.token() != Token.COMMA) {
                        throw error("found '" + separator.literal() + "', expected: ',' or 'end of string'");
                    }
                    Item afterComma = lookahead(Context.VALUES);
                    if (afterComma.token() != Token.IDENTIFIER && afterComma.token() != Token.DOES_NOT_EXIST) {
                        throw error("found '" + afterComma.literal() + "', expected: identifier after ','");
                    }
                }
                case END_OF_STRING -> {
                    return requirements;
                }
                default -> throw error("found '" + next.literal() + "', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement requirement() {
        try {
            return requirementTerm();
        } catch (SelectorParseException e) {
            throw error("unable to parse requirement: " + e.getMessage());
        }
    }

    private LabelRequirement requirementTerm() {
        boolean negated = false;
        Item key = consume(Context.VALUES);
        if (key.token() == Token.DOES_NOT_EXIST) {
            negated = true;
            key = consume(Context.VALUES);
        }
        if (key.token() != Token.IDENTIFIER) {
            throw error("found '" + key.literal() + "', expected: identifier");
        }
        List<String> keyErrors = LabelSyntax.qualifiedNameErrors(key.literal());
        if (!keyErrors.isEmpty()) {
            // Upstream validates the key against a nil field path here, which prints as "<nil>".
            throw error(GoFormat.invalid("<nil>", GoFormat.quote(key.literal()), String.join("; ", keyErrors)));
        }
        if (negated) {
            return new LabelRequirement(key.literal(), Operator.DOES_NOT_EXIST, List.of());
        }
        Token following = lookahead(Context.VALUES).token();
        if (following == Token.END_OF_STRING || following == Token.COMMA) {
            return new LabelRequirement(key.literal(), Operator.EXISTS, List.of());
        }
        Operator operator = operator();
        SortedSet<String> values = operator == Operator.IN || operator == Operator.NOT_IN ? valueSet() : exactValue();
        return new LabelRequirement(key.literal(), operator, List.copyOf(values));
    }

    private Operator operator() {
        Item item = consume(Context.KEY_AND_OPERATOR);
        return switch (item.token()) {
            case IN -> Operator.IN;
            case NOT_IN -> Operator.NOT_IN;
            case EQUALS -> Operator.EQUALS;
            case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
            case NOT_EQUALS -> Operator.NOT_EQUALS;
            case GREATER_THAN -> Operator.GREATER_THAN;
            case LESS_THAN -> Operator.LESS_THAN;
            default -> throw error("found '" + item.literal() + "', expected: " + BINARY_OPERATORS);
        };
    }

    /** {@code (a,b,c)}; empty entries such as in {@code ()} or {@code (a,,b)} stand for the empty value. */
    private SortedSet<String> valueSet() {
        Item open = consume(Context.VALUES);
        if (open.token() != Token.OPEN_PAR) {
            throw error("found '" + open.literal() + "' expected: '('");
        }
        Item first = lookahead(Context.VALUES);
        switch (first.token()) {
            case IDENTIFIER, COMMA -> {
                SortedSet<String> values = identifierList();
                consume(Context.VALUES); // the ')' that ended the list
                return values;
            }
            case CLOSED_PAR -> {
                consume(Context.VALUES);
                return new TreeSet<>(List.of(""));
            }
            default -> throw error("found '" + first.literal() + "', expected: ',', ')' or identifier");
        }
    }

    /** A comma separated list up to, not including, the closing parenthesis. */
    private SortedSet<String> identifierList() {
        SortedSet<String> values = new TreeSet<>();
        while (true) {
            Item item = consume(Context.VALUES);
            switch (item.token()) {
                case IDENTIFIER -> {
                    values.add(item.literal());
                    Item next = lookahead(Context.VALUES);
                    if (next.token() == Token.CLOSED_PAR) {
                        return values;
                    }
                    if (next.token() != Token.COMMA) {
                        throw error("found '" + next.literal() + "', expected: ',' or ')'");
                    }
                }
                case COMMA -> {
                    if (values.isEmpty()) {
                        values.add(""); // "(,"
                    }
                    Token next = lookahead(Context.VALUES).token();
                    if (next == Token.CLOSED_PAR) {
                        values.add(""); // ",)"
                        return values;
                    }
                    if (next == Token.COMMA) {
                        values.add(""); // ",,"
                    }
                }
                default -> throw error("found '" + item.literal() + "', expected: ',', or identifier");
            }
        }
    }

    /** The single value after {@code =}, {@code ==}, {@code !=}, {@code >} or {@code <}; may be empty. */
    private SortedSet<String> exactValue() {
        Token next = lookahead(Context.VALUES).token();
        if (next == Token.END_OF_STRING || next == Token.COMMA) {
            return new TreeSet<>(List.of(""));
        }
        Item item = consume(Context.VALUES);
        if (item.token() != Token.IDENTIFIER) {
            throw error("found '" + item.literal() + "', expected: identifier");
        }
        return new TreeSet<>(List.of(item.literal()));
    }

    private Item lookahead(Context context) {
        return inContext(items.get(position), context);
    }

    private Item consume(Context context) {
        Item item = items.get(position);
        if (position < items.size() - 1) {
            position++;
        }
        return inContext(item, context);
    }

    private static Item inContext(Item item, Context context) {
        if (context == Context.VALUES && (item.token() == Token.IN || item.token() == Token.NOT_IN)) {
            return new Item(Token.IDENTIFIER, item.literal());
        }
        return item;
    }

    private static SelectorParseException error(String message) {
        return new SelectorParseException(message);
    }
}
