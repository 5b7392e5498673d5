package io.netsnap.upload;

import java.util.List;

import org.springframework.stereotype.Component;

import io.netsnap.credentials.CredentialsUnavailableException;
import io.netsnap.inventory.Device;
import io.netsnap.preflight.PreflightCheck;

/**
 * Preflight for the upload target: a run whose backups could not leave the building is stopped before it touches a
 * device, not told so at the end. Nothing to check when no target is configured.
 */
@Component
class UploadTargetCheck implements PreflightCheck {

    private final RunUploader uploader;

    UploadTargetCheck(RunUploader uploader) {
        this.uploader = uploader;
    }

    @Override
    public List<String> problems(List<Device> devices) {
        if (!uploader.enabled()) {
            return List.of();
        }
        try {
            uploader.probe();
            return List.of();
        } catch (UploadException e) {
            return List.of("upload target: " + e.code() + ": " + e.getMessage());
        } catch (CredentialsUnavailableException e) {
            return List.of("upload target: " + e.getMessage());
        }
    }
}
