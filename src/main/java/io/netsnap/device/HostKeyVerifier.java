package io.netsnap.device;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks device host keys against an OpenSSH known_hosts file. Unknown keys are recorded on first contact (TOFU) or
 * refused (strict); a changed key is always refused, and the fingerprints of both keys are kept so the caller can
 * raise {@link DeviceException.HostKeyMismatch} with a message that names them.
 */
final class HostKeyVerifier extends KnownHostsServerKeyVerifier {

    private static final Logger log = LoggerFactory.getLogger(HostKeyVerifier.class);

    /**
     * Refusals by endpoint ({@code host:port}), not as session attributes: the refusal may close the session before
     * the connect call has handed it over, and a refused key must never pass for an unreachable device (which would
     * be retried). The connector holds one session per endpoint at a time, so an entry is never another's.
     */
    private static final Map<String, String[]> REFUSED = new ConcurrentHashMap<>();

    /** In a connection context: refuse an unknown key even under trust on first use. */
    static final AttributeRepository.AttributeKey<Boolean> KNOWN_KEY_ONLY = new AttributeRepository.AttributeKey<>();

    HostKeyVerifier(Path knownHosts, SshProperties.HostKeyPolicy policy) {
        super((session, address, key) -> {
            String fingerprint = KeyUtils.getFingerPrint(key);
            AttributeRepository context = session.getConnectionContext();
            boolean knownOnly = context != null && Boolean.TRUE.equals(context.getAttribute(KNOWN_KEY_ONLY));
            if (policy == SshProperties.HostKeyPolicy.STRICT || knownOnly) {
                REFUSED.put(endpoint(address), new String[] {fingerprint});
                log.error("Refusing {}: host key {} is not in {} ({})", address, fingerprint, knownHosts,
                        knownOnly ? "a server netsnap sends a secret to must be known beforehand"
                                : "netsnap.ssh.host-key-policy=strict");
                return false;
            }
            log.warn("First contact with {}: trusting host key {} and recording it in {}", address, fingerprint,
                    knownHosts);
            return true;
        }, knownHosts);
        setModifiedServerKeyAcceptor(HostKeyVerifier::refuseChangedKey);
    }

    /**
     * Takes the verdict recorded for {@code host:port} since the last call: one fingerprint (unknown key refused)
     * or two (known, presented), or {@code null}.
     */
    static String[] takeRefusal(String host, int port) {
        return REFUSED.remove(host + ":" + port);
    }

    private static String endpoint(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort()
                : String.valueOf(address);
    }

    private static boolean refuseChangedKey(ClientSession session, SocketAddress address, KnownHostEntry entry,
                                            PublicKey expected, PublicKey actual) {
        String before = KeyUtils.getFingerPrint(expected);
        String now = KeyUtils.getFingerPrint(actual);
        REFUSED.put(endpoint(address), new String[] {before, now});
        log.error("HOST KEY CHANGED for {}: known_hosts has {} but the server presented {}. Refusing to connect.",
                address, before, now);
        return false;
    }
}
