package io.netsnap.device;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;

/**
 * The application's CLI drivers, found and built as Spring would (each takes the {@link SshConnector}), for tests
 * outside this package and tests that must name no platform.
 */
public final class TestDrivers {

    private TestDrivers() {
    }

    /** Every CLI driver, on one connector. */
    public static DeviceDrivers cli(SshConnector connector) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(CliDriver.class));
        List<DeviceDriver> drivers = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("io.netsnap.device")) {
            try {
                Constructor<?> constructor = Class.forName(candidate.getBeanClassName())
                        .getDeclaredConstructor(SshConnector.class);
                constructor.setAccessible(true);
                drivers.add((DeviceDriver) constructor.newInstance(connector));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build driver " + candidate.getBeanClassName(), e);
            }
        }
        return new DeviceDrivers(drivers);
    }
}
