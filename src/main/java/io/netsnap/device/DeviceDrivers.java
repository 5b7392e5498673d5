package io.netsnap.device;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import io.netsnap.inventory.PlatformTraits;

/** The drivers present in the application, by platform key. Adding a driver bean is all it takes to add a platform. */
@Component
public class DeviceDrivers {

    private final Map<String, DeviceDriver> byPlatform;

    public DeviceDrivers(List<DeviceDriver> drivers) {
        this.byPlatform = drivers.stream().collect(Collectors.toMap(DeviceDriver::platform, Function.identity(),
                (a, b) -> {
                    throw new IllegalStateException("two drivers for platform " + a.platform());
                }, TreeMap::new));
    }

    public Optional<DeviceDriver> forPlatform(String platform) {
        return Optional.ofNullable(byPlatform.get(platform));
    }

    /** The driver of a platform whose configuration may come in contexts (ASA), if that is what it is. */
    public Optional<ContextDriver> contextDriver(String platform) {
        return forPlatform(platform).filter(ContextDriver.class::isInstance).map(ContextDriver.class::cast);
    }

    /** The driver that can restore a configuration to a device of the platform, if there is one. */
    public Optional<RestoreDriver> restoreDriver(String platform) {
        return forPlatform(platform).filter(RestoreDriver.class::isInstance).map(RestoreDriver.class::cast);
    }

    /** The traits of every platform present, for the inventory to validate devices against. */
    public List<PlatformTraits> traits() {
        return byPlatform.values().stream().map(DeviceDriver::traits).toList();
    }

    /** The traits of a platform, if a driver declares it. */
    public Optional<PlatformTraits> traits(String platform) {
        return forPlatform(platform).map(DeviceDriver::traits);
    }
}
