package io.netsnap.lab;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * ISE's login step: with disconnected SSH sessions left behind, every login first offers to resume one and waits for
 * an answer. The texts are in {@code profiles/ise.yaml}; this class holds the sessions of one node. A login with two
 * sessions waiting ({@code <Enter>} is the client's answer, echoed as {@code \r\n}):
 *
 * <pre>
 * Following disconnected ssh sessions are available to resume.
 * [1] 875.User-Friday_Jan_17_08:26:00_2020
 * [2] 25035.User-Friday_Jan_17_08:22:48_2020
 * Enter session number to resume or press &lt;Enter&gt; to start a new one: &lt;Enter&gt;
 * Last login: Mon Jan  6 09:12:44 2025 from 192.0.2.50
 * ISE-PRIMARY/netsnap#
 * </pre>
 *
 * Enter starts a new session (the greeting follows); a listed number resumes that session: the simulator then shows
 * just the prompt (what a resumed screen redraws on a real node is not modelled). Any other answer repeats the
 * question. Answers are not commands and are not recorded.
 *
 * @param sessions names of disconnected sessions, e.g. {@code 875.User-Friday_Jan_17_08:26:00_2020}; empty: no menu
 */
public record IseResumeMenu(List<String> sessions) implements CliSimulator.Extension {

    public IseResumeMenu {
        sessions = List.copyOf(sessions);
        for (String session : sessions) {
            SpecChecks.requireToken(session, "resume menu session name");
        }
    }

    /** A node without sessions left behind: no menu. */
    public IseResumeMenu() {
        this(List.of());
    }

    @Override
    public Device start(SimulatorProfile profile, Supplier<String> configBody) {
        SimulatorProfile.Settings texts = profile.extension();
        return () -> new Session() {
            @Override
            public boolean login(Shell shell) throws IOException {
                return sessions.isEmpty() || !resume(shell, texts);
            }
        };
    }

    /** Returns {@code true} when the user resumed an old session, {@code false} for a new one. */
    private boolean resume(Shell shell, SimulatorProfile.Settings texts) throws IOException {
        shell.print(texts.lines("header"));
        for (int i = 0; i < sessions.size(); i++) {
            shell.print(List.of(texts.text("entry").replace("{number}", Integer.toString(i + 1))
                    .replace("{session}", sessions.get(i))));
        }
        while (true) {
            String choice = shell.ask(texts.text("question")).strip();
            if (choice.isEmpty()) {
                return false;
            }
            if (choice.matches("\\d{1,3}") && Integer.parseInt(choice) >= 1
                    && Integer.parseInt(choice) <= sessions.size()) {
                return true;
            }
        }
    }
}
