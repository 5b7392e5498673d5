package io.netsnap.restore;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A restore as netsnap recorded it when it was asked for: what is to be pushed where, by whose request. The candidate
 * is named by the history version it comes from and by its sha256; the push reads the content from the history and
 * compares digests, so no variable can change what is pushed.
 *
 * @param restoreId       netsnap's id of the restore, a safe file name
 * @param device          the inventory name of the device
 * @param context         the ASA context, or {@code null}
 * @param version         the history commit the candidate comes from
 * @param candidateSha256 the sha256 of the candidate configuration, lower-case hex
 * @param requester       who asked, as the engine or the operating system said (never a typed field)
 * @param ticket          the change ticket
 * @param reason          why
 * @param requestedAt     when, ISO-8601
 */
public record RestoreRequest(String restoreId, String device, String context, String version,
                             String candidateSha256, String requester, String ticket, String reason,
                             String requestedAt) {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public RestoreRequest {
        requireSafe(restoreId, "restore id");
        requireSafe(device, "device");
        if (context != null) {
            requireSafe(context, "context");
        }
        Objects.requireNonNull(version, "version");
        if (candidateSha256 == null || !SHA256.matcher(candidateSha256).matches()) {
            throw new IllegalArgumentException("the candidate's sha256 must be 64 lower-case hex digits");
        }
        if (requester == null || requester.isBlank()) {
            throw new IllegalArgumentException("a restore needs a requester");
        }
        Objects.requireNonNull(requestedAt, "requestedAt");
    }

    /** The device and, for an ASA, its context, as people read it: {@code ASA-FW-01/DMZ}. */
    public String target() {
        return context == null ? device : device + "/" + context;
    }

    static void requireSafe(String value, String what) {
        if (value == null || !SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException("not a valid " + what + ": '" + value + "'");
        }
    }
}
