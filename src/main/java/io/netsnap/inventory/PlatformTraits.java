package io.netsnap.inventory;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the rest of netsnap may know about a platform without naming it: how it is reached, on which port by default,
 * whether it has a certificate to verify and whether its configuration comes in contexts. Each driver declares its
 * own; the inventory validates devices against them and the workflow routes on them, so neither spells a platform
 * key.
 *
 * <p>It lives here, not beside the drivers, because the inventory must read it and {@code device} already depends on
 * {@code inventory} (for {@link Device}): the inventory states what it needs to know, the drivers supply it.
 *
 * @param platform    the inventory key, e.g. {@code ios}
 * @param transport   how a backup talks to the device
 * @param defaultPort the TCP port used when the inventory gives none
 * @param tls         whether the transport is TLS, and so whether {@code insecure} (skip certificate checks) means
 *                    anything for it
 * @param contexts    the platform's rule for context names, or {@code null} when it has no contexts
 * @param restore     whether netsnap can restore a configuration to it (its driver is a restore driver)
 */
public record PlatformTraits(String platform, Transport transport, int defaultPort, boolean tls, ContextRule contexts,
                             boolean restore) {

    /** How a backup talks to a device of the platform. */
    public enum Transport {
        /** One interactive CLI session over SSH, driven by a profile. */
        CLI_SSH,
        /** A sequence of REST calls the process runs as steps of their own (login, show, logout). */
        REST_STEPS
    }

    public PlatformTraits {
        if (platform == null || platform.isBlank()) {
            throw new IllegalArgumentException("a platform needs a key");
        }
        Objects.requireNonNull(transport, "transport");
        if (defaultPort < 1 || defaultPort > 65535) {
            throw new IllegalArgumentException("bad default port for platform " + platform + ": " + defaultPort);
        }
    }

    /** A CLI platform reached over SSH on port 22, without TLS, contexts or restore: most platforms. */
    public static PlatformTraits cliOverSsh(String platform) {
        return new PlatformTraits(platform, Transport.CLI_SSH, 22, false, null, false);
    }

    /** These traits, on a platform whose driver can restore a configuration. */
    public PlatformTraits withRestore() {
        return new PlatformTraits(platform, transport, defaultPort, tls, contexts, true);
    }

    /** These traits, with configurations that may come in contexts named by {@code rule}. */
    public PlatformTraits withContexts(ContextRule rule) {
        return new PlatformTraits(platform, transport, defaultPort, tls, Objects.requireNonNull(rule, "rule"),
                restore);
    }

    /**
     * What a platform accepts as a context name; context names become file names and words typed into the device.
     *
     * @param name            the whole name must match
     * @param nameRule        {@code name} in words, for messages
     * @param reserved        names (compared ignoring case) that are not contexts, in lower case
     * @param reservedBecause why, for messages
     */
    public record ContextRule(Pattern name, String nameRule, Set<String> reserved, String reservedBecause) {

        public ContextRule {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(nameRule, "nameRule");
            reserved = Set.copyOf(reserved);
            Objects.requireNonNull(reservedBecause, "reservedBecause");
        }

        public boolean isPlainName(String context) {
            return name.matcher(context).matches();
        }

        public boolean isReserved(String context) {
            return reserved.contains(context.toLowerCase(Locale.ROOT));
        }
    }
}
