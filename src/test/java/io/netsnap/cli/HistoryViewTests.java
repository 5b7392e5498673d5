package io.netsnap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netsnap.archive.Version;

/** {@code netsnap history}'s listing: versions and restores merged by time, newest first, one line each. */
class HistoryViewTests {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final String FIRST = "1a2b3c4d5e6f".repeat(3) + "0123";
    private static final String CHECKPOINT = "aaaabbbbcccc".repeat(3) + "dddd";
    private static final String AFTER = "ffffeeeedddd".repeat(3) + "cccc";

    @Test
    void restoresStandAmongTheVersionsAtTheTimeTheyWereAskedFor() {
        List<Version> versions = List.of(
                new Version(AFTER, Instant.parse("2026-11-30T10:07:00Z"), "restore restore-20261130-100000-ab12 of"
                        + " EDGE-RTR-01: RESTORED"),
                new Version(CHECKPOINT, Instant.parse("2026-11-30T10:05:00Z"), "pre-restore checkpoint of"
                        + " EDGE-RTR-01 for restore-20261130-100000-ab12"),
                new Version(FIRST, Instant.parse("2026-11-29T02:00:00Z"), "netsnap run 20261129-020000-0001: 3"
                        + " changed"));
        List<HistoryView.Restore> restores = List.of(
                new HistoryView.Restore("restore-20261130-100000-ab12", Instant.parse("2026-11-30T10:00:00Z"),
                        "RESTORED", FIRST, false, "root", "alice", "CHG-1"),
                new HistoryView.Restore("restore-20261130-110000-cd34", Instant.parse("2026-11-30T11:00:00Z"),
                        null, CHECKPOINT, true, "bob", null, "CHG-2"));

        List<String> lines = HistoryView.listing(versions, restores, UTC);

        assertThat(lines).containsExactly(
                "2026-11-30 11:00:00  restore-20261130-110000-cd34              RUNNING         to checkpoint"
                        + " aaaabbbbcccc  requested by bob, ticket CHG-2",
                "2026-11-30 10:07:00  " + AFTER + "  restore restore-20261130-100000-ab12 of EDGE-RTR-01: RESTORED",
                "2026-11-30 10:05:00  " + CHECKPOINT + "  pre-restore checkpoint of EDGE-RTR-01 for"
                        + " restore-20261130-100000-ab12",
                "2026-11-30 10:00:00  restore-20261130-100000-ab12              RESTORED        to 1a2b3c4d5e6f"
                        + "  requested by root, approved by alice, ticket CHG-1",
                "2026-11-29 02:00:00  " + FIRST + "  netsnap run 20261129-020000-0001: 3 changed");
    }

    @Test
    void withoutRestoresTheListingIsTheVersions() {
        List<Version> versions = List.of(new Version(FIRST, Instant.parse("2026-11-29T02:00:00Z"), "netsnap run x"));

        assertThat(HistoryView.listing(versions, List.of(), UTC))
                .containsExactly("2026-11-29 02:00:00  " + FIRST + "  netsnap run x");
    }
}
