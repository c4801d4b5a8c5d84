package dev.flotilla.apiserver.proxy;

import dev.flotilla.api.status.ApiError;

final class Ports {

    private Ports() {
    }

    /** A port number from a proxy URL; 400 when it is not one. */
    static int parse(String port) {
        try {
            int value = Integer.parseInt(port);
            if (value > 0 && value < 65536) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("invalid port \"" + port + "\"");
    }

    static boolean isNumber(String port) {
        return !port.isEmpty() && port.chars().allMatch(Character::isDigit);
    }
}
