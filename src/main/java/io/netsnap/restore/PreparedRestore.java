package io.netsnap.restore;

import java.util.List;

/**
 * What a restore would do, as the approver sees it: the masked diff from the running configuration to the candidate,
 * and the digests that bind the approval to the content.
 *
 * @param device          the device
 * @param context         its context, or {@code null}
 * @param platform        its platform
 * @param version         the history version of the candidate
 * @param candidateSha256 the digest of the candidate, as the history holds it
 * @param liveSha256      the digest of the running configuration (normalized) when it was compared
 * @param maskedDiff      the unified diff, running to candidate, secrets masked by the platform's rules
 * @param linesAdded      lines the candidate adds
 * @param linesRemoved    lines it removes
 */
public record PreparedRestore(String device, String context, String platform, String version,
                              String candidateSha256, String liveSha256, List<String> maskedDiff, int linesAdded,
                              int linesRemoved) {

    public PreparedRestore {
        maskedDiff = List.copyOf(maskedDiff);
    }
}
