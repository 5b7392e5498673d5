package io.netsnap.device;

import java.time.Instant;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netsnap.credentials.Credentials;
import io.netsnap.inventory.Device;

/**
 * The common flow of CLI platforms: log in, raise privilege when needed, prepare the session, run the fetch command,
 * normalize. Platforms that need more (ASA contexts) script {@link CliSession} themselves with the same pieces.
 */
final class CliFetcher {

    private static final Logger log = LoggerFactory.getLogger(CliFetcher.class);

    private final SshConnector connector;
    private final CliProfile profile;

    CliFetcher(SshConnector connector, CliProfile profile) {
        this.connector = connector;
        this.profile = profile;
    }

    FetchedConfig fetch(Device device, Credentials credentials) {
        Instant deadline = connector.deadlineFromNow();
        try (CliSession session = connector.openShell(device, credentials, profile, deadline)) {
            session.awaitLoginPrompt();
            ensurePrivileged(device, credentials, session);
            for (String setup : profile.sessionSetup()) {
                String refusal = profile.firstError(session.command(setup));
                if (refusal != null) {
                    log.info("{}: '{}' refused ({}); the pager will be answered instead", device.name(), setup,
                            refusal);
                }
            }
            String output = session.command(profile.fetchCommand());
            String refusal = profile.firstError(output);
            if (refusal != null) {
                throw new DeviceException.UnsupportedCommand(device.name(), profile.fetchCommand(), refusal);
            }
            String raw = CliProfile.trimBlankLines(output);
            String normalized = profile.normalize(raw);
            if (normalized.isEmpty()) {
                throw new DeviceException.Protocol(device.name(), "'" + profile.fetchCommand()
                        + "' returned an empty configuration");
            }
            return new FetchedConfig(raw, normalized);
        }
    }

    private void ensurePrivileged(Device device, Credentials credentials, CliSession session) {
        if (session.privileged() || profile.enableCommand() == null) {
            return;
        }
        if (credentials.enable() == null) {
            throw new DeviceException.Authentication(device.name(), "logged in unprivileged ('>') and the secret at "
                    + "Vault path " + device.credentials() + " has no 'enable' field");
        }
        Pattern password = profile.passwordPrompt();
        String answer = session.sendAndExpect(profile.enableCommand(), password, "the enable password prompt");
        if (password.matcher(answer).find()) {
            answer = session.sendSecret(credentials.enable(), password, "the prompt after enable");
        }
        if (!session.privileged() || password.matcher(answer).find()) {
            throw new DeviceException.Authentication(device.name(), "enable refused"
                    + errorSuffix(answer) + " (enable secret from Vault path " + device.credentials() + ")");
        }
    }

    private String errorSuffix(String answer) {
        String error = profile.firstError(answer);
        return error == null ? "" : ": " + error;
    }
}
