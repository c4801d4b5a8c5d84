package dev.flotilla.api.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a label selector string into tokens the way upstream's lexer does: whitespace separates,
 * {@code = == != ! ( ) , > <} are operators (longest match), everything else forms identifiers, and
 * the identifiers {@code in} and {@code notin} are keywords.
 */
final class LabelSelectorLexer {

    enum Token {
        ERROR, END_OF_STRING, CLOSED_PAR, COMMA, DOES_NOT_EXIST, DOUBLE_EQUALS, EQUALS, GREATER_THAN,
        IDENTIFIER, IN, LESS_THAN, NOT_EQUALS, NOT_IN, OPEN_PAR
    }

    record Item(Token token, String literal) {
    }

    private static final Map<String, Token> LITERALS = Map.ofEntries(
            Map.entry(")", Token.CLOSED_PAR),
            Map.entry(",", Token.COMMA),
            Map.entry("!", Token.DOES_NOT_EXIST),
            Map.entry("==", Token.DOUBLE_EQUALS),
            Map.entry("=", Token.EQUALS),
            Map.entry(">", Token.GREATER_THAN),
            Map.entry("in", Token.IN),
            Map.entry("<", Token.LESS_THAN),
            Map.entry("!=", Token.NOT_EQUALS),
            Map.entry("notin", Token.NOT_IN),
            Map.entry("(", Token.OPEN_PAR));

    private final String input;
    private int position;

    private LabelSelectorLexer(String input) {
        this.input = input;
    }

    /** All tokens of the input, ending with one {@link Token#END_OF_STRING}. */
    static List<Item> scan(String input) {
        LabelSelectorLexer lexer = new LabelSelectorLexer(input);
        List<Item> items = new ArrayList<>();
        Item item;
        do {
            item = lexer.next();
            items.add(item);
        } while (item.token() != Token.END_OF_STRING);
        return items;
    }

    private Item next() {
        while (position < input.length() && isWhitespace(input.charAt(position))) {
            position++;
        }
        if (position == input.length()) {
            return new Item(Token.END_OF_STRING, "");
        }
        return isSpecial(input.charAt(position)) ? specialSymbol() : identifierOrKeyword();
    }

    private Item identifierOrKeyword() {
        int start = position;
        while (position < input.length() && !isSpecial(input.charAt(position)) && !isWhitespace(input.charAt(position))) {
            position++;
        }
        String literal = input.substring(start, position);
        return new Item(LITERALS.getOrDefault(literal, Token.IDENTIFIER), literal);
    }

    /** The longest run of special characters that still forms an operator. */
    private Item specialSymbol() {
        StringBuilder buffer = new StringBuilder();
        Item last = null;
        while (position < input.length() && isSpecial(input.charAt(position))) {
            buffer.append(input.charAt(position));
            Token token = LITERALS.get(buffer.toString());
            if (token != null) {
                last = new Item(token, buffer.toString());
            } else if (last != null) {
                break;
            }
            position++;
        }
        if (last == null) {
            return new Item(Token.ERROR, "error expected: keyword found '" + buffer + "'");
        }
        return last;
    }

    private static boolean isWhitespace(char ch) {
        return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
    }

    private static boolean isSpecial(char ch) {
        return switch (ch) {
            case '=', '!', '(', ')', ',', '>', '<' -> true;
            default -> false;
        };
    }
}
