package io.netsnap.inventory;

import java.time.Duration;
import java.util.List;

/**
 * One device of the inventory, with group and default settings already applied. Holds no secret: {@code credentials}
 * is a Vault path under the configured KV mount.
 *
 * @param name        unique device name, also its file name in the archive
 * @param host        host name or IP address
 * @param port        TCP port (22 for SSH platforms unless overridden)
 * @param platform    platform key, e.g. {@code ios}
 * @param group       group name, or {@code null}
 * @param credentials Vault KV v2 path of the credentials, e.g. {@code network/core}
 * @param timeout     per-command idle timeout
 * @param contexts    ASA contexts listed in the inventory (empty: discover)
 * @param insecure    TLS certificate not verified ({@code insecure: true}, Aruba conductors only; logged at every use)
 */
public record Device(String name, String host, int port, String platform, String group, String credentials,
                     Duration timeout, List<String> contexts, boolean insecure) {

    public Device {
        contexts = contexts == null ? List.of() : List.copyOf(contexts);
    }

    /** A device whose certificate, if it has one, is verified. */
    public Device(String name, String host, int port, String platform, String group, String credentials,
                  Duration timeout, List<String> contexts) {
        this(name, host, port, platform, group, credentials, timeout, contexts, false);
    }
}
