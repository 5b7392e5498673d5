package io.netsnap.preflight;

import java.util.List;

import io.netsnap.inventory.Device;

/**
 * One thing a run needs that can be checked before any device is touched, e.g. that a target it writes to is
 * writable. Every bean of this type runs in the preflight of every run, after the credential checks; to check a new
 * target (an upload server, a notification channel), add a bean. It has a package of its own, below {@code backup}
 * (whose run collects the checks) and the capabilities that add one ({@code upload}, {@code aruba}), so that none
 * of them depends on another for it.
 */
public interface PreflightCheck {

    /**
     * @param devices the run's devices
     * @return the problems found, one line each naming what is wrong and where, never a secret; empty when fine
     */
    List<String> problems(List<Device> devices);
}
