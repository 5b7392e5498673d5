package io.netsnap.lab;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * NX-OS checkpoints and rollback, where the switch behaves differently from what {@code profiles/nxos.yaml} can
 * say: {@code bootflash:} files that SCP writes, {@code show file … md5sum}, named checkpoints
 * ({@code checkpoint NAME}) and {@code rollback running-config {checkpoint NAME | file FILE} [atomic]}. The texts
 * are the profile's, each with its source in {@code shared/reference/restore-facts.md} §3; this class decides which
 * log a rollback prints and what the running configuration becomes:
 *
 * <ul>
 * <li>success: the checkpoint's or file's configuration (leading {@code !} lines dropped) is the running
 *     configuration, {@code Rollback completed successfully.};</li>
 * <li>a line the switch rejects ({@code failingLine}, in a file): atomic mode, so verification fails and the switch
 *     rolls back to the previous configuration, which stays running; {@code Rollback failed.} ends the log;</li>
 * <li>{@code dropsSession}: the first rollback from a file applies it and drops the SSH connection without a
 *     word.</li>
 * </ul>
 *
 * SCP uploads need {@code feature scp-server} in the running configuration.
 *
 * @param failingLine  a configuration line (as in the file) the switch rejects, or {@code null}
 * @param dropsSession the first rollback from a file drops the connection
 */
public record NxosCheckpoints(String failingLine, boolean dropsSession) implements CliSimulator.Extension {

    /** A switch whose rollbacks all succeed. */
    public NxosCheckpoints() {
        this(null, false);
    }

    @Override
    public Device start(SimulatorProfile profile, Supplier<String> configBody) {
        SimulatorProfile.Settings texts = profile.extension();
        DeviceFiles files = new DeviceFiles(texts.text("file-system"));
        Map<String, String> checkpoints = new ConcurrentHashMap<>();
        AtomicBoolean dropped = new AtomicBoolean();
        return new Device() {
            @Override
            public Session session() {
                return new Rollback(texts, files, configBody, checkpoints, dropped);
            }

            @Override
            public java.nio.file.Path files() {
                return files.root();
            }

            @Override
            public String scpRefusal(boolean privilegedLogin) {
                boolean enabled = configBody.get().lines().anyMatch(texts.text("scp-server")::equals);
                return enabled ? null : texts.text("scp-disabled");
            }

            @Override
            public void close() {
                files.delete();
            }
        };
    }

    private final class Rollback implements Session {
        private final SimulatorProfile.Settings texts;
        private final DeviceFiles files;
        private final Supplier<String> running;
        private final Map<String, String> checkpoints;
        private final AtomicBoolean dropped;
        private final Map<String, String> values = new HashMap<>();

        Rollback(SimulatorProfile.Settings texts, DeviceFiles files, Supplier<String> running,
                 Map<String, String> checkpoints, AtomicBoolean dropped) {
            this.texts = texts;
            this.files = files;
            this.running = running;
            this.checkpoints = checkpoints;
            this.dropped = dropped;
        }

        @Override
        public String value(String name, String argument) {
            return values.get(name);
        }

        @Override
        public void perform(String action, Shell shell) throws IOException {
            String name = shell.argument();
            values.clear();
            values.put("file", name);
            switch (action) {
                case "md5sum" -> {
                    values.put("md5", files.md5(name));
                    shell.show(texts.lines(files.exists(name) ? "md5" : "no-file"));
                }
                case "checkpoint" -> {
                    checkpoints.put(name, running.get());
                    shell.show(texts.lines("checkpoint-done"));
                }
                case "rollback-checkpoint" -> {
                    String body = checkpoints.get(name);
                    if (body == null) {
                        shell.show(texts.lines("no-checkpoint"));
                        return;
                    }
                    shell.replaceConfigBody(body);
                    shell.show(texts.lines("rollback-done"));
                }
                case "rollback-file" -> rollbackToFile(shell, name);
                default -> throw new IllegalStateException("no action '" + action + "'");
            }
        }

        private void rollbackToFile(Shell shell, String file) throws IOException {
            String text = files.read(file);
            if (text == null) {
                shell.show(texts.lines("no-file"));
                return;
            }
            String body = DeviceFiles.body(text);
            if (dropsSession && dropped.compareAndSet(false, true)) {
                shell.replaceConfigBody(body);
                shell.dropConnection();
            }
            List<String> lines = text.replace("\r\n", "\n").lines().toList();
            if (failingLine != null && lines.contains(failingLine)) {
                shell.show(texts.lines("rollback-failed"));
                return;
            }
            shell.replaceConfigBody(body);
            shell.show(texts.lines("rollback-done"));
        }
    }
}
