package io.netsnap.backup;

import java.time.LocalDate;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.netsnap.archive.Archive;
import io.netsnap.archive.RunFolder;
import io.netsnap.aruba.ConductorCopies;
import io.netsnap.upload.RunUploader;
import io.netsnap.upload.UploadException;
import io.netsnap.upload.UploadResult;

/** A run's export folder on the backup server, and the dated folders that expire, there and here. */
@Service
public class RunDelivery {

    private static final Logger log = LoggerFactory.getLogger(RunDelivery.class);

    private final Archive archive;
    private final RunUploader uploader;
    private final ConductorCopies conductorCopies;

    public RunDelivery(Archive archive, RunUploader uploader, ConductorCopies conductorCopies) {
        this.archive = archive;
        this.uploader = uploader;
        this.conductorCopies = conductorCopies;
    }

    /**
     * Uploads the run's export folder to {@code netsnap.upload.target}, as {@code <date>/<runId>}; only what differs
     * from the server is sent. {@link UploadResult#skipped()} when no target is configured.
     *
     * @throws UploadException when the upload fails
     */
    public UploadResult upload(RunFolder run) {
        return uploader.upload(archive.runDirectory(run), remotePath(run));
    }

    /**
     * Uploads only these files of the run's export folder (the report, written after the upload), the same way.
     *
     * @throws UploadException when the upload fails
     */
    public UploadResult upload(RunFolder run, List<String> names) {
        return uploader.upload(archive.runDirectory(run), remotePath(run), names);
    }

    private static String remotePath(RunFolder run) {
        return run.runDate() + "/" + run.runId();
    }

    /**
     * Removes dated exports older than {@code netsnap.archive.retention}, locally and on the backup server, and the
     * conductors' copies those runs recorded on the SCP server. A failure on a server is reported, not thrown: the
     * next run tries again. The state of a run whose conductor copies could not all be removed is kept for that.
     */
    public Retention applyRetention(LocalDate today) {
        LocalDate cutoff = archive.retentionCutoff(today);
        // first, while the runs' state still says what they copied
        ConductorCopies.Removal copies = conductorCopies.removeBefore(cutoff);
        List<String> local = archive.removeExportsBefore(cutoff, copies.pending()::contains);
        try {
            return new Retention(cutoff.toString(), local, uploader.removeFoldersBefore(cutoff), null,
                    copies.removed(), copies.error());
        } catch (UploadException e) {
            log.warn("Retention on the backup server failed: {}: {}", e.code(), e.getMessage());
            return new Retention(cutoff.toString(), local, List.of(), e.code() + ": " + e.getMessage(),
                    copies.removed(), copies.error());
        }
    }

    /**
     * What retention removed.
     *
     * @param cutoff dated folders before this day were removed
     * @param local  dates removed from the archive
     * @param remote dates removed from the backup server
     * @param error  {@code CODE: message} when the server could not be cleaned, otherwise {@code null}
     * @param conductorCopies      locations of conductor copies removed from the SCP server (or found gone)
     * @param conductorCopiesError why some recorded conductor copies are still on the SCP server, otherwise
     *                             {@code null}
     */
    public record Retention(String cutoff, List<String> local, List<String> remote, String error,
                            List<String> conductorCopies, String conductorCopiesError) {
    }
}
