package io.netsnap.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netsnap.archive.Archive;
import io.netsnap.archive.RunFolder;
import io.netsnap.aruba.ConductorCopies;

/**
 * {@code manifest.json} in a run's export folder: every device of the run with its file and digest, or why it has
 * none, and where the conductors' copies on the SCP server lie ({@code remoteCopies}), as the run's state recorded
 * them. Written once: at the commit, so that the upload which follows carries it, or, for a run aborted before any
 * device, with its report.
 */
final class RunManifest {

    static final String FILE = "manifest.json";

    private RunManifest() {
    }

    static boolean exists(Archive archive, RunFolder run) {
        return Files.isRegularFile(archive.runDirectory(run).resolve(FILE));
    }

    static void write(Archive archive, RunFolder run, List<DeviceResult> results, RunPlan.Request request) {
        archive.writeRunDocument(run, FILE, of(run, results, archive.secretsMasked(), request,
                ConductorCopies.inRun(archive, run)));
    }

    private static Map<String, Object> of(RunFolder run, List<DeviceResult> results, boolean secretsMasked,
                                          RunPlan.Request request, List<ConductorCopies.Copy> copies) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (DeviceResult result : results.stream().flatMap(r -> r.files().stream()).toList()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("device", result.device());
            entry.put("context", result.context());
            entry.put("status", result.status());
            entry.put("file", result.file() == null ? null : Path.of(result.file()).getFileName().toString());
            entry.put("sha256", result.sha256());
            entry.put("bytes", result.ok() ? result.bytes() : null);
            entry.put("error", result.error());
            files.add(entry);
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("runId", run.runId());
        manifest.put("runDate", run.runDate().toString());
        manifest.put("reason", request.reason());
        manifest.put("requestedBy", request.requestedBy());
        // A restore must refuse files whose secrets were masked: they would push "<removed>" to a device.
        manifest.put("secretsMasked", secretsMasked);
        manifest.put("files", files);
        List<Map<String, Object>> remoteCopies = new ArrayList<>();
        for (ConductorCopies.Copy copy : copies) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("device", copy.device());
            entry.put("location", copy.location());
            entry.put("bytes", copy.bytes());
            entry.put("sha256", copy.sha256());
            remoteCopies.add(entry);
        }
        manifest.put("remoteCopies", remoteCopies);
        return manifest;
    }
}
