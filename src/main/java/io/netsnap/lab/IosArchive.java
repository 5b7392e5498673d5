package io.netsnap.lab;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IOS's {@code flash:} and configuration replace, where it behaves differently from what {@code profiles/ios.yaml}
 * can say: files that SCP and {@code copy running-config} write, {@code verify /md5}, and
 * {@code configure replace FILE force [revert trigger error]} with its outcomes. The texts are the profile's
 * ({@code extension:} section, each with its source in {@code shared/reference/restore-facts.md} §2); this class
 * decides which one a replace prints and what the running configuration becomes:
 *
 * <ul>
 * <li>success: the file's configuration (its leading {@code !} lines dropped) is the running configuration,
 *     {@code Total number of passes: 1} (0 when nothing changed), {@code Rollback Done};</li>
 * <li>a line the device rejects ({@code failingLine}): with {@code revert trigger error} the device restores the
 *     original from an archive backup ({@code archive path} must be configured); without it the replace stops after
 *     5 passes and the running configuration is the file without that line;</li>
 * <li>a line that never converges ({@code nonConvergingLine}, e.g. a {@code secret 0} the device re-hashes):
 *     {@code Rollback aborted after 5 passes}, not reverted even with {@code revert trigger error}; the running
 *     configuration is the file without that line (a real device keeps its own rendering of it);</li>
 * <li>{@code dropsSession}: the first replace applies the file and drops the SSH connection without a word, as when
 *     the new configuration cuts the management path (no device output for this is sourced).</li>
 * </ul>
 *
 * SCP uploads need {@code ip scp server enable} in the running configuration and a login that lands at privilege
 * 15 ({@code Privilege denied.} otherwise, as paramiko's scp reports it).
 *
 * @param failingLine       a configuration line (as in the file, indentation included) the device rejects, or
 *                          {@code null}
 * @param nonConvergingLine a configuration line that never converges, or {@code null}
 * @param dropsSession      the first {@code configure replace} drops the connection
 */
public record IosArchive(String failingLine, String nonConvergingLine, boolean dropsSession)
        implements CliSimulator.Extension {

    private static final Pattern ARCHIVE_PATH = Pattern.compile("(?m)^archive\\n(?: .*\\n)*? path (\\S+)$");
    private static final DateTimeFormatter BACKUP_TIME = DateTimeFormatter
            .ofPattern("MMM-dd-HH-mm-ss.SSS-'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** A box whose replaces all succeed. */
    public IosArchive() {
        this(null, null, false);
    }

    public static IosArchive failing(String line) {
        return new IosArchive(line, null, false);
    }

    public static IosArchive nonConverging(String line) {
        return new IosArchive(null, line, false);
    }

    public static IosArchive droppingSession() {
        return new IosArchive(null, null, true);
    }

    @Override
    public Device start(SimulatorProfile profile, Supplier<String> configBody) {
        SimulatorProfile.Settings texts = profile.extension();
        DeviceFiles files = new DeviceFiles(texts.text("file-system"));
        AtomicInteger backups = new AtomicInteger();
        AtomicBoolean dropped = new AtomicBoolean();
        return new Device() {
            @Override
            public Session session() {
                return new Replace(texts, files, configBody, backups, dropped);
            }

            @Override
            public java.nio.file.Path files() {
                return files.root();
            }

            @Override
            public String scpRefusal(boolean privilegedLogin) {
                if (!privilegedLogin) {
                    return texts.text("scp-privilege-denied");
                }
                boolean enabled = configBody.get().lines().anyMatch(texts.text("scp-server")::equals);
                return enabled ? null : texts.text("scp-disabled");
            }

            @Override
            public void close() {
                files.delete();
            }
        };
    }

    /** One session's commands; {@link #value} answers the placeholders of the text being printed. */
    private final class Replace implements Session {
        private final SimulatorProfile.Settings texts;
        private final DeviceFiles files;
        private final Supplier<String> running;
        private final AtomicInteger backups;
        private final AtomicBoolean dropped;
        private final Map<String, String> values = new HashMap<>();

        Replace(SimulatorProfile.Settings texts, DeviceFiles files, Supplier<String> running, AtomicInteger backups,
                AtomicBoolean dropped) {
            this.texts = texts;
            this.files = files;
            this.running = running;
            this.backups = backups;
            this.dropped = dropped;
        }

        @Override
        public String value(String name, String argument) {
            return values.get(name);
        }

        @Override
        public void perform(String action, Shell shell) throws IOException {
            String file = shell.argument();
            values.clear();
            values.put("file", file);
            switch (action) {
                case "copy-running-config" -> copyRunning(shell, file);
                case "verify-md5" -> {
                    values.put("md5", files.md5(file));
                    shell.show(texts.lines(files.exists(file) ? "md5" : "no-file"));
                }
                case "configure-replace" -> replace(shell, file, false);
                case "configure-replace-revert" -> replace(shell, file, true);
                default -> throw new IllegalStateException("no action '" + action + "'");
            }
        }

        /** {@code Destination filename [name]?}, then (over an existing file) the confirmation, then the copy. */
        private void copyRunning(Shell shell, String file) throws IOException {
            if (files.resolve(file) == null) {
                shell.show(texts.lines("no-file"));
                return;
            }
            values.put("name", file.substring(file.indexOf(':') + 1).replaceFirst("^/+", ""));
            shell.ask(render(texts.text("destination")));
            if (files.exists(file)) {
                shell.ask(render(texts.text("overwrite")));
            }
            int bytes = files.write(file, "!\n" + running.get() + "\n");
            values.put("bytes", Integer.toString(bytes));
            values.put("rate", Integer.toString(bytes * 10));
            shell.show(texts.lines("copied"));
        }

        private String render(String text) {
            String rendered = text;
            for (Map.Entry<String, String> value : values.entrySet()) {
                rendered = rendered.replace("{" + value.getKey() + "}", value.getValue());
            }
            return rendered;
        }

        private void replace(Shell shell, String file, boolean revertOnError) throws IOException {
            String text = files.read(file);
            if (text == null) {
                shell.show(texts.lines("replace-no-file"));
                return;
            }
            List<String> lines = text.replace("\r\n", "\n").lines().toList();
            boolean valid = lines.stream().anyMatch(line -> line.startsWith("version "))
                    && lines.stream().filter(line -> !line.isBlank()).reduce((a, b) -> b).orElse("").equals("end");
            if (!valid) {
                shell.show(texts.lines("replace-invalid-file"));
                return;
            }
            String before = running.get();
            Matcher archive = ARCHIVE_PATH.matcher(before);
            if (revertOnError && !archive.find()) {
                shell.show(texts.lines("replace-archive-off"));
                return;
            }
            String body = DeviceFiles.body(text);
            if (dropsSession && dropped.compareAndSet(false, true)) {
                shell.replaceConfigBody(body);
                shell.dropConnection();
            }
            if (failingLine != null && lines.contains(failingLine)) {
                values.put("failed", failingLine);
                if (revertOnError) {
                    String backup = archive.group(1) + "-" + BACKUP_TIME.format(Instant.now()) + "-"
                            + backups.getAndIncrement();
                    files.write(backup, "!\n" + before + "\n");
                    values.put("backup", backup);
                    shell.show(texts.lines("replace-reverted"));
                } else {
                    shell.replaceConfigBody(without(body, failingLine));
                    shell.show(texts.lines("replace-failed"));
                }
                return;
            }
            if (nonConvergingLine != null && lines.contains(nonConvergingLine)) {
                values.put("configlet", nonConvergingLine);
                shell.replaceConfigBody(without(body, nonConvergingLine));
                shell.show(texts.lines("replace-not-converging"));
                return;
            }
            values.put("passes", body.equals(before) ? "0" : "1");
            shell.replaceConfigBody(body);
            shell.show(texts.lines("replace-done"));
        }

        private static String without(String body, String line) {
            return String.join("\n", body.lines().filter(l -> !l.equals(line)).toList());
        }
    }
}
