package io.netsnap.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.context.ConfigurableApplicationContext;

import io.netsnap.archive.Archive;
import io.netsnap.backup.RunService;
import io.netsnap.device.DeviceDriver;
import io.netsnap.device.DeviceDrivers;
import io.netsnap.inventory.Device;

/**
 * What {@code history} and {@code diff} share: the archive, and the masking rules of the device's platform (from the
 * inventory), so that no secret reaches the screen.
 *
 * @param historyPath the device's file in the history, e.g. {@code EDGE-RTR-01.cfg} or {@code ASA-FW-01/DMZ.cfg}
 * @param mask        the platform's {@link DeviceDriver#mask}
 */
record HistoryView(ConfigurableApplicationContext context, Archive archive, String historyPath,
                   Function<String, String> mask) implements AutoCloseable {

    /**
     * @param device {@code NAME} or {@code NAME/CONTEXT} (ASA)
     * @throws IllegalArgumentException when the device is not in the inventory or has no driver
     */
    static HistoryView open(String device, Options options) {
        Path inventory = options.inventory;
        Path data = options.data;
        Map<String, Object> properties = new HashMap<>();
        if (data != null) {
            properties.put("netsnap.archive.root", data.toString());
        }
        if (inventory != null) {
            properties.put("netsnap.inventory", inventory.toString());
        }
        String name = device.contains("/") ? device.substring(0, device.indexOf('/')) : device;
        String contextName = device.contains("/") ? device.substring(device.indexOf('/') + 1) : null;
        ConfigurableApplicationContext context = Application.start(properties, null, Application.Role.ONE_SHOT);
        try {
            List<Device> found = context.getBean(RunService.class).loadInventory(inventory).select(null,
                    List.of(name));
            String platform = found.get(0).platform();
            DeviceDriver driver = context.getBean(DeviceDrivers.class).forPlatform(platform).orElseThrow(
                    () -> new IllegalArgumentException(name + ": no driver for platform '" + platform + "'"));
            String historyPath = contextName == null ? name + ".cfg" : name + "/" + contextName + ".cfg";
            return new HistoryView(context, context.getBean(Archive.class), historyPath, driver::mask);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** Where the history and the inventory are, as {@code backup} takes them. */
    static final class Options {

        @picocli.CommandLine.Option(names = "--inventory", paramLabel = "FILE",
                description = "Inventory YAML, for the device's platform (default: netsnap.inventory).")
        Path inventory;

        @picocli.CommandLine.Option(names = "--data", paramLabel = "DIR",
                description = "Archive root (default: netsnap.archive.root).")
        Path data;
    }

    @Override
    public void close() {
        context.close();
    }
}
