package io.netsnap.lab.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ApplicationContext;

import io.netsnap.workflow.RunTimeline;

/**
 * Where the time from the JVM's start to the first device went, milestone by milestone, each measured from the JVM's
 * start ({@code RuntimeMXBean}): the bench's own steps on its clock, the engine's start as the engine mode saw it,
 * the deployment and the run's steps from the engine's records, the first device from the workers' events.
 */
final class StartUp {

    private final Instant commandStarted = Instant.now();
    private Instant fleetUp;
    private Instant contextReady;

    /** A milestone, {@code at} after the JVM's start; {@code note} says what it marks. */
    record Milestone(String name, Duration at, String note) {
    }

    /**
     * @param milestones  in the order they were reached
     * @param firstDevice from the JVM's start to a worker's first step on the first device
     * @param fleet       the bench's simulators and Vault double: start-up time that is the bench's, not netsnap's
     * @param cpuSeconds  the CPU seconds this process had used when the first device started, or -1
     */
    record Figures(List<Milestone> milestones, Duration firstDevice, Duration fleet, double cpuSeconds) {

        Figures {
            milestones = milestones.stream().sorted(java.util.Comparator.comparing(Milestone::at)).toList();
        }

        /** The part of {@link #firstDevice} that is netsnap's own start-up. */
        Duration netsnap() {
            return firstDevice.minus(fleet);
        }
    }

    void fleetUp() {
        fleetUp = Instant.now();
    }

    void contextReady() {
        contextReady = Instant.now();
    }

    /** Engine mode: the milestones from the context, the run's timeline and the workers' first step. */
    Figures engine(ApplicationContext context, RunTimeline.Timeline timeline, DeviceClock.Start first) {
        List<Milestone> milestones = common();
        context.getBean(RunTimeline.class).engineReady().ifPresent(at -> milestones.add(
                milestone("engine ready", at, "the embedded engine started (beside the other beans)")));
        if (timeline.modelsDeployed() != null) {
            milestones.add(milestone("models deployed", timeline.modelsDeployed(),
                    "the engine's record of the last deployment"));
        }
        milestones.add(milestone("context ready", contextReady, "Spring context refreshed, job workers open"));
        milestones.add(milestone("run started", timeline.run().start(), "network-backup instance activated"));
        RunTimeline.Span preflight = timeline.steps().get("Task_Preflight");
        if (preflight != null) {
            milestones.add(milestone("preflight done", preflight.end(), "Task_Preflight completed"));
        }
        Instant firstAt = first == null ? timeline.run().end() : first.at();
        milestones.add(milestone("first device", firstAt, "a worker began the first device's first step"));
        return new Figures(milestones, sinceJvm(firstAt), Duration.between(commandStarted, fleetUp),
                first == null ? -1 : first.cpuSeconds());
    }

    /** Direct mode: the devices start right after the context, on the caller's clock. */
    Figures direct(Instant firstDevice, double cpuSeconds) {
        List<Milestone> milestones = common();
        milestones.add(milestone("context ready", contextReady, "Spring context refreshed, no engine"));
        milestones.add(milestone("first device", firstDevice, "the first device handed to the pool"));
        return new Figures(milestones, sinceJvm(firstDevice), Duration.between(commandStarted, fleetUp), cpuSeconds);
    }

    private List<Milestone> common() {
        List<Milestone> milestones = new ArrayList<>();
        milestones.add(milestone("command started", commandStarted, "JVM up, command line parsed"));
        milestones.add(milestone("fleet up", fleetUp, "the bench's simulators and Vault double (not netsnap's)"));
        return milestones;
    }

    private static Milestone milestone(String name, Instant at, String note) {
        return new Milestone(name, sinceJvm(at), note);
    }

    private static Duration sinceJvm(Instant at) {
        return Duration.between(Resources.jvmStart(), at);
    }
}
