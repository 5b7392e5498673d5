package io.netsnap.backup;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveException;
import io.netsnap.archive.RunFolder;
import io.netsnap.upload.UploadException;
import io.netsnap.upload.UploadResult;

/** A run's report ({@code report.json}): its outcome and counts, written once, at its end. */
@Service
public class RunReports {

    private static final Logger log = LoggerFactory.getLogger(RunReports.class);
    private static final String REPORT = "report.json";

    private final Archive archive;
    private final RunDelivery delivery;
    private final DeviceDecisions decisions;
    private final DeviceResults results;
    private final ApplicationEventPublisher events;

    @Autowired
    public RunReports(Archive archive, RunDelivery delivery, DeviceDecisions decisions, DeviceResults results,
                      ApplicationEventPublisher events) {
        this.archive = archive;
        this.delivery = delivery;
        this.decisions = decisions;
        this.results = results;
        this.events = events;
    }

    /** For tests that do not listen for {@link RunReported}. */
    public RunReports(Archive archive, RunDelivery delivery, DeviceDecisions decisions) {
        this(archive, delivery, decisions, new DeviceResults(archive), event -> { });
    }

    /** For tests that do not listen for {@link RunReported} and record no decisions. */
    RunReports(Archive archive, RunDelivery delivery) {
        this(archive, delivery, new DeviceDecisions(archive));
    }

    /** The run's report, once written. */
    public Optional<RunReport> find(RunFolder run) {
        return archive.readRunDocument(run, REPORT, RunReport.class);
    }

    /**
     * Writes {@code report.json} into the run's export folder, and {@code manifest.json} when the run has none yet
     * (it was aborted before its commit); sends both to the backup server when the run was uploaded. The devices are
     * those of the run's recorded scope, each with the result the run recorded for it ({@link DeviceResults}); none
     * for a run aborted before any device.
     */
    public RunReport report(RunFolder run, Instant startedAt, String historyCommit, String abortReason,
                            UploadResult upload, RunPlan.Request request) {
        Optional<RunReport> earlier = find(run);
        if (earlier.isPresent()) {
            // A run is reported once: a retry, or a start at the report task of an earlier run, gets that report.
            log.info("Run {} was reported before; its report stands", run.runId());
            return earlier.get();
        }
        List<DeviceResult> devices = abortReason != null ? List.of() : results.inRun(run);
        RunReport.Counts counts = RunReport.Counts.of(devices);
        String outcome = abortReason != null ? RunReport.ABORTED
                : counts.failed() > 0 ? RunReport.PARTIAL : RunReport.OK;
        Path exportDir = archive.root().relativize(archive.runDirectory(run));
        RunReport report = new RunReport(run.runId(), outcome, startedAt, Instant.now(), request.reason(),
                request.requestedBy(), counts, historyCommit, exportDir.toString(), abortReason, devices, upload,
                abortReason == null ? decisions.of(run) : List.of());
        try {
            if (!RunManifest.exists(archive, run)) {
                RunManifest.write(archive, run, devices, request);
            }
            archive.writeRunDocument(run, REPORT, report);
        } catch (ArchiveException e) {
            if (abortReason == null) {
                throw e;
            }
            // An unwritable archive may be why the run was aborted: the run still ends, with its reason in the
            // process variables and the log, rather than as an incident.
            log.warn("Run {} aborted and its report could not be written: {}", run.runId(), e.getMessage());
        }
        if (upload != null && upload.uploaded()) {
            // the report is written after the upload: send it, and the manifest if this step wrote it (only what
            // differs from the server is sent; the rest of the folder was verified by the upload)
            try {
                delivery.upload(run, List.of(RunManifest.FILE, REPORT));
            } catch (UploadException e) {
                log.warn("Run {}: report.json not uploaded: {}: {}", run.runId(), e.code(), e.getMessage());
            }
        }
        log.info("Run {} {}: {} ok, {} failed, {} changed", run.runId(), outcome, counts.ok(), counts.failed(),
                counts.changed());
        events.publishEvent(new RunReported(run.runId(), outcome));
        return report;
    }
}
