package io.netsnap.inventory;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" hints for misspelt keys, platforms, groups and device names. */
final class Suggestions {

    private Suggestions() {
    }

    /**
     * The candidate closest to {@code input}, if it is close enough to be a likely typo: a small edit distance
     * (ignoring case, a swap of two neighbours counting as one edit), or one containing the other ({@code ios-xe}
     * suggests {@code ios}).
     */
    static Optional<String> closest(String input, Collection<String> candidates) {
        String typed = input.toLowerCase(Locale.ROOT);
        return candidates.stream()
                .filter(candidate -> closeEnough(typed, candidate.toLowerCase(Locale.ROOT)))
                .min(Comparator.comparingInt((String candidate) -> distance(typed, candidate.toLowerCase(Locale.ROOT)))
                        .thenComparing(Comparator.naturalOrder()));
    }

    /** {@code "; did you mean 'x'?"}, or an empty string when nothing is close. */
    static String didYouMean(String input, Collection<String> candidates) {
        return closest(input, candidates).map(hit -> "; did you mean '" + hit + "'?").orElse("");
    }

    private static boolean closeEnough(String typed, String candidate) {
        int shorter = Math.min(typed.length(), candidate.length());
        if (shorter >= 3 && (typed.contains(candidate) || candidate.contains(typed))) {
            return true;
        }
        int allowed = candidate.length() <= 4 ? 1 : candidate.length() <= 8 ? 2 : 3;
        return distance(typed, candidate) <= allowed;
    }

    /** Edit distance where insertions, deletions, substitutions and swaps of neighbours each cost one. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
