package io.netsnap.lab;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import io.netsnap.lab.SimulatorProfile.CommandSpec;

/**
 * A simulated CLI device of any platform that has a {@link SimulatorProfile}, on {@code 127.0.0.1} and a free port,
 * reachable over SSH, for {@code netsnap lab} and for tests. It behaves like the real thing rather than like what one
 * client expects: password authentication only (or keyboard-interactive, as the profile says), echo of typed input,
 * the platform's line ends, prompts, pager and error texts, pauses while a configuration is built, output in small
 * chunks. An SSH {@code exec} request runs one command and closes.
 */
public final class CliSimulator extends AbstractSimulator {

    /**
     * What a platform adds where it behaves differently from what a profile can say (the ASA's security contexts and
     * {@code changeto}, ISE's resume menu). The profile names the class ({@code extension: class:}); a spec carries
     * one instance, its settings, and a public no-argument constructor gives the platform's plain box. It is started
     * once per simulator ({@link #start}) and asked for a {@link Session} per channel.
     */
    public interface Extension {

        /** Checks a configuration body before the device serves it; throws {@link IllegalArgumentException}. */
        default void check(String configBody) {
        }

        /**
         * The state one simulated device's sessions share; {@code profile} holds the extension's settings,
         * {@code configBody} gives the device's configuration body as it is now.
         */
        Device start(SimulatorProfile profile, Supplier<String> configBody);

        /** One simulated device's extension. */
        interface Device {

            Session session();

            /** Replaces the configuration of a named part of the device (an ASA security context). */
            default void updateConfigBody(String part, String body) {
                throw new IllegalArgumentException("the device has no part named " + part);
            }

            /**
             * The directory behind the device's file system ({@code flash:}), where SCP uploads land, or
             * {@code null}: the device has no SCP server. A client's path is resolved in it as typed
             * ({@code flash:name} is the file {@code flash:name} there).
             */
            default Path files() {
                return null;
            }

            /**
             * Why an SCP upload is refused now, as the device says it on the SCP channel, or {@code null} to accept
             * it; {@code privilegedLogin} tells whether the login lands at privilege 15 (no {@code enable} is possible
             * on an SCP channel).
             */
            default String scpRefusal(boolean privilegedLogin) {
                return null;
            }

            /** When the simulator stops: releases what {@link #files()} holds. */
            default void close() {
            }
        }

        /** One shell or exec channel. Each method has a default: an extension overrides what its platform needs. */
        interface Session {

            /** After authentication, before the greeting; {@code false}: an old session resumes, no greeting. */
            default boolean login(Shell shell) throws IOException {
                return true;
            }

            /** Whether a command's {@code if:} condition holds here. */
            default boolean holds(String condition) {
                return false;
            }

            /** A placeholder the engine does not know, or {@code null} to leave it as text; may hold line ends. */
            default String value(String name, String argument) {
                return null;
            }

            /** What {@code {config}} shows here, given the device's configuration body. */
            default String configBody(String body) {
                return body;
            }

            /** Performs an action the profile names and the engine does not know. */
            default void perform(String action, Shell shell) throws IOException {
                throw new IllegalStateException("no action '" + action + "'");
            }
        }

        /** What a session offers its extension. */
        interface Shell {

            /** The word typed as the current command's argument, or {@code null}. */
            String argument();

            /** The current command's output template. */
            List<String> output();

            /** Renders the templates and prints them, without the pager. */
            void print(List<String> template) throws IOException;

            /** Renders the templates and prints them through the pager, as a command's output. */
            void show(List<String> template) throws IOException;

            /** Prints {@code question} and reads a line, echoed. */
            String ask(String question) throws IOException;

            void leaveConfigMode();

            /**
             * The device's running configuration becomes {@code body} (a replace or a rollback), checked as a spec's
             * body is.
             */
            void replaceConfigBody(String body);

            /** Drops the SSH connection under this session at once, as a device does whose new configuration cut
             * the path netsnap came in by. */
            void dropConnection() throws IOException;
        }

        /** The default instance of the extension a profile names, or {@code null} when it names none. */
        static Extension of(SimulatorProfile profile) {
            if (profile.extension() == null) {
                return null;
            }
            String name = CliSimulator.class.getPackageName() + "." + profile.extension().name();
            try {
                return (Extension) Class.forName(name).getConstructor().newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                Throwable cause = e instanceof InvocationTargetException target ? target.getCause() : e;
                throw new IllegalArgumentException(profile.platform() + ": extension " + name
                        + " is not an Extension with a public no-argument constructor: " + cause, cause);
            }
        }
    }

    private final CliDevice device;

    private CliSimulator(SimulatorServer server, CliDevice device) {
        super(server, device.commands());
        this.device = device;
    }

    /** Starts the device on {@code 127.0.0.1} and a free port. */
    public static CliSimulator start(CliDeviceSpec spec, KeyPair hostKey) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(hostKey, "hostKey");
        SimulatorProfile profile = spec.profile();
        for (CommandSpec command : profile.commands()) {
            if (!SimulatorProfile.isBuiltIn(command.action()) && spec.extension() == null) {
                throw new IllegalArgumentException(profile.platform() + ": command '"
                        + String.join(" ", command.words()) + "' has an unknown action '" + command.action() + "'");
            }
            if (command.action().equals("configure") && profile.configPrompt() == null) {
                throw new IllegalArgumentException(profile.platform() + ": configure needs a prompt.config");
            }
        }
        CliDevice device = new CliDevice(spec, Clock.systemUTC());
        CliSyntax<CommandSpec> syntax = ProfileSession.syntax(profile);
        CliSimulator.Extension.Device extension = device.extension();
        SimulatorServer.Scp scp = extension.files() == null ? null : new SimulatorServer.Scp(extension.files(),
                () -> extension.scpRefusal(spec.landsPrivileged()));
        SimulatorServer server;
        try {
            server = SimulatorServer.start(spec.hostname(), profile.sshServer(), spec.username(), spec.password(),
                    profile.keyboardInteractive(), hostKey, execCommand -> new ProfileSession(device, syntax,
                            execCommand), scp);
        } catch (IOException | RuntimeException e) {
            extension.close();
            throw e;
        }
        return new CliSimulator(server, device);
    }

    /** Replaces the configuration body, as if someone had changed the device between two backups. */
    public void updateConfigBody(String newBody) {
        device.updateConfigBody(newBody);
    }

    /** Replaces the configuration of a named part of the device, such as an ASA security context. */
    public void updateConfigBody(String part, String newBody) {
        device.extension().updateConfigBody(part, newBody);
    }

    /**
     * A file on the device's file system ({@code flash:name}) as it is now, or {@code null} when there is none: what
     * an SCP upload or a {@code copy} left there.
     */
    public byte[] file(String name) throws IOException {
        Path files = device.extension().files();
        if (files == null) {
            return null;
        }
        Path file = files.resolve(name).normalize();
        return file.startsWith(files) && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            device.extension().close();
        }
    }

    /** The most shell or exec sessions that were open at the same time since the device started. */
    public int maxConcurrentSessions() {
        return device.maxConcurrentSessions();
    }
}
