package io.netsnap.device;

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

    /** Non-blank lines at the start of an output where a device puts its refusal of the command. */
    private static final int REFUSAL_LINES = 3;

    private final SshConnector connector;
    private final CliProfile profile;

    CliFetcher(SshConnector connector, CliProfile profile) {
        this.connector = connector;
        this.profile = profile;
    }

    /** One session: log in, fetch the profile's command, normalize, log out. */
    FetchedConfig fetch(Device device, Credentials credentials) {
        try (CliSession session = open(device, credentials)) {
            return fetch(device, session, profile.fetchCommand());
        }
    }

    /** A session that is logged in, privileged where the platform needs it, and prepared (paging off if allowed). */
    CliSession open(Device device, Credentials credentials) {
        CliSession session = connector.openShell(device, credentials, profile);
        try {
            session.awaitLoginPrompt();
            ensurePrivileged(device, credentials, session);
            for (String setup : profile.sessionSetup()) {
                String refusal = profile.firstError(session.command(setup));
                if (refusal != null) {
                    log.info("{}: '{}' refused ({}); the pager will be answered instead", device.name(), setup,
                            refusal);
                }
            }
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** Runs {@code command} and returns its output; a refusal by the device is an {@link DeviceException.UnsupportedCommand}. */
    String run(Device device, CliSession session, String command) {
        String output = session.command(command);
        // A refusal is the first thing a device says (a caret line, then the error). Further down the output is
        // configuration, where a banner line may well read "% Permission denied".
        String refusal = profile.firstError(firstLines(output, REFUSAL_LINES));
        if (refusal != null) {
            throw new DeviceException.UnsupportedCommand(device.name(), command, refusal);
        }
        return output;
    }

    private static String firstLines(String output, int count) {
        StringBuilder head = new StringBuilder();
        int taken = 0;
        for (String line : output.split("\n", -1)) {
            if (taken == count) {
                break;
            }
            if (!line.isBlank()) {
                head.append(line).append('\n');
                taken++;
            }
        }
        return head.toString();
    }

    /** Runs a command whose output is a configuration, and normalizes it. */
    FetchedConfig fetch(Device device, CliSession session, String command) {
        String raw = CliProfile.trimBlankLines(run(device, session, command));
        String normalized = profile.normalize(raw);
        if (normalized.isEmpty()) {
            throw new DeviceException.Protocol(device.name(), "'" + command + "' returned an empty configuration");
        }
        return new FetchedConfig(raw, normalized);
    }

    /**
     * Raises privilege when the login landed unprivileged. Some devices enable without a password (AAA), some ask
     * and take a blank one (an ASA whose enable password was never set); the secret's {@code enable} field is sent
     * only when a password is asked for.
     */
    private void ensurePrivileged(Device device, Credentials credentials, CliSession session) {
        if (session.privileged() || profile.enableCommand() == null) {
            return;
        }
        Pattern password = profile.passwordPrompt();
        String answer = session.sendAndExpect(profile.enableCommand(), password, "the enable password prompt");
        if (password.matcher(answer).find()) {
            answer = session.sendSecret(credentials.enable() == null ? "" : credentials.enable(), password,
                    "the prompt after enable");
        }
        if (!session.privileged() || password.matcher(answer).find()) {
            String missing = credentials.enable() == null ? "; the secret at Vault path " + device.credentials()
                    + " has no 'enable' field" : " (enable secret from Vault path " + device.credentials() + ")";
            throw new DeviceException.Authentication(device.name(), "enable refused" + errorSuffix(answer)
                    + missing);
        }
    }

    private String errorSuffix(String answer) {
        String error = profile.firstError(answer);
        return error == null ? "" : ": " + error;
    }
}
