package io.netsnap.aruba;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.springframework.stereotype.Component;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;
import io.netsnap.device.SshConnector;

/**
 * netsnap's own SFTP access to the SCP server conductors copy to ({@code netsnap.aruba.scp.*}): to check what
 * arrived, and to remove what retention expires. The server is sent the SCP account's password, so its host key must
 * be in known_hosts already; it is never trusted on first use.
 */
@Component
class ScpTarget {

    private final SshConnector ssh;
    private final ArubaProperties.Scp scp;

    ScpTarget(SshConnector ssh, ArubaProperties properties) {
        this.ssh = ssh;
        this.scp = properties.scp();
    }

    /** Work done over one SFTP session. */
    @FunctionalInterface
    interface Work<T> {
        T on(SftpClient sftp) throws IOException;
    }

    /**
     * Opens an SFTP session to the server as {@code login} and runs {@code work} on it.
     *
     * @throws io.netsnap.device.DeviceException when the server cannot be reached, refuses the login or shows a
     *                                           host key that is not the known one
     * @throws IOException                       when the SFTP subsystem or {@code work} fails
     */
    <T> T open(Credentials login, Work<T> work) throws IOException {
        Device server = new Device(name(), scp.host(), scp.port(), "sftp", null, scp.credentials(),
                Duration.ofSeconds(30), List.of());
        try (ClientSession session = ssh.openSession(server, login, true);
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            return work.on(sftp);
        }
    }

    /** {@code backup server HOST:PORT}, for messages. */
    String name() {
        return "backup server " + scp.host() + ":" + scp.port();
    }

    /**
     * Where a file lies, for people and the manifest: {@code sftp://HOST:PORT/ABSOLUTE/PATH}, or
     * {@code sftp://HOST:PORT/~/PATH} for a path relative to the account's home folder. No user name, no password.
     */
    String location(String path) {
        return prefix() + (path.startsWith("/") ? path.substring(1) : "~/" + path);
    }

    /**
     * The SFTP path of a {@link #location}, or {@code null} when it does not lie on this server (the configuration
     * changed since it was recorded).
     */
    String pathOf(String location) {
        if (location == null || !location.startsWith(prefix())) {
            return null;
        }
        String rest = location.substring(prefix().length());
        String path = rest.startsWith("~/") ? rest.substring(2) : "/" + rest;
        return path.isEmpty() || path.equals("/") || ("/" + path + "/").contains("/../") ? null : path;
    }

    private String prefix() {
        String host = scp.host().contains(":") ? "[" + scp.host() + "]" : scp.host();
        return "sftp://" + host + ":" + scp.port() + "/";
    }
}
