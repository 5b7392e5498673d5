package io.netsnap.device;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks device host keys against an OpenSSH known_hosts file. Unknown keys are recorded on first contact (TOFU) or
 * refused (strict); a changed key is always refused, and the fingerprints of both keys are kept on the session so the
 * caller can raise {@link DeviceException.HostKeyMismatch} with a message that names them.
 */
final class HostKeyVerifier extends KnownHostsServerKeyVerifier {

    private static final Logger log = LoggerFactory.getLogger(HostKeyVerifier.class);

    /** Set on a session whose server presented a key that differs from known_hosts. */
    static final AttributeKey<String[]> MISMATCH = new AttributeKey<>();
    /** Set on a session refused under the strict policy because its key is unknown. */
    static final AttributeKey<String> UNKNOWN = new AttributeKey<>();

    HostKeyVerifier(Path knownHosts, SshProperties.HostKeyPolicy policy) {
        super((session, address, key) -> {
            String fingerprint = KeyUtils.getFingerPrint(key);
            if (policy == SshProperties.HostKeyPolicy.STRICT) {
                session.setAttribute(UNKNOWN, fingerprint);
                log.error("Refusing {}: host key {} is not in {} and netsnap.ssh.host-key-policy=strict",
                        address, fingerprint, knownHosts);
                return false;
            }
            log.warn("First contact with {}: trusting host key {} and recording it in {}", address, fingerprint,
                    knownHosts);
            return true;
        }, knownHosts);
        setModifiedServerKeyAcceptor(HostKeyVerifier::refuseChangedKey);
    }

    private static boolean refuseChangedKey(ClientSession session, SocketAddress address, KnownHostEntry entry,
                                            PublicKey expected, PublicKey actual) {
        String before = KeyUtils.getFingerPrint(expected);
        String now = KeyUtils.getFingerPrint(actual);
        session.setAttribute(MISMATCH, new String[] {before, now});
        log.error("HOST KEY CHANGED for {}: known_hosts has {} but the server presented {}. Refusing to connect.",
                address, before, now);
        return false;
    }
}
