package io.netsnap.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

import org.springframework.context.ConfigurableApplicationContext;

import io.netsnap.archive.Archive;
import io.netsnap.archive.Version;
import io.netsnap.backup.RunStart;
import io.netsnap.device.DeviceDriver;
import io.netsnap.device.DeviceDrivers;
import io.netsnap.inventory.InventoryException;
import io.netsnap.restore.Approval;
import io.netsnap.restore.RestoreLedger;
import io.netsnap.restore.RestoreOutcome;

/**
 * What {@code history} and {@code diff} share: the archive, the device's file in it, and the masking rules of the
 * device's platform, so that no secret reaches the screen. The platform is the one the history recorded when the
 * device was last backed up; an inventory is read only when one is given, or for a device the history has no record
 * of.
 *
 * @param historyPath the device's file in the history, e.g. {@code EDGE-RTR-01.cfg} or {@code ASA-FW-01/DMZ.cfg}
 * @param mask        the platform's {@link DeviceDriver#mask}
 */
record HistoryView(ConfigurableApplicationContext context, Archive archive, String historyPath,
                   UnaryOperator<String> mask) implements AutoCloseable {

    /**
     * @param device {@code NAME} or {@code NAME/CONTEXT} (ASA)
     * @throws IllegalArgumentException when neither the history nor the inventory knows the device's platform, the
     *                                  platform has no driver, or the device is kept per context and none was named
     */
    static HistoryView open(String device, Options options) {
        Map<String, Object> properties = new HashMap<>();
        if (options.data != null) {
            properties.put("netsnap.archive.root", options.data.toString());
        }
        if (options.inventory != null) {
            properties.put("netsnap.inventory", options.inventory.toString());
        }
        String name = device.contains("/") ? device.substring(0, device.indexOf('/')) : device;
        String contextName = device.contains("/") ? device.substring(device.indexOf('/') + 1) : null;
        ConfigurableApplicationContext context = Application.start(properties, null, Application.Role.READER);
        try {
            Archive archive = context.getBean(Archive.class);
            String platform = options.inventory != null ? inventoryPlatform(context, options.inventory, name)
                    : archive.platformOf(name).orElseGet(() -> configuredPlatform(context, archive, name));
            DeviceDriver driver = context.getBean(DeviceDrivers.class).forPlatform(platform).orElseThrow(
                    () -> new IllegalArgumentException(name + ": no driver for platform '" + platform + "'"));
            List<String> contexts = contextName == null ? archive.contextsOf(name) : List.of();
            if (!contexts.isEmpty()) {
                throw new IllegalArgumentException(name + " is kept per context; name one: "
                        + String.join(", ", contexts.stream().map(c -> name + "/" + c).toList()));
            }
            return new HistoryView(context, archive, Archive.historyPath(name, contextName), driver::mask);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    private static String inventoryPlatform(ConfigurableApplicationContext context, Path inventory, String name) {
        return context.getBean(RunStart.class).loadInventory(inventory).select(null, List.of(name)).get(0)
                .platform();
    }

    /**
     * For a device the history has no record of (backed up by a netsnap that did not record platforms, or never):
     * the configured inventory, if it can tell.
     */
    private static String configuredPlatform(ConfigurableApplicationContext context, Archive archive, String name) {
        try {
            return inventoryPlatform(context, null, name);
        } catch (InventoryException e) {
            boolean inHistory = archive.lastCommitted(Archive.historyPath(name, null)).isPresent()
                    || !archive.contextsOf(name).isEmpty();
            String reason = e.getMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException(inHistory
                    ? name + ": the history does not record its platform and the inventory cannot tell (" + reason
                            + "); give --inventory FILE"
                    : name + ": no such device in the history at " + archive.historyDir(), e);
        }
    }

    /**
     * A restore of the device as netsnap's ledger recorded it, for the history listing.
     *
     * @param restoreId   the restore
     * @param requestedAt when it was asked for
     * @param outcome     how it ended, or {@code null} while it runs
     * @param version     the history commit it restores
     * @param emergency   a rollback to the latest pre-restore checkpoint
     * @param requester   who asked
     * @param approver    who approved, or {@code null}
     * @param ticket      the change ticket
     */
    record Restore(String restoreId, Instant requestedAt, String outcome, String version, boolean emergency,
                   String requester, String approver, String ticket) {
    }

    /** The restores of {@code device} ({@code NAME} or {@code NAME/CONTEXT}) that netsnap recorded, oldest first. */
    static List<Restore> restoresOf(RestoreLedger ledger, String device) {
        String name = device.contains("/") ? device.substring(0, device.indexOf('/')) : device;
        String contextName = device.contains("/") ? device.substring(device.indexOf('/') + 1) : null;
        List<Restore> restores = new ArrayList<>();
        for (String id : ledger.restoreIds()) {
            ledger.intakeIfValid(id)
                    .filter(intake -> intake.device().equals(name) && Objects.equals(intake.context(), contextName))
                    .ifPresent(intake -> restores.add(new Restore(id, Instant.parse(intake.requestedAt()),
                            ledger.outcome(id).map(RestoreOutcome::outcome).orElse(null), intake.version(),
                            intake.emergency(), intake.requester(),
                            ledger.approval(id).map(Approval::approver).orElse(null), intake.ticket())));
        }
        return restores;
    }

    /**
     * The versions and the restores, merged by time, newest first, one line each: a version as its date, commit id
     * and message; a restore as its date, id, outcome ({@code RUNNING} until it ends), target version and who.
     * A pre-restore checkpoint is a version like any other, its message saying what it is.
     */
    static List<String> listing(List<Version> versions, List<Restore> restores, DateTimeFormatter when) {
        record Line(Instant at, String text) {
        }
        List<Line> lines = new ArrayList<>();
        for (Version version : versions) {
            lines.add(new Line(version.committed(), String.format("%s  %s  %s", when.format(version.committed()),
                    version.commit(), version.message())));
        }
        for (Restore restore : restores) {
            String who = "requested by " + restore.requester()
                    + (restore.approver() == null ? "" : ", approved by " + restore.approver())
                    + ", ticket " + restore.ticket();
            lines.add(new Line(restore.requestedAt(), String.format("%s  %-40s  %-15s %s %s  %s",
                    when.format(restore.requestedAt()), restore.restoreId(),
                    restore.outcome() == null ? "RUNNING" : restore.outcome(),
                    restore.emergency() ? "to checkpoint" : "to", abbreviate(restore.version()), who)));
        }
        // newest first, as git log lists versions; a version and a restore at the same instant keep that order
        lines.sort(Comparator.comparing(Line::at).reversed());
        return lines.stream().map(Line::text).toList();
    }

    private static String abbreviate(String commit) {
        return commit.length() <= 12 ? commit : commit.substring(0, 12);
    }

    /** Where the history and the inventory are, as {@code backup} takes them. */
    static final class Options {

        @picocli.CommandLine.Option(names = "--inventory", paramLabel = "FILE",
                description = "Inventory YAML to take the device's platform from (default: the platform the "
                        + "history recorded, else netsnap.inventory).")
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
