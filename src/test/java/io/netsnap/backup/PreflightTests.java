package io.netsnap.backup;

import static io.netsnap.backup.RunFixture.device;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveProperties;
import io.netsnap.credentials.Credentials;
import io.netsnap.credentials.CredentialsProvider;
import io.netsnap.credentials.CredentialsUnavailableException;
import io.netsnap.device.DeviceDriver;
import io.netsnap.device.DeviceDrivers;
import io.netsnap.device.DeviceException;
import io.netsnap.device.FetchedConfig;
import io.netsnap.inventory.Device;
import io.netsnap.inventory.PlatformTraits;
import io.netsnap.preflight.PreflightCheck;

class PreflightTests {

    @TempDir
    Path root;

    Archive archive;

    @BeforeEach
    void openArchive() {
        archive = new Archive(new ArchiveProperties(root, false, java.time.Period.ofDays(30)));
    }

    @AfterEach
    void closeArchive() {
        archive.destroy();
    }

    @Test
    void preflightCollectsEveryProblemAndLogsInOncePerPathOnItsFirstDevice() {
        List<String> logins = new ArrayList<>();
        DeviceDriver driver = new DeviceDriver() {
            @Override
            public PlatformTraits traits() {
                return PlatformTraits.cliOverSsh("ios");
            }

            @Override
            public FetchedConfig fetch(Device device, Credentials credentials) {
                throw new AssertionError("preflight must not fetch");
            }

            @Override
            public void verifyLogin(Device device, Credentials credentials) {
                logins.add(device.name());
                if (device.name().equals("DOWN")) {
                    throw new DeviceException.Unreachable("DOWN", "cannot reach 192.0.2.1:22 over SSH", null);
                }
                if (credentials.password().equals("stale")) {
                    throw new DeviceException.Authentication(device.name(), "SSH login refused for user admin");
                }
            }

            @Override
            public String mask(String config) {
                return config;
            }
        };
        CredentialsProvider vault = new CredentialsProvider() {
            @Override
            public Credentials forPath(String path) {
                return switch (path) {
                    case "network/missing" -> throw new CredentialsUnavailableException(
                            "no secret at secret/network/missing", false);
                    case "network/stale" -> new Credentials("admin", "stale", null, null);
                    default -> new Credentials("admin", "good", null, null);
                };
            }

            @Override
            public void check() {
            }
        };
        PreflightCheck upload = devices -> List.of("upload target sftp://backup@host/x not writable");
        Preflight preflight = new Preflight(new DeviceDrivers(List.of(driver)), vault,
                List.of(new ArchiveWritableCheck(archive), upload));
        List<Device> devices = List.of(device("R1", "ios", "network/good"), device("R2", "ios", "network/good"),
                device("R3", "ios", "network/stale"), device("R4", "ios", "network/missing"),
                device("J1", "junos", "network/good"), device("DOWN", "ios", "network/shared"),
                device("R5", "ios", "network/shared"));

        PreflightException e = catchThrowableOfType(PreflightException.class,
                () -> preflight.check(devices, List.of()));

        assertThat(e.problems()).containsExactly("J1: no driver for platform 'junos'",
                "credentials network/stale tried on R3: SSH login refused for user admin",
                "no secret at secret/network/missing", "upload target sftp://backup@host/x not writable");
        assertThat(logins).as("one login per path, on the first device using it that can be reached")
                .containsExactly("R1", "R3", "DOWN", "R5");
    }
}
