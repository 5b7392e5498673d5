package io.netsnap.archive;

import java.util.List;
import java.util.function.UnaryOperator;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;

/**
 * A unified diff between two configuration texts, both masked by the platform's rules before they are compared: no
 * secret reaches whoever reads it, and a changed secret shows as no change rather than as two secrets.
 *
 * @param lines                   the unified diff, empty when the masked texts are equal
 * @param onlyMaskedSecretsDiffer the texts differ, but only in what the masking removed
 */
public record MaskedDiff(List<String> lines, boolean onlyMaskedSecretsDiffer) {

    private static final int CONTEXT_LINES = 3;

    public MaskedDiff {
        lines = List.copyOf(lines);
    }

    /**
     * @param mask the platform's masking, e.g. {@code DeviceDriver::mask}
     */
    public static MaskedDiff between(String beforeLabel, String before, String afterLabel, String after,
                                     UnaryOperator<String> mask) {
        List<String> beforeLines = mask.apply(before).lines().toList();
        List<String> afterLines = mask.apply(after).lines().toList();
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(beforeLabel, afterLabel, beforeLines,
                DiffUtils.diff(beforeLines, afterLines), CONTEXT_LINES);
        return new MaskedDiff(diff, diff.isEmpty() && !before.equals(after));
    }
}
