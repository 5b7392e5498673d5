package io.netsnap.restore;

/**
 * An approval as netsnap recorded it: bound to one restore, one device and one candidate digest, valid until
 * {@code expiresAt}, and good for one push.
 *
 * @param restoreId       the restore approved
 * @param device          its device
 * @param context         its context, or {@code null}
 * @param candidateSha256 the digest of the content the approver saw
 * @param requester       who asked
 * @param approver        who approved, as the engine or the operating system said
 * @param approvedAt      when, ISO-8601
 * @param expiresAt       until when it may be used, ISO-8601
 */
public record Approval(String restoreId, String device, String context, String candidateSha256, String requester,
                       String approver, String approvedAt, String expiresAt) {
}
