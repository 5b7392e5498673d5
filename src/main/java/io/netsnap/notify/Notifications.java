package io.netsnap.notify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netsnap.archive.Archive;
import io.netsnap.archive.RunFolder;
import io.netsnap.backup.RunReport;

/**
 * Tells people how runs went, by e-mail, Slack and Microsoft Teams ({@code netsnap.notify.*}), once per failure:
 * a device that fails every night is alerted the first night, then listed in at most one digest a day, and said to
 * have recovered when it is backed up again (see {@link AlertLedger} for the rules, README "Notifications").
 *
 * <p>What a message says comes from the run's {@code report.json} in the archive, never from process variables, and
 * is figures, error codes and one-line messages: never a configuration line, a diff or a secret. Nothing here throws:
 * a channel that fails is logged in one line and the others still send; a run never fails for its notifications.
 * With no channel enabled (the default) nothing is read, written or sent.
 */
@Service
public class Notifications {

    private static final Logger log = LoggerFactory.getLogger(Notifications.class);
    static final String STATE = "alerts.json";
    private static final String REPORT = "report.json";

    private final NotifyProperties properties;
    private final OperateProperties operate;
    private final Archive archive;
    private final List<Channel> channels;
    /** Report readers tolerate what a newer netsnap adds to a report. */
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    Notifications(NotifyProperties properties, OperateProperties operate, Archive archive, List<Channel> channels) {
        this.properties = properties;
        this.operate = operate;
        this.archive = archive;
        this.channels = channels.stream().filter(Channel::enabled).toList();
    }

    /**
     * What became of one notification.
     *
     * @param sent      whether there was something to say (a message was composed)
     * @param delivered the channels that took the message
     * @param failed    the channels that did not
     */
    public record Outcome(boolean sent, List<String> delivered, List<String> failed) {

        static final Outcome NOTHING = new Outcome(false, List.of(), List.of());
    }

    /**
     * A run has ended (its report is written): alerts new failures, says which devices recovered, lists those still
     * failing once a day, and summarizes the run when {@code netsnap.notify.on-success} is set or the run was aborted.
     * Call it once the run's {@code report.json} exists; calling it again for the same run sends nothing.
     *
     * @param run the run's folder (its id and start date); the date is the day the digest rule counts in
     */
    public synchronized Outcome runEnded(RunFolder run) {
        Objects.requireNonNull(run, "run");
        if (channels.isEmpty()) {
            log.debug("Run {}: no notification channel enabled (netsnap.notify.*)", run.runId());
            return Outcome.NOTHING;
        }
        try {
            RunReport report = readReport(run);
            if (report == null) {
                log.warn("Run {}: no report.json in {}, nothing notified", run.runId(), archive.runDirectory(run));
                return Outcome.NOTHING;
            }
            AlertState state = archive.readState(STATE, AlertState.class).orElseGet(AlertState::empty);
            if (state.handled().contains(run.runId())) {
                log.info("Run {}: notified before, not again", run.runId());
                return Outcome.NOTHING;
            }
            AlertLedger.Step step = AlertLedger.apply(state, report, run.runDate());
            boolean aborted = RunReport.ABORTED.equals(report.outcome());
            if (!step.news() && !aborted && !properties.onSuccess()) {
                archive.writeState(STATE, step.undelivered());
                log.debug("Run {}: nothing new to notify", run.runId());
                return Outcome.NOTHING;
            }
            Notice notice = Notices.runEnded(report, step, operate.runsLink(), properties.maxLines());
            Outcome outcome = send("Run " + run.runId(), notice);
            if (!outcome.delivered().isEmpty()) {
                archive.writeState(STATE, step.delivered());
            } else {
                archive.writeState(STATE, step.undelivered());
                if (!step.newFailures().isEmpty()) {
                    log.warn("Run {}: no channel took its message; its {} new failure(s) will be alerted at the next"
                            + " run end that reports them", run.runId(), step.newFailures().size());
                }
            }
            return outcome;
        } catch (IOException | RuntimeException e) {
            log.warn("Run {}: notifications failed: {}", run.runId(),
                    Text.oneLine(e.getClass().getSimpleName() + ": " + e.getMessage(), 300));
            return Outcome.NOTHING;
        }
    }

    /**
     * A run is still going after its window: says so once per run ("run X started at T has not ended after PT4H; it
     * goes on"), to every channel. It is a warning, the run is not stopped.
     *
     * @param run       the run's folder
     * @param window    how long a run is expected to take (the timer that fired)
     * @param startedAt when the run started, as the caller recorded it
     */
    public synchronized Outcome runOverdue(RunFolder run, Duration window, Instant startedAt) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(startedAt, "startedAt");
        if (channels.isEmpty()) {
            log.debug("Run {}: no notification channel enabled (netsnap.notify.*)", run.runId());
            return Outcome.NOTHING;
        }
        try {
            AlertState state = archive.readState(STATE, AlertState.class).orElseGet(AlertState::empty);
            String key = "overdue:" + run.runId();
            if (state.handled().contains(key)) {
                log.info("Run {}: its overdue warning was sent before, not again", run.runId());
                return Outcome.NOTHING;
            }
            Outcome outcome = send("Run " + run.runId() + " overdue",
                    Notices.overdue(run.runId(), window, startedAt, operate.runsLink()));
            if (!outcome.delivered().isEmpty()) {
                archive.writeState(STATE, new AlertState(state.lastDigest(), AlertLedger.handled(state, key),
                        state.failing()));
            }
            return outcome;
        } catch (RuntimeException e) {
            log.warn("Run {}: overdue notification failed: {}", run.runId(),
                    Text.oneLine(e.getClass().getSimpleName() + ": " + e.getMessage(), 300));
            return Outcome.NOTHING;
        }
    }

    private Outcome send(String what, Notice notice) {
        List<String> delivered = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Channel channel : channels) {
            try {
                channel.send(notice);
                delivered.add(channel.name());
            } catch (RuntimeException e) {
                failed.add(channel.name());
                // NotifyException messages are made to be shown; anything else gets its type and first line only
                String reason = e instanceof NotifyException ? e.getMessage()
                        : channel.target() + ": " + e.getClass().getSimpleName() + ": "
                        + Text.oneLine(String.valueOf(e.getMessage()), 160);
                log.warn("{}: not notified by {}: {}", what, channel.name(), reason);
            }
        }
        if (!delivered.isEmpty()) {
            log.info("{}: notified by {} ({})", what, String.join(", ", delivered), notice.title());
        }
        return new Outcome(true, List.copyOf(delivered), List.copyOf(failed));
    }

    private RunReport readReport(RunFolder run) throws IOException {
        Path report = archive.runDirectory(run).resolve(REPORT);
        if (!Files.isRegularFile(report)) {
            return null;
        }
        return json.readValue(report.toFile(), RunReport.class);
    }
}
