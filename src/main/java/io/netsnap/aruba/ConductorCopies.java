package io.netsnap.aruba;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveException;
import io.netsnap.archive.RunFolder;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.credentials.CredentialsUnavailableException;
import io.netsnap.device.DeviceException;

/**
 * The files conductors copied to the SCP server, as netsnap verified them: recorded in the run's own state
 * ({@code state/runs/<date>/<runId>/remote-copies/<device>.json}, one document per device, so parallel conductors
 * never write the same file), listed in the run's manifest, and removed from the server by retention. Only what is
 * recorded here is ever removed: never a listing of the server's folder, which may hold files that are not netsnap's.
 */
@Service
public class ConductorCopies {

    /** The folder of a run's state that holds one document per conductor. */
    static final String FOLDER = "remote-copies";

    private static final Logger log = LoggerFactory.getLogger(ConductorCopies.class);

    private final Archive archive;
    private final ScpTarget target;
    private final CredentialsProvider credentials;
    private final ArubaProperties.Scp scp;

    ConductorCopies(Archive archive, ScpTarget target, CredentialsProvider credentials, ArubaProperties properties) {
        this.archive = archive;
        this.target = target;
        this.credentials = credentials;
        this.scp = properties.scp();
    }

    /**
     * One file a conductor copied to the SCP server.
     *
     * @param device   the conductor, by its inventory name
     * @param location {@code sftp://HOST:PORT/PATH} ({@code /~/PATH} when relative to the account's home); no
     *                 credentials
     * @param bytes    its size as netsnap found it after the copy
     * @param sha256   its digest as netsnap read it back
     * @param removed  whether retention removed it (or found it gone)
     */
    public record Copy(String device, String location, long bytes, String sha256, boolean removed) {
    }

    /** One conductor's document in the run's state. */
    record Copies(List<Copy> copies) {
    }

    /**
     * What retention did on the SCP server.
     *
     * @param removed the locations removed (or found gone) this time
     * @param pending runs with copies still on the server: their state must stay for the next attempt
     * @param error   why some could not be removed, one line; {@code null} when all went
     */
    public record Removal(List<String> removed, Set<RunFolder> pending, String error) {
    }

    /** Records the verified files of one conductor; a retry of the step replaces what it recorded before. */
    void record(RunFolder run, String device, List<ArubaService.PushedFile> files) {
        List<Copy> copies = files.stream()
                .map(file -> new Copy(device, target.location(file.path()), file.bytes(), file.sha256(), false))
                .toList();
        archive.writeRunState(run, FOLDER + "/" + device + ".json", new Copies(copies));
    }

    /**
     * Every conductor copy the run recorded, by device name.
     *
     * @throws ArchiveException when the run's state cannot be read
     */
    public static List<Copy> inRun(Archive archive, RunFolder run) {
        return archive.readRunStates(run, FOLDER, Copies.class).values().stream()
                .flatMap(document -> document.copies().stream()).toList();
    }

    /**
     * Removes from the SCP server the copies recorded by runs dated before {@code cutoff}, over SFTP with the known
     * host key and the SCP account from Vault. A file already gone counts as removed. Never throws for the server:
     * a failure is in {@link Removal#error()}, and what was not removed stays recorded for the next run.
     */
    public Removal removeBefore(LocalDate cutoff) {
        List<RunFolder> runs = archive.runsWithStateBefore(cutoff, FOLDER);
        Map<RunFolder, SortedMap<String, Copies>> documents = new java.util.LinkedHashMap<>();
        runs.forEach(run -> documents.put(run, archive.readRunStates(run, FOLDER, Copies.class)));
        long due = documents.values().stream().flatMap(byDevice -> byDevice.values().stream())
                .flatMap(document -> document.copies().stream()).filter(copy -> !copy.removed()).count();
        if (due == 0) {
            return new Removal(List.of(), Set.of(), null);
        }
        List<String> removed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!scp.configured()) {
            problems.add("netsnap.aruba.scp.host or netsnap.aruba.scp.credentials is not set");
        } else {
            try {
                target.open(credentials.forPath(scp.credentials()), sftp -> {
                    documents.forEach((run, byDevice) -> byDevice.forEach((name, document) ->
                            removeFrom(sftp, run, name, document, removed, problems)));
                    return null;
                });
            } catch (DeviceException e) {
                problems.add(e.getMessage());
            } catch (IOException e) {
                problems.add("SFTP failed (" + e.getClass().getSimpleName() + ")");
            } catch (CredentialsUnavailableException e) {
                problems.add(e.getMessage());
            }
        }
        Set<RunFolder> pending = new HashSet<>();
        for (RunFolder run : runs) {
            if (archive.readRunStates(run, FOLDER, Copies.class).values().stream()
                    .anyMatch(document -> document.copies().stream().anyMatch(copy -> !copy.removed()))) {
                pending.add(run);
            }
        }
        if (!removed.isEmpty()) {
            log.info("Retention removed {} conductor copies from the {}: {}", removed.size(), target.name(),
                    removed);
        }
        String error = null;
        if (!pending.isEmpty()) {
            error = (due - removed.size()) + " conductor copies of " + pending.size() + " run(s) before " + cutoff
                    + " are still on the " + target.name() + ", kept for the next run: "
                    + (problems.isEmpty() ? "not removed" : problems.get(0).replaceAll("\\p{Cntrl}", " "));
            log.warn("Retention of conductor copies failed: {}", error);
        }
        return new Removal(List.copyOf(removed), Set.copyOf(pending), error);
    }

    /** Removes one conductor's pending copies and records, in its document, which went. */
    private void removeFrom(SftpClient sftp, RunFolder run, String name, Copies document, List<String> removed,
                            List<String> problems) {
        List<Copy> after = new ArrayList<>();
        for (Copy copy : document.copies()) {
            if (copy.removed()) {
                after.add(copy);
                continue;
            }
            String path = target.pathOf(copy.location());
            if (path == null) {
                problems.add(copy.location() + " is not on the configured " + target.name());
                after.add(copy);
                continue;
            }
            try {
                sftp.remove(path);
            } catch (SftpException e) {
                if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                    problems.add("cannot remove " + copy.location() + ": " + SftpConstants.getStatusName(e.getStatus()));
                    after.add(copy);
                    continue;
                }
            } catch (IOException e) {
                problems.add("cannot remove " + copy.location() + " (" + e.getClass().getSimpleName() + ")");
                after.add(copy);
                continue;
            }
            removed.add(copy.location());
            after.add(new Copy(copy.device(), copy.location(), copy.bytes(), copy.sha256(), true));
        }
        archive.writeRunState(run, FOLDER + "/" + name, new Copies(after));
    }
}
