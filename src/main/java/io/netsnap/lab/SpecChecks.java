package io.netsnap.lab;

import java.time.Duration;
import java.util.Objects;

/** The argument checks every device spec makes, so that a bad spec fails at construction, not inside a session. */
final class SpecChecks {

    private SpecChecks() {
    }

    /** Host names and user names end up in prompts and on the SSH wire: one word, nothing blank. */
    static void requireToken(String value, String name) {
        if (value == null || value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(name + " must be a non-empty word without spaces: '" + value + "'");
        }
    }

    static void requireNotNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
