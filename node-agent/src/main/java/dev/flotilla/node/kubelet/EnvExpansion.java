package dev.flotilla.node.kubelet;

import java.util.Map;

/**
 * Kubernetes' {@code $(VAR)} references in env values, command and args: {@code $(NAME)} becomes the
 * variable's value when it is defined, stays as written when it is not, and {@code $$} escapes a
 * dollar ({@code $$(NAME)} yields the literal {@code $(NAME)}).
 */
final class EnvExpansion {

    private EnvExpansion() {
    }

    static String expand(String input, Map<String, String> variables) {
        if (input == null || input.indexOf('$') < 0) {
            return input;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c != '$' || i + 1 >= input.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = input.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '(') {
                int close = input.indexOf(')', i + 2);
                if (close < 0) {
                    out.append(input, i, input.length());
                    break;
                }
                String name = input.substring(i + 2, close);
                String value = variables.get(name);
                out.append(value != null ? value : input.substring(i, close + 1));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
