package io.netsnap.restore;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.netsnap.archive.Archive;
import io.netsnap.archive.RunFolder;
import io.netsnap.archive.Version;
import io.netsnap.backup.BackupService;
import io.netsnap.backup.DeviceDirectory;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.device.DeviceDrivers;
import io.netsnap.device.DeviceException;
import io.netsnap.device.FetchedConfig;
import io.netsnap.device.RestoreDriver;
import io.netsnap.inventory.Device;
import io.netsnap.restore.RestoreRefusedException.Reason;

/**
 * The steps of a restore, each one a job of {@code config-restore}: what each step may do is decided by netsnap's own
 * records ({@link RestoreLedger}), never by a process variable. The process carries the restore's id; the device
 * comes from the inventory, the content from the history, the requester and the approver from identities netsnap
 * recorded, and every step that happened is recorded once, so that the outcome written to the audit is what
 * happened, whatever path a token took.
 *
 * <p>Audit: every restore that was opened ends in a history commit whose message holds requester, approver, ticket,
 * reason, the digests before and after, and the outcome (with the device's configuration after the restore when it
 * changed), and in a report, {@code runs/<date>/<restoreId>/restore.json}, next to the run reports.
 */
@Component
public class RestoreService {

    private static final Logger log = LoggerFactory.getLogger(RestoreService.class);

    static final String STEP_REFUSED = "refused";
    static final String STEP_DECISION = "decision";
    static final String STEP_CHECKPOINT = "checkpoint";
    static final String STEP_CHECKPOINT_FAILED = "checkpoint-failed";
    static final String STEP_PUSH = "push";
    static final String STEP_PUSH_FAILED = "push-failed";
    static final String STEP_VERIFIED = "verified";
    static final String STEP_VERIFY_FAILED = "verify-failed";
    static final String STEP_ROLLBACK = "rollback";
    static final String STEP_ROLLBACK_VERIFIED = "rollback-verified";
    static final String STEP_ROLLBACK_FAILED = "rollback-failed";

    /** Outcomes, as the audit records them. */
    public static final String RESTORED = "RESTORED";
    public static final String ROLLED_BACK = "ROLLED_BACK";
    public static final String ROLLBACK_FAILED = "ROLLBACK_FAILED";
    public static final String REJECTED = "REJECTED";
    public static final String TIMED_OUT = "TIMED_OUT";
    public static final String REFUSED = "REFUSED";
    public static final String NOT_PUSHED = "NOT_PUSHED";

    private static final DateTimeFormatter ID_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final Pattern PRINTABLE_TEXT = Pattern.compile("[^\\p{Cntrl}]{1,200}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RestoreLedger ledger;
    private final RestorePreparation preparation;
    private final DeviceDirectory directory;
    private final DeviceDrivers drivers;
    private final CredentialsProvider credentials;
    private final Archive archive;
    private final BackupService backups;
    private final RestoreProperties properties;
    private final Clock clock;

    @Autowired
    public RestoreService(RestoreLedger ledger, RestorePreparation preparation, DeviceDirectory directory,
                          DeviceDrivers drivers, CredentialsProvider credentials, Archive archive,
                          BackupService backups, RestoreProperties properties) {
        this(ledger, preparation, directory, drivers, credentials, archive, backups, properties, Clock.systemUTC());
    }

    RestoreService(RestoreLedger ledger, RestorePreparation preparation, DeviceDirectory directory,
                   DeviceDrivers drivers, CredentialsProvider credentials, Archive archive, BackupService backups,
                   RestoreProperties properties, Clock clock) {
        this.ledger = ledger;
        this.preparation = preparation;
        this.directory = directory;
        this.drivers = drivers;
        this.credentials = credentials;
        this.archive = archive;
        this.backups = backups;
        this.properties = properties;
        this.clock = clock;
    }

    public RestoreLedger ledger() {
        return ledger;
    }

    public RestoreProperties properties() {
        return properties;
    }

    // ---- request ------------------------------------------------------------------------------------------------

    /**
     * Records a restore as {@code requester} asked for it, before any process exists: the identity is the one the
     * caller could not choose (the kernel's name for the OS user on the task channel).
     *
     * @param version      a history commit (or a unique prefix); ignored when {@code toCheckpoint}
     * @param toCheckpoint an emergency rollback to the device's latest pre-restore checkpoint
     * @throws RestoreRefusedException {@code DEVICE_UNKNOWN}, {@code VERSION_UNKNOWN}, {@code NO_CHECKPOINT},
     *                                 {@code RESTORE_IN_FLIGHT}
     * @throws IllegalArgumentException a missing or unprintable ticket or reason
     */
    public RestoreIntake request(String requester, String device, String context, String version,
                                 boolean toCheckpoint, String ticket, String reason) {
        requireText(ticket, "a change ticket");
        requireText(reason, "a reason");
        Device entry = directory.inventory(null).device(device).orElseThrow(() -> new RestoreRefusedException(
                Reason.DEVICE_UNKNOWN, "'" + DeviceDirectory.printable(device) + "' is not a device of netsnap's"
                + " inventory"));
        String resolved;
        if (toCheckpoint) {
            resolved = latestCheckpoint(entry.name()).orElseThrow(() -> new RestoreRefusedException(
                    Reason.NO_CHECKPOINT, entry.name() + " has no pre-restore checkpoint: netsnap takes one before"
                    + " every restore, and none has been taken for this device"));
        } else {
            if (version == null || version.isBlank()) {
                throw new IllegalArgumentException("a restore needs a version (a commit id from netsnap history "
                        + entry.name() + ") or --to-checkpoint");
            }
            resolved = archive.version(version.strip()).map(Version::commit).orElseThrow(
                    () -> new RestoreRefusedException(Reason.VERSION_UNKNOWN, "no version '"
                            + DeviceDirectory.printable(version) + "' in the history (netsnap history "
                            + entry.name() + " lists them)"));
        }
        Instant now = clock.instant();
        String restoreId = "restore-" + ID_STAMP.format(now) + "-" + HexFormat.of().formatHex(randomBytes());
        RestoreIntake intake = new RestoreIntake(restoreId, entry.name(), context, resolved, toCheckpoint,
                ticket.strip(), reason.strip(), requester, now.toString());
        ledger.recordIntake(intake);
        log.info("Restore {} of {} to {} requested by {} (ticket {}){}", restoreId, intake.target(),
                abbreviate(resolved), requester, intake.ticket(), toCheckpoint ? ", emergency rollback to the"
                        + " latest pre-restore checkpoint" : "");
        return intake;
    }

    /** The history version of the device's latest pre-restore checkpoint, if netsnap took one. */
    public Optional<String> latestCheckpoint(String device) {
        List<String> ids = new ArrayList<>(ledger.restoreIds());
        java.util.Collections.reverse(ids);
        for (String id : ids) {
            Optional<RestoreRequest> request = ledger.request(id);
            if (request.isPresent() && request.get().device().equals(device)) {
                Optional<CheckpointTaken> checkpoint = ledger.step(id, STEP_CHECKPOINT, CheckpointTaken.class);
                if (checkpoint.isPresent()) {
                    return Optional.of(checkpoint.get().version());
                }
            }
        }
        return Optional.empty();
    }

    // ---- prepare ------------------------------------------------------------------------------------------------

    /**
     * What an approver sees, and the restore opened in the ledger (the device is now held by it).
     *
     * @param prepared   the masked diff and digests
     * @param intake     the request as recorded
     * @param versionAt  when the version was committed
     * @param reportPath where the whole masked diff is, for people
     */
    public record Prepared(PreparedRestore prepared, RestoreIntake intake, Instant versionAt, String reportPath) {
    }

    /**
     * Prepares a restore netsnap recorded: device from the inventory, candidate from the history, live configuration
     * from the device, the masked diff; then opens it in the ledger.
     *
     * @throws RestoreRefusedException {@code REQUESTER_UNKNOWN} (no intake: not requested through netsnap), and the
     *                                 refusals of {@link RestorePreparation#prepare} and {@link RestoreLedger#open}
     * @throws DeviceException          when the live configuration cannot be fetched (the caller retries)
     */
    public Prepared prepare(String restoreId) {
        RestoreIntake intake = requireIntake(restoreId);
        PreparedRestore prepared = preparation.prepare(intake.device(), intake.context(), intake.version());
        Optional<RestoreRequest> opened = ledger.request(restoreId);
        if (opened.isEmpty()) {
            ledger.open(new RestoreRequest(restoreId, intake.device(), intake.context(), intake.version(),
                    prepared.candidateSha256(), intake.requester(), intake.ticket(), intake.reason(),
                    intake.requestedAt()));
        } else if (!opened.get().candidateSha256().equals(prepared.candidateSha256())) {
            // a repeated step must find what the first one recorded
            throw new RestoreRefusedException(Reason.NOT_WHAT_WAS_APPROVED, "restore " + restoreId + ": the"
                    + " candidate changed since the restore was opened");
        }
        RunFolder run = runFolder(intake);
        String diffPath = archive.writeRunText(run, "masked-diff.txt", String.join("\n", prepared.maskedDiff())
                + "\n").toString();
        Instant versionAt = archive.version(intake.version()).map(Version::committed).orElse(null);
        log.info("Restore {} of {}: prepared, candidate sha256 {}, +{} -{} line(s), waiting for approval",
                restoreId, intake.target(), abbreviate(prepared.candidateSha256()), prepared.linesAdded(),
                prepared.linesRemoved());
        return new Prepared(prepared, intake, versionAt, diffPath);
    }

    /** Records that a step refused the restore, so that its conclusion says so. */
    public void refused(String restoreId, String code, String message) {
        if (restoreId == null || ledger.intakeIfValid(restoreId).isEmpty()) {
            return;
        }
        ledger.recordStep(restoreId, STEP_REFUSED, new StepNote(code, message, clock.instant().toString()));
    }

    // ---- approval -----------------------------------------------------------------------------------------------

    /**
     * The decision recorded.
     *
     * @param decision {@code approved}, {@code rejected}, or {@code again} (nothing recorded: the task goes back to
     *                 the approvers with {@code problem})
     * @param problem  why the task goes back, or {@code null}
     */
    public record Decision(String decision, String approver, String problem) {
    }

    /**
     * Records the decision of {@code approver} (an identity netsnap recorded, never a typed field).
     *
     * @throws RestoreRefusedException {@code RESTORE_UNKNOWN}, {@code RESTORE_CONCLUDED}, {@code APPROVAL_TIMED_OUT}
     */
    public Decision decide(String restoreId, String approver, String decision, String rejectReason) {
        RestoreRequest request = ledger.request(restoreId).orElseThrow(() -> new RestoreRefusedException(
                Reason.RESTORE_UNKNOWN, "netsnap has no record of restore '" + DeviceDirectory.printable(restoreId)
                + "'"));
        Instant now = clock.instant();
        if (!now.isBefore(Instant.parse(request.requestedAt()).plus(properties.approvalTimeout()))) {
            throw new RestoreRefusedException(Reason.APPROVAL_TIMED_OUT, "restore " + restoreId + " of "
                    + request.target() + " was requested at " + request.requestedAt() + " and not decided within "
                    + properties.approvalTimeout() + " (netsnap.restore.approval-timeout)");
        }
        if ("reject".equals(decision)) {
            String why = rejectReason == null || rejectReason.isBlank() ? "no reason given" : clean(rejectReason);
            ledger.recordStep(restoreId, STEP_DECISION, new DecisionRecord("rejected", approver, why, now.toString()));
            log.info("Restore {} of {}: rejected by {}: {}", restoreId, request.target(), approver, why);
            return new Decision("rejected", approver, null);
        }
        if (!"approve".equals(decision)) {
            return new Decision("again", approver, "The decision must be approve or reject (it was "
                    + (decision == null ? "missing" : "'" + clean(decision) + "'") + ").");
        }
        try {
            ledger.approve(restoreId, approver, request.candidateSha256(), properties.approvalValidFor());
        } catch (RestoreRefusedException e) {
            if (e.reason() != Reason.FOUR_EYES) {
                throw e;
            }
            log.warn("Restore {} of {}: {}", restoreId, request.target(), e.getMessage());
            return new Decision("again", approver, approver + " requested this restore and may not approve it:"
                    + " another member of network-approvers must. Nothing was pushed.");
        }
        ledger.recordStep(restoreId, STEP_DECISION, new DecisionRecord("approved", approver, null, now.toString()));
        log.info("Restore {} of {}: approved by {} (requested by {})", restoreId, request.target(), approver,
                request.requester());
        return new Decision("approved", approver, null);
    }

    // ---- checkpoint ---------------------------------------------------------------------------------------------

    /**
     * The pre-restore checkpoint: a fresh backup committed to the history, and the device's own rollback point.
     *
     * @param version the history commit holding the checkpoint
     * @param sha256  the digest of the configuration at the checkpoint (normalized)
     * @param point   the device's own rollback point
     * @param text    the configuration at the checkpoint, normalized, to verify a rollback against
     * @param takenAt when
     */
    public record CheckpointTaken(String version, String sha256, RestoreDriver.Checkpoint point, String text,
                                  String takenAt) {
    }

    /**
     * @throws RestoreRefusedException without a recorded, unused, unexpired approval: the device is not touched
     * @throws DeviceException          when the device cannot be read or refuses the rollback point
     */
    public CheckpointTaken checkpoint(String restoreId) {
        Optional<CheckpointTaken> taken = ledger.step(restoreId, STEP_CHECKPOINT, CheckpointTaken.class);
        if (taken.isPresent()) {
            return taken.get();
        }
        ledger.requireApproved(restoreId);
        RestoreRequest request = ledger.request(restoreId).orElseThrow();
        Device device = device(request);
        RestoreDriver driver = driver(device);
        FetchedConfig before = driver.fetch(device, credentials.forPath(device.credentials()));
        RunFolder run = runFolder(request);
        backups.store(run, device, before);
        String historyPath = Archive.historyPath(request.device(), request.context());
        String version = archive.commitRun(run, archive.storedInRun(run), "pre-restore checkpoint of "
                + request.target() + " for " + restoreId).orElseGet(() -> archive.versions(historyPath).get(0)
                .commit());
        RestoreDriver.Checkpoint point = driver.checkpoint(device, credentials.forPath(device.credentials()),
                restoreId);
        CheckpointTaken checkpoint = new CheckpointTaken(version, RestorePreparation.sha256(before.normalized()),
                point, before.normalized(), clock.instant().toString());
        ledger.recordStep(restoreId, STEP_CHECKPOINT, checkpoint);
        log.info("Restore {} of {}: checkpoint {} in the history, {} on the device", restoreId, request.target(),
                abbreviate(version), point.name());
        return checkpoint;
    }

    /** Records that no checkpoint could be taken: nothing was pushed. */
    public void checkpointFailed(String restoreId, String code, String message) {
        ledger.recordStep(restoreId, STEP_CHECKPOINT_FAILED, new StepNote(code, message, clock.instant().toString()));
    }

    // ---- push ---------------------------------------------------------------------------------------------------

    /** What was pushed: the device's confirmation. */
    public record Pushed(String file, String md5, String verdict, String approver, String pushedAt) {
    }

    /** A push the device refused or did not confirm; the model rolls back. Never carries configuration text. */
    public static final class PushFailed extends RuntimeException {
        public PushFailed(String message) {
            super(message);
        }
    }

    /**
     * Pushes exactly the content that was approved, read from the history: the variables the process carries
     * ({@code device}, {@code context}, {@code version}, {@code candidateSha256}) must name what netsnap recorded, and
     * the push uses up the approval.
     *
     * @throws RestoreRefusedException nothing pushed: tampered variables, no checkpoint, no (or a used, an expired)
     *                                 approval, a history whose content no longer has the approved digest
     * @throws PushFailed              the device did not take the candidate (the caller rolls back)
     */
    public Pushed push(String restoreId, String device, String context, String version, String candidateSha256) {
        RestoreRequest request = ledger.request(restoreId).orElseThrow(() -> new RestoreRefusedException(
                Reason.RESTORE_UNKNOWN, "netsnap has no record of restore '" + DeviceDirectory.printable(restoreId)
                + "'; nothing pushed"));
        if (version == null || !request.version().equals(version)) {
            throw new RestoreRefusedException(Reason.NOT_WHAT_WAS_APPROVED, "restore " + restoreId + " was approved"
                    + " for version " + abbreviate(request.version()) + " of " + request.target() + ", not "
                    + DeviceDirectory.printable(String.valueOf(version)) + "; nothing pushed");
        }
        if (ledger.step(restoreId, STEP_CHECKPOINT, CheckpointTaken.class).isEmpty()) {
            throw new RestoreRefusedException(Reason.NO_CHECKPOINT, "restore " + restoreId + " of "
                    + request.target() + " has no pre-restore checkpoint; nothing pushed");
        }
        Approval approval = ledger.claim(restoreId, device, context, candidateSha256);
        String historyPath = Archive.historyPath(request.device(), request.context());
        String candidate = archive.textAt(request.version(), historyPath).orElseThrow(
                () -> new RestoreRefusedException(Reason.VERSION_UNKNOWN, "version " + request.version()
                        + " holds no " + historyPath + "; nothing pushed"));
        if (!RestorePreparation.sha256(candidate).equals(request.candidateSha256())) {
            throw new RestoreRefusedException(Reason.NOT_WHAT_WAS_APPROVED, "restore " + restoreId + ": the"
                    + " history's " + historyPath + " at " + abbreviate(request.version()) + " is not the content"
                    + " that was approved; nothing pushed");
        }
        if (archive.secretsMaskedAt(request.version(), request.device()).orElse(false)) {
            throw new RestoreRefusedException(Reason.VERSION_MASKED, "version " + request.version() + " of "
                    + historyPath + " was stored masked; nothing pushed");
        }
        Device entry = device(request);
        RestoreDriver driver = driver(entry);
        try {
            RestoreDriver.PushResult result = driver.replace(entry, credentials.forPath(entry.credentials()),
                    restoreId, candidate);
            Pushed pushed = new Pushed(result.file(), result.md5(), result.verdict(), approval.approver(),
                    clock.instant().toString());
            ledger.recordStep(restoreId, STEP_PUSH, pushed);
            log.info("Restore {} of {}: pushed {} (md5 {}), approved by {}: {}", restoreId, request.target(),
                    result.file(), result.md5(), approval.approver(), result.verdict());
            return pushed;
        } catch (DeviceException e) {
            ledger.recordStep(restoreId, STEP_PUSH_FAILED, new StepNote(kind(e), e.getMessage(),
                    clock.instant().toString()));
            log.warn("Restore {} of {}: push failed: {}; rolling back to the checkpoint", restoreId,
                    request.target(), e.getMessage());
            throw new PushFailed(e.getMessage());
        }
    }

    // ---- verify -------------------------------------------------------------------------------------------------

    /** A device that holds what it should. */
    public record Verified(String sha256After, String verifiedAt) {
    }

    /** The device does not hold what it should. The message counts lines; it never quotes one. */
    public static final class VerificationFailed extends RuntimeException {
        public VerificationFailed(String message) {
            super(message);
        }
    }

    /**
     * Re-fetches over a new session, normalizes, and compares with the candidate, without the lines the platform
     * changes by itself after a replace.
     *
     * @throws VerificationFailed the device differs from the candidate
     * @throws DeviceException    the device cannot be read (the caller retries, then rolls back)
     */
    public Verified verify(String restoreId) {
        RestoreRequest request = ledger.request(restoreId).orElseThrow();
        if (!ledger.hasStep(restoreId, STEP_PUSH)) {
            throw new RestoreRefusedException(Reason.NOT_APPROVED, "restore " + restoreId + " pushed nothing to"
                    + " verify");
        }
        String candidate = archive.textAt(request.version(), Archive.historyPath(request.device(),
                request.context())).orElseThrow();
        return compare(restoreId, request, candidate, STEP_VERIFIED, STEP_VERIFY_FAILED, "the candidate");
    }

    /** Makes the device's own rollback point its running configuration again. */
    public void rollback(String restoreId) {
        RestoreRequest request = ledger.request(restoreId).orElseThrow();
        CheckpointTaken checkpoint = ledger.step(restoreId, STEP_CHECKPOINT, CheckpointTaken.class)
                .orElseThrow(() -> {
                    ledger.recordStep(restoreId, STEP_ROLLBACK_FAILED, new StepNote("NO_CHECKPOINT", "no checkpoint",
                            clock.instant().toString()));
                    return new VerificationFailed("restore " + restoreId + " of " + request.target() + " has no"
                            + " checkpoint to roll back to");
                });
        Device entry = device(request);
        // a failure is recorded by the caller once it gives up: an unreachable device is retried first
        driver(entry).rollback(entry, credentials.forPath(entry.credentials()), checkpoint.point());
        ledger.recordStep(restoreId, STEP_ROLLBACK, new StepNote("OK", checkpoint.point().name(),
                clock.instant().toString()));
        log.info("Restore {} of {}: rolled back to {}", restoreId, request.target(), checkpoint.point().name());
    }

    /** After a rollback: the device must hold the checkpoint again. */
    public Verified verifyRollback(String restoreId) {
        RestoreRequest request = ledger.request(restoreId).orElseThrow();
        CheckpointTaken checkpoint = ledger.step(restoreId, STEP_CHECKPOINT, CheckpointTaken.class).orElseThrow();
        return compare(restoreId, request, checkpoint.text(), STEP_ROLLBACK_VERIFIED, STEP_ROLLBACK_FAILED,
                "the checkpoint");
    }

    /** Records that a rollback could not be done or confirmed, for a step that gave up without recording it. */
    public void rollbackFailed(String restoreId, String code, String message) {
        ledger.recordStep(restoreId, STEP_ROLLBACK_FAILED, new StepNote(code, message, clock.instant().toString()));
    }

    /** Records that verification gave up (the device could not be read): the model rolls back. */
    public void verifyFailed(String restoreId, String code, String message) {
        ledger.recordStep(restoreId, STEP_VERIFY_FAILED, new StepNote(code, message, clock.instant().toString()));
    }

    private Verified compare(String restoreId, RestoreRequest request, String expected, String okStep,
                             String failedStep, String what) {
        Device entry = device(request);
        RestoreDriver driver = driver(entry);
        FetchedConfig now = driver.fetch(entry, credentials.forPath(entry.credentials()));
        List<String> want = significant(expected, driver.linesChangedByReplace());
        List<String> have = significant(now.normalized(), driver.linesChangedByReplace());
        if (!want.equals(have)) {
            var patch = com.github.difflib.DiffUtils.diff(want, have);
            int missing = patch.getDeltas().stream().mapToInt(d -> d.getSource().size()).sum();
            int extra = patch.getDeltas().stream().mapToInt(d -> d.getTarget().size()).sum();
            String message = request.target() + " does not hold " + what + " after restore " + restoreId + ": "
                    + missing + " line(s) of it missing, " + extra + " other line(s) present ("
                    + patch.getDeltas().size() + " place(s))";
            ledger.recordStep(restoreId, failedStep, new StepNote("VERIFY_FAILED", message,
                    clock.instant().toString()));
            log.warn("Restore {}: {}", restoreId, message);
            throw new VerificationFailed(message);
        }
        // the device's configuration as it now is, for the history commit that concludes the restore
        backups.store(runFolder(request), entry, now);
        Verified verified = new Verified(RestorePreparation.sha256(now.normalized()), clock.instant().toString());
        ledger.recordStep(restoreId, okStep, verified);
        log.info("Restore {} of {}: verified, the device holds {} (sha256 {})", restoreId, request.target(), what,
                abbreviate(verified.sha256After()));
        return verified;
    }

    static List<String> significant(String text, List<Pattern> ignored) {
        return text.lines().filter(line -> ignored.stream().noneMatch(p -> p.matcher(line).matches()))
                .map(String::stripTrailing).toList();
    }

    // ---- conclude -----------------------------------------------------------------------------------------------

    /**
     * The audit record of a restore: {@code runs/<date>/<restoreId>/restore.json}.
     */
    public record RestoreReport(String restoreId, String device, String context, String version, String ticket,
                                String reason, String requester, String requestedAt, String approver,
                                String decidedAt, String candidateSha256, String sha256Before,
                                String checkpointVersion, String sha256After, String outcome, String detail,
                                String historyCommit, String concludedAt) {
    }

    /**
     * Concludes the restore from what its steps recorded, whatever path the token took: the outcome, the audit
     * commit and report, and the device freed for the next restore. Concluding twice returns the first conclusion.
     *
     * @param expectTimeout the model came here from the approval's timer: with no decision recorded, the outcome is
     *                      {@code TIMED_OUT}
     */
    public RestoreReport conclude(String restoreId, boolean expectTimeout) {
        return conclude(restoreId, expectTimeout, null);
    }

    /**
     * Concludes the restore, adding {@code why} to its detail: how it came to end outside its process.
     *
     * @param why one line, or {@code null}
     */
    public RestoreReport conclude(String restoreId, boolean expectTimeout, String why) {
        Optional<RestoreIntake> intake = ledger.intakeIfValid(restoreId);
        if (intake.isEmpty()) {
            return new RestoreReport(DeviceDirectory.printable(String.valueOf(restoreId)), null, null, null, null,
                    null, null, null, null, null, null, null, null, null, REFUSED,
                    "netsnap has no record of this restore", null, clock.instant().toString());
        }
        RestoreIntake asked = intake.get();
        RunFolder run = runFolder(asked);
        Optional<RestoreReport> earlier = archive.readRunDocument(run, "restore.json", RestoreReport.class);
        if (earlier.isPresent() && ledger.outcome(restoreId).isPresent()) {
            return earlier.get();
        }
        Optional<RestoreRequest> request = ledger.request(restoreId);
        Optional<DecisionRecord> decision = ledger.step(restoreId, STEP_DECISION, DecisionRecord.class);
        Optional<StepNote> refused = ledger.step(restoreId, STEP_REFUSED, StepNote.class);
        Optional<StepNote> rollbackFailed = ledger.step(restoreId, STEP_ROLLBACK_FAILED, StepNote.class);
        Optional<Verified> rolledBack = ledger.step(restoreId, STEP_ROLLBACK_VERIFIED, Verified.class);
        Optional<Verified> verified = ledger.step(restoreId, STEP_VERIFIED, Verified.class);
        Optional<StepNote> pushFailed = ledger.step(restoreId, STEP_PUSH_FAILED, StepNote.class);
        Optional<StepNote> verifyFailed = ledger.step(restoreId, STEP_VERIFY_FAILED, StepNote.class);
        Optional<StepNote> checkpointFailed = ledger.step(restoreId, STEP_CHECKPOINT_FAILED, StepNote.class);
        boolean pushed = ledger.hasStep(restoreId, STEP_PUSH) || pushFailed.isPresent();
        String outcome;
        String detail;
        String after = null;
        if (rollbackFailed.isPresent()) {
            outcome = ROLLBACK_FAILED;
            detail = "rollback failed, device state unknown: " + rollbackFailed.get().message() + cause(pushFailed,
                    verifyFailed);
        } else if (rolledBack.isPresent()) {
            outcome = ROLLED_BACK;
            after = rolledBack.get().sha256After();
            detail = "restored to the checkpoint; the device is as before" + cause(pushFailed, verifyFailed);
        } else if (verified.isPresent()) {
            outcome = RESTORED;
            after = verified.get().sha256After();
            detail = "the device holds version " + abbreviate(asked.version()) + ", verified";
        } else if (pushed) {
            outcome = ROLLBACK_FAILED;
            detail = "pushed but neither verified nor rolled back: device state unknown" + cause(pushFailed,
                    verifyFailed);
        } else if (refused.isPresent()) {
            outcome = REFUSED;
            detail = refused.get().code() + ": " + refused.get().message();
        } else if (checkpointFailed.isPresent()) {
            outcome = NOT_PUSHED;
            detail = "no checkpoint could be taken, nothing pushed: " + checkpointFailed.get().message();
        } else if (decision.isPresent() && decision.get().decision().equals("rejected")) {
            outcome = REJECTED;
            detail = "rejected by " + decision.get().approver() + ": " + decision.get().reason();
        } else if (expectTimeout && decision.isEmpty()) {
            outcome = TIMED_OUT;
            detail = "not approved within " + properties.approvalTimeout() + "; nothing pushed";
        } else {
            outcome = NOT_PUSHED;
            detail = "ended before a push; nothing pushed";
        }
        if (why != null) {
            detail = why + "; " + detail;
        }
        Optional<Approval> approval = ledger.approval(restoreId);
        Optional<CheckpointTaken> checkpoint = ledger.step(restoreId, STEP_CHECKPOINT, CheckpointTaken.class);
        String commit = null;
        if (request.isPresent()) {
            commit = archive.commitRecord(run, archive.storedInRun(run), auditMessage(asked, request.get(),
                    approval, checkpoint, after, outcome, detail));
        }
        Instant now = clock.instant();
        RestoreReport report = new RestoreReport(restoreId, asked.device(), asked.context(), asked.version(),
                asked.ticket(), asked.reason(), asked.requester(), asked.requestedAt(),
                approval.map(Approval::approver).or(() -> decision.map(DecisionRecord::approver)).orElse(null),
                approval.map(Approval::approvedAt).or(() -> decision.map(DecisionRecord::at)).orElse(null),
                request.map(RestoreRequest::candidateSha256).orElse(null),
                checkpoint.map(CheckpointTaken::sha256).orElse(null),
                checkpoint.map(CheckpointTaken::version).orElse(null), after, outcome, detail, commit,
                now.toString());
        archive.writeRunDocument(run, "restore.json", report);
        if (request.isPresent()) {
            if (ledger.outcome(restoreId).isEmpty()) {
                ledger.conclude(restoreId, outcome, after, detail);
            }
        } else if (ledger.outcome(restoreId).isEmpty()) {
            ledger.concludeUnopened(restoreId, outcome, detail);
        }
        log.info("Restore {} of {}: {} ({})", restoreId, asked.target(), outcome, detail);
        return report;
    }

    private static String cause(Optional<StepNote> pushFailed, Optional<StepNote> verifyFailed) {
        if (pushFailed.isPresent()) {
            return "; the push had failed: " + pushFailed.get().message();
        }
        return verifyFailed.map(note -> "; verification had failed: " + note.message()).orElse("");
    }

    private String auditMessage(RestoreIntake asked, RestoreRequest request, Optional<Approval> approval,
                                Optional<CheckpointTaken> checkpoint, String after, String outcome, String detail) {
        return "restore " + asked.restoreId() + " of " + asked.target() + ": " + outcome + "\n\n"
                + "Version: " + asked.version() + "\n"
                + "Requester: " + asked.requester() + "\n"
                + "Approver: " + approval.map(Approval::approver).orElse("none") + "\n"
                + "Ticket: " + clean(asked.ticket()) + "\n"
                + "Reason: " + clean(asked.reason()) + "\n"
                + "Candidate-Sha256: " + request.candidateSha256() + "\n"
                + "Sha256-Before: " + checkpoint.map(CheckpointTaken::sha256).orElse("none") + "\n"
                + "Sha256-After: " + (after == null ? "none" : after) + "\n"
                + "Checkpoint: " + checkpoint.map(CheckpointTaken::version).orElse("none") + "\n"
                + "Outcome: " + outcome + "\n"
                + "Detail: " + clean(detail) + "\n";
    }

    // ---- records ------------------------------------------------------------------------------------------------

    /** A step's note: a code and one line. */
    public record StepNote(String code, String message, String at) {
    }

    /** A decision on the approval task. */
    public record DecisionRecord(String decision, String approver, String reason, String at) {
    }

    private RestoreIntake requireIntake(String restoreId) {
        return ledger.intakeIfValid(restoreId).orElseThrow(() -> new RestoreRefusedException(
                Reason.REQUESTER_UNKNOWN, "netsnap has no record of restore '"
                + DeviceDirectory.printable(String.valueOf(restoreId)) + "' and so no requester it can vouch for;"
                + " restores are requested with netsnap restore, which records who asks"));
    }

    private Device device(RestoreRequest request) {
        return directory.inventory(null).device(request.device()).orElseThrow(() -> new RestoreRefusedException(
                Reason.DEVICE_UNKNOWN, request.device() + " is no longer in netsnap's inventory"));
    }

    private RestoreDriver driver(Device device) {
        return drivers.restoreDriver(device.platform()).orElseThrow(() -> new RestoreRefusedException(
                Reason.UNSUPPORTED_PLATFORM, device.name() + ": netsnap cannot restore platform "
                + device.platform()));
    }

    private static RunFolder runFolder(RestoreIntake intake) {
        return new RunFolder(intake.restoreId(), LocalDate.ofInstant(Instant.parse(intake.requestedAt()),
                ZoneOffset.UTC));
    }

    private static RunFolder runFolder(RestoreRequest request) {
        return new RunFolder(request.restoreId(), LocalDate.ofInstant(Instant.parse(request.requestedAt()),
                ZoneOffset.UTC));
    }

    private static String kind(DeviceException e) {
        return e.getClass().getSimpleName();
    }

    private static void requireText(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a restore needs " + what);
        }
        if (!PRINTABLE_TEXT.matcher(text.strip()).matches()) {
            throw new IllegalArgumentException(what + " must be one line of at most 200 characters");
        }
    }

    private static String clean(String text) {
        String line = text == null ? "" : text.replaceAll("\\p{Cntrl}", " ").strip();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static String abbreviate(String sha) {
        return sha == null ? "none" : sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[2];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
