package io.netsnap.backup;

import java.util.List;

import org.springframework.stereotype.Component;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveException;
import io.netsnap.inventory.Device;
import io.netsnap.preflight.PreflightCheck;

/** The archive takes a run: a probe file is written and deleted where the run's export folder will be. */
@Component
class ArchiveWritableCheck implements PreflightCheck {

    private final Archive archive;

    ArchiveWritableCheck(Archive archive) {
        this.archive = archive;
    }

    @Override
    public List<String> problems(List<Device> devices) {
        try {
            archive.checkWritable();
            return List.of();
        } catch (ArchiveException e) {
            return List.of(e.getMessage());
        }
    }
}
