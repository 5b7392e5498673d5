package io.netsnap.restore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.netsnap.archive.Archive;
import io.netsnap.restore.RestoreRefusedException.Reason;

/**
 * netsnap's own record of restores, kept in the archive's state folder where no process variable reaches:
 * {@code state/restores/<restoreId>/} holds the request, the approval and the outcome, and
 * {@code state/restores/in-flight/<device>.json} names the one restore a device may have at a time. Process variables
 * only name a restore; whether it was approved, by whom, for which device and which content, is read here.
 *
 * <p>Every decision is a file system operation that succeeds once: a device's in-flight entry and an approval are
 * created as hard links to complete files (an existing one makes the link fail), and a push claims its approval by
 * renaming it. Two workers, two replicas or a forged process racing for the same restore get one winner and a clear
 * refusal.
 */
@Component
public class RestoreLedger {

    private static final String REQUEST = "request.json";
    private static final String APPROVAL = "approval.json";
    private static final String APPROVAL_USED = "approval-used.json";
    private static final String OUTCOME = "outcome.json";
    private static final String INTAKE = "intake.json";
    private static final String IN_FLIGHT = "in-flight";

    private final Path root;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Autowired
    public RestoreLedger(Archive archive) {
        this(archive.root().resolve("state").resolve("restores"), Clock.systemUTC());
    }

    RestoreLedger(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    /**
     * Records a new restore and makes it the device's one restore in flight.
     *
     * @throws RestoreRefusedException {@code RESTORE_IN_FLIGHT}, naming the restore that holds the device
     */
    public void open(RestoreRequest request) {
        Path folder = folder(request.restoreId());
        if (Files.exists(folder.resolve(REQUEST))) {
            throw new IllegalArgumentException("restore " + request.restoreId() + " is already recorded");
        }
        // the intake took the device already when this restore was asked for through netsnap
        boolean held = inFlightFor(request.device()).map(h -> h.restoreId().equals(request.restoreId()))
                .orElse(false);
        if (!held) {
            hold(request.device(), request);
        }
        try {
            createOnce(folder.resolve(REQUEST), request);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("restore " + request.restoreId() + " is already recorded");
        }
    }

    /** Makes {@code holder} the device's one restore in flight, or names the one that is. */
    private void hold(String device, Object holder) {
        Path inFlight = inFlight(device);
        try {
            createOnce(inFlight, holder);
        } catch (FileAlreadyExistsException e) {
            String other = read(inFlight, RestoreIntake.class).map(r -> "restore " + r.restoreId() + " of "
                    + r.target() + " requested by " + r.requester() + " at " + r.requestedAt())
                    .orElse("another restore");
            throw new RestoreRefusedException(Reason.RESTORE_IN_FLIGHT, device + " already has a restore in"
                    + " flight: " + other + "; one restore per device at a time");
        }
    }

    /**
     * Records a restore as it was asked for, before the process looks anything up. A device with a restore in
     * flight is refused here already, naming that restore.
     *
     * @throws RestoreRefusedException {@code RESTORE_IN_FLIGHT}
     */
    public void recordIntake(RestoreIntake intake) {
        if (Files.exists(folder(intake.restoreId()).resolve(INTAKE))) {
            throw new IllegalArgumentException("restore " + intake.restoreId() + " is already recorded");
        }
        hold(intake.device(), intake);
        try {
            createOnce(folder(intake.restoreId()).resolve(INTAKE), intake);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("restore " + intake.restoreId() + " is already recorded");
        }
    }

    /** The restore as it was asked for. */
    public Optional<RestoreIntake> intake(String restoreId) {
        return read(folder(restoreId).resolve(INTAKE), RestoreIntake.class);
    }

    /** The restore as it was asked for; empty also when {@code restoreId} is no restore id at all. */
    public Optional<RestoreIntake> intakeIfValid(String restoreId) {
        try {
            RestoreRequest.requireSafe(restoreId, "restore id");
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return intake(restoreId);
    }

    /**
     * Records what a step of the restore did, once: a step's record is written when the step has happened and never
     * replaced, so the outcome is read from these records, not from a variable.
     *
     * @return false when the step was recorded already
     */
    public boolean recordStep(String restoreId, String step, Object document) {
        try {
            createOnce(folder(restoreId).resolve(stepFile(step)), document);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /** What a step recorded, if it happened. */
    public <T> Optional<T> step(String restoreId, String step, Class<T> type) {
        return read(folder(restoreId).resolve(stepFile(step)), type);
    }

    /** Whether the step happened. */
    public boolean hasStep(String restoreId, String step) {
        return Files.exists(folder(restoreId).resolve(stepFile(step)));
    }

    private static String stepFile(String step) {
        if (!step.matches("[a-z][a-z-]{0,39}")) {
            throw new IllegalArgumentException("not a step name: " + step);
        }
        return "step-" + step + ".json";
    }

    /**
     * The approval recorded for the restore, unused and unexpired, without using it: what a step that touches the
     * device before the push (the checkpoint) requires.
     *
     * @throws RestoreRefusedException {@code NOT_APPROVED}, {@code APPROVAL_USED}, {@code APPROVAL_EXPIRED},
     *                                 {@code RESTORE_UNKNOWN}, {@code RESTORE_CONCLUDED}
     */
    public Approval requireApproved(String restoreId) {
        RestoreRequest request = requireOpen(restoreId);
        Path folder = folder(restoreId);
        Optional<Approval> approval = read(folder.resolve(APPROVAL), Approval.class);
        if (approval.isEmpty()) {
            if (Files.exists(folder.resolve(APPROVAL_USED))) {
                throw new RestoreRefusedException(Reason.APPROVAL_USED, "restore " + restoreId + " of "
                        + request.target() + ": its approval was used by an earlier push");
            }
            throw new RestoreRefusedException(Reason.NOT_APPROVED, "restore " + restoreId + " of "
                    + request.target() + " has no recorded approval; the device was not touched");
        }
        if (!clock.instant().isBefore(Instant.parse(approval.get().expiresAt()))) {
            throw new RestoreRefusedException(Reason.APPROVAL_EXPIRED, "restore " + restoreId + " of "
                    + request.target() + ": the approval by " + approval.get().approver() + " expired at "
                    + approval.get().expiresAt() + "; the device was not touched");
        }
        return approval.get();
    }

    /**
     * Records the end of a restore that never became one (refused before it was opened) and frees its device, which
     * its intake held. Ending it twice is refused.
     */
    public RestoreOutcome concludeUnopened(String restoreId, String outcome, String detail) {
        RestoreOutcome concluded = new RestoreOutcome(restoreId, outcome, null, detail, clock.instant().toString());
        try {
            createOnce(folder(restoreId).resolve(OUTCOME), concluded);
        } catch (FileAlreadyExistsException e) {
            throw new RestoreRefusedException(Reason.RESTORE_CONCLUDED, "restore " + restoreId + " has concluded");
        }
        intake(restoreId).ifPresent(intake -> release(intake.device(), restoreId));
        return concluded;
    }

    /** Frees the device for the next restore, if this restore holds it. */
    private void release(String device, String restoreId) {
        Path inFlight = inFlight(device);
        if (read(inFlight, RestoreIntake.class).map(r -> r.restoreId().equals(restoreId)).orElse(false)) {
            try {
                Files.deleteIfExists(inFlight);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot free " + device + " for the next restore: "
                        + e.getMessage(), e);
            }
        }
    }

    /** Every restore netsnap recorded, by id, oldest first (ids begin with their time). */
    public java.util.List<String> restoreIds() {
        if (!Files.isDirectory(root)) {
            return java.util.List.of();
        }
        try (java.util.stream.Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !name.equals(IN_FLIGHT) && !name.startsWith("."))
                    .filter(name -> Files.exists(root.resolve(name).resolve(INTAKE))
                            || Files.exists(root.resolve(name).resolve(REQUEST)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the restores in " + root + ": " + e.getMessage(), e);
        }
    }

    /** The restore's folder, where its report and steps are kept. */
    public Path folderOf(String restoreId) {
        return folder(restoreId);
    }

    /** The restore as it was requested. */
    public Optional<RestoreRequest> request(String restoreId) {
        return read(folder(restoreId).resolve(REQUEST), RestoreRequest.class);
    }

    /**
     * Records the approval of {@code approver} for exactly the content the approver saw. Four eyes: the approver must
     * not be the requester. An approval is recorded once.
     *
     * @param candidateSha256 the digest of the content shown to the approver
     * @param validFor        how long the approval may wait for its push
     * @throws RestoreRefusedException {@code FOUR_EYES}, {@code NOT_WHAT_WAS_APPROVED} (the digest shown is not the
     *                                 requested one), {@code RESTORE_UNKNOWN}, {@code RESTORE_CONCLUDED}, or
     *                                 {@code APPROVAL_USED} when it was approved already
     */
    public Approval approve(String restoreId, String approver, String candidateSha256, Duration validFor) {
        RestoreRequest request = requireOpen(restoreId);
        if (approver == null || approver.isBlank()) {
            throw new IllegalArgumentException("an approval needs the approver's identity");
        }
        if (approver.equals(request.requester())) {
            throw new RestoreRefusedException(Reason.FOUR_EYES, "restore " + restoreId + " of " + request.target()
                    + ": " + approver + " requested it and may not approve it; another member of network-approvers"
                    + " must");
        }
        if (!request.candidateSha256().equals(candidateSha256)) {
            throw new RestoreRefusedException(Reason.NOT_WHAT_WAS_APPROVED, "restore " + restoreId + " of "
                    + request.target() + ": the content shown for approval (sha256 " + abbreviate(candidateSha256)
                    + ") is not the requested candidate (sha256 " + abbreviate(request.candidateSha256()) + ")");
        }
        Instant now = clock.instant();
        Approval approval = new Approval(restoreId, request.device(), request.context(), request.candidateSha256(),
                request.requester(), approver, now.toString(), now.plus(validFor).toString());
        try {
            if (Files.exists(folder(restoreId).resolve(APPROVAL_USED))) {
                throw new FileAlreadyExistsException(APPROVAL_USED);
            }
            createOnce(folder(restoreId).resolve(APPROVAL), approval);
        } catch (FileAlreadyExistsException e) {
            throw new RestoreRefusedException(Reason.APPROVAL_USED, "restore " + restoreId + " of "
                    + request.target() + " is approved already");
        }
        return approval;
    }

    /**
     * Claims the restore's approval for one push of {@code candidateSha256} to {@code device}. Whatever a process
     * variable says, the push happens only if netsnap recorded an unexpired, unused approval of exactly that device
     * and content; the claim uses the approval up, so it can never serve a second push.
     *
     * @throws RestoreRefusedException {@code NOT_APPROVED}, {@code APPROVAL_USED}, {@code APPROVAL_EXPIRED},
     *                                 {@code NOT_WHAT_WAS_APPROVED}, {@code RESTORE_UNKNOWN},
     *                                 {@code RESTORE_CONCLUDED}
     */
    public Approval claim(String restoreId, String device, String context, String candidateSha256) {
        RestoreRequest request = requireOpen(restoreId);
        String target = context == null ? device : device + "/" + context;
        if (!request.device().equals(device) || !java.util.Objects.equals(request.context(), context)) {
            throw new RestoreRefusedException(Reason.NOT_WHAT_WAS_APPROVED, "restore " + restoreId + " was approved"
                    + " for " + request.target() + ", not for " + target + "; nothing pushed");
        }
        if (!request.candidateSha256().equals(candidateSha256)) {
            throw new RestoreRefusedException(Reason.NOT_WHAT_WAS_APPROVED, "restore " + restoreId + " of " + target
                    + ": the content to push (sha256 " + abbreviate(candidateSha256) + ") is not what was approved"
                    + " (sha256 " + abbreviate(request.candidateSha256()) + "); nothing pushed");
        }
        Path folder = folder(restoreId);
        try {
            Files.move(folder.resolve(APPROVAL), folder.resolve(APPROVAL_USED), StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            if (Files.exists(folder.resolve(APPROVAL_USED))) {
                throw new RestoreRefusedException(Reason.APPROVAL_USED, "restore " + restoreId + " of " + target
                        + ": its approval was used by an earlier push; nothing pushed");
            }
            throw new RestoreRefusedException(Reason.NOT_APPROVED, "restore " + restoreId + " of " + target
                    + " has no recorded approval; nothing pushed");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot claim the approval of restore " + restoreId + ": "
                    + e.getMessage(), e);
        }
        Approval approval = read(folder.resolve(APPROVAL_USED), Approval.class).orElseThrow();
        if (!approval.candidateSha256().equals(candidateSha256) || !approval.device().equals(device)) {
            throw new RestoreRefusedException(Reason.NOT_WHAT_WAS_APPROVED, "restore " + restoreId + " of " + target
                    + ": the recorded approval is for other content; nothing pushed");
        }
        if (!clock.instant().isBefore(Instant.parse(approval.expiresAt()))) {
            throw new RestoreRefusedException(Reason.APPROVAL_EXPIRED, "restore " + restoreId + " of " + target
                    + ": the approval by " + approval.approver() + " expired at " + approval.expiresAt()
                    + "; nothing pushed");
        }
        return approval;
    }

    /** The approval recorded for the restore, used or not. */
    public Optional<Approval> approval(String restoreId) {
        Path folder = folder(restoreId);
        Optional<Approval> unused = read(folder.resolve(APPROVAL), Approval.class);
        return unused.isPresent() ? unused : read(folder.resolve(APPROVAL_USED), Approval.class);
    }

    /** Records how the restore ended and frees its device for the next one. Concluding twice is refused. */
    public RestoreOutcome conclude(String restoreId, String outcome, String sha256After, String detail) {
        RestoreRequest request = requireOpen(restoreId);
        RestoreOutcome concluded = new RestoreOutcome(restoreId, outcome, sha256After, detail,
                clock.instant().toString());
        try {
            createOnce(folder(restoreId).resolve(OUTCOME), concluded);
        } catch (FileAlreadyExistsException e) {
            throw new RestoreRefusedException(Reason.RESTORE_CONCLUDED, "restore " + restoreId + " has concluded");
        }
        release(request.device(), restoreId);
        return concluded;
    }

    /** How the restore ended, once it has. */
    public Optional<RestoreOutcome> outcome(String restoreId) {
        return read(folder(restoreId).resolve(OUTCOME), RestoreOutcome.class);
    }

    /** The restore the device has in flight, if any. */
    public Optional<RestoreIntake> inFlightFor(String device) {
        RestoreRequest.requireSafe(device, "device");
        return read(inFlight(device), RestoreIntake.class);
    }

    private RestoreRequest requireOpen(String restoreId) {
        RestoreRequest request = request(restoreId).orElseThrow(() -> new RestoreRefusedException(
                Reason.RESTORE_UNKNOWN, "netsnap has no record of restore '" + printable(restoreId) + "'"));
        if (Files.exists(folder(restoreId).resolve(OUTCOME))) {
            throw new RestoreRefusedException(Reason.RESTORE_CONCLUDED, "restore " + restoreId + " of "
                    + request.target() + " has concluded");
        }
        return request;
    }

    private Path folder(String restoreId) {
        try {
            RestoreRequest.requireSafe(restoreId, "restore id");
        } catch (IllegalArgumentException e) {
            throw new RestoreRefusedException(Reason.RESTORE_UNKNOWN, "netsnap has no record of restore '"
                    + printable(restoreId) + "'");
        }
        return root.resolve(restoreId);
    }

    private Path inFlight(String device) {
        return root.resolve(IN_FLIGHT).resolve(device + ".json");
    }

    /**
     * Writes {@code document} to a temporary file and links it in under {@code target}: the target appears complete
     * or not at all, and only if it did not exist.
     */
    private void createOnce(Path target, Object document) throws FileAlreadyExistsException {
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            Files.write(temp, json.writeValueAsBytes(document));
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover .part file is harmless: nothing reads it
                }
            }
        }
    }

    private <T> Optional<T> read(Path file, Class<T> type) {
        try {
            return Optional.of(json.readValue(Files.readAllBytes(file), type));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String sha256) {
        return sha256 == null ? "none" : sha256.length() > 12 ? sha256.substring(0, 12) : printable(sha256);
    }

    /** A value from outside, cut short and with control characters replaced, fit for a one-line message. */
    private static String printable(String value) {
        if (value == null) {
            return "";
        }
        String cut = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
