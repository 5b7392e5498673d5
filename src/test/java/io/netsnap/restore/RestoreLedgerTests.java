package io.netsnap.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netsnap.restore.RestoreRefusedException.Reason;

/** The restore ledger on a real file system: four eyes, one restore per device, approvals bound and single-use. */
class RestoreLedgerTests {

    private static final String SHA = "a".repeat(64);
    private static final String OTHER_SHA = "b".repeat(64);
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path root;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));

    private RestoreLedger ledger() {
        return new RestoreLedger(root, clock);
    }

    private static RestoreRequest request(String id, String device) {
        return new RestoreRequest(id, device, null, "5c51503be707", SHA, "alice", "CHG-1042", "roll back VLAN change",
                "2026-11-29T10:00:00Z");
    }

    @Test
    void aSecondRestoreOfTheDeviceIsRefusedNamingTheOneInFlightUntilItConcludes() {
        RestoreLedger ledger = ledger();
        ledger.open(request("R-1", "EDGE-RTR-01"));

        assertThatThrownBy(() -> ledger.open(request("R-2", "EDGE-RTR-01")))
                .isInstanceOf(RestoreRefusedException.class)
                .hasMessageContaining("EDGE-RTR-01 already has a restore in flight: restore R-1")
                .hasMessageContaining("requested by alice")
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.RESTORE_IN_FLIGHT);
        ledger.open(request("R-3", "CORE-SW-01"));

        ledger.conclude("R-1", "REJECTED", null, "rejected by bob");
        assertThat(ledger.inFlightFor("EDGE-RTR-01")).isEmpty();
        ledger.open(request("R-2", "EDGE-RTR-01"));
        assertThat(ledger.inFlightFor("EDGE-RTR-01")).map(RestoreIntake::restoreId).hasValue("R-2");
    }

    @Test
    void theRequesterMayNotApproveAndTheApprovalIsForTheContentShown() {
        RestoreLedger ledger = ledger();
        ledger.open(request("R-1", "EDGE-RTR-01"));

        assertThatThrownBy(() -> ledger.approve("R-1", "alice", SHA, DAY))
                .hasMessageContaining("alice requested it and may not approve it")
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.FOUR_EYES);
        assertThatThrownBy(() -> ledger.approve("R-1", "bob", OTHER_SHA, DAY))
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.NOT_WHAT_WAS_APPROVED);
        assertThat(ledger.approval("R-1")).isEmpty();

        Approval approval = ledger.approve("R-1", "bob", SHA, DAY);
        assertThat(approval.approver()).isEqualTo("bob");
        assertThat(approval.requester()).isEqualTo("alice");
        assertThat(approval.expiresAt()).isEqualTo("2026-11-30T10:00:00Z");
        assertThatThrownBy(() -> ledger.approve("R-1", "carol", SHA, DAY))
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.APPROVAL_USED);
        assertThat(ledger.approval("R-1")).map(Approval::approver).hasValue("bob");
    }

    @Test
    void aPushOfOtherContentOrToAnotherDeviceIsRefusedAndLeavesTheApprovalUnused() {
        RestoreLedger ledger = ledger();
        ledger.open(request("R-1", "EDGE-RTR-01"));
        ledger.approve("R-1", "bob", SHA, DAY);

        assertThatThrownBy(() -> ledger.claim("R-1", "EDGE-RTR-01", null, OTHER_SHA))
                .hasMessageContaining("is not what was approved").hasMessageContaining("nothing pushed")
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.NOT_WHAT_WAS_APPROVED);
        assertThatThrownBy(() -> ledger.claim("R-1", "CORE-SW-01", null, SHA))
                .hasMessageContaining("was approved for EDGE-RTR-01, not for CORE-SW-01")
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.NOT_WHAT_WAS_APPROVED);
        assertThatThrownBy(() -> ledger.claim("R-1", "EDGE-RTR-01", "DMZ", SHA))
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.NOT_WHAT_WAS_APPROVED);

        assertThat(ledger.claim("R-1", "EDGE-RTR-01", null, SHA).approver()).isEqualTo("bob");
    }

    @Test
    void anApprovalServesOnePushOnly() {
        RestoreLedger ledger = ledger();
        ledger.open(request("R-1", "EDGE-RTR-01"));
        ledger.approve("R-1", "bob", SHA, DAY);

        ledger.claim("R-1", "EDGE-RTR-01", null, SHA);

        assertThatThrownBy(() -> ledger.claim("R-1", "EDGE-RTR-01", null, SHA))
                .hasMessageContaining("used by an earlier push")
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.APPROVAL_USED);
        assertThatThrownBy(() -> ledger.approve("R-1", "carol", SHA, DAY))
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.APPROVAL_USED);
    }

    @Test
    void anExpiredApprovalPushesNothing() {
        RestoreLedger ledger = ledger();
        ledger.open(request("R-1", "EDGE-RTR-01"));
        ledger.approve("R-1", "bob", SHA, Duration.ofHours(4));

        clock.advance(Duration.ofHours(4));

        assertThatThrownBy(() -> ledger.claim("R-1", "EDGE-RTR-01", null, SHA))
                .hasMessageContaining("expired at 2026-11-29T14:00:00Z")
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.APPROVAL_EXPIRED);
    }

    @Test
    void anUnapprovedUnknownOrForgedRestorePushesNothing() {
        RestoreLedger ledger = ledger();
        ledger.open(request("R-1", "EDGE-RTR-01"));

        assertThatThrownBy(() -> ledger.claim("R-1", "EDGE-RTR-01", null, SHA))
                .hasMessageContaining("has no recorded approval")
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.NOT_APPROVED);
        assertThatThrownBy(() -> ledger.claim("R-404", "EDGE-RTR-01", null, SHA))
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.RESTORE_UNKNOWN);
        assertThatThrownBy(() -> ledger.claim("../R-1", "EDGE-RTR-01", null, SHA))
                .hasMessageContaining("no record of restore '../R-1'")
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.RESTORE_UNKNOWN);
    }

    @Test
    void aConcludedRestoreTakesNoApprovalNorPushAndConcludesOnce() {
        RestoreLedger ledger = ledger();
        ledger.open(request("R-1", "EDGE-RTR-01"));
        ledger.approve("R-1", "bob", SHA, DAY);
        ledger.conclude("R-1", "REJECTED", null, "withdrawn");

        assertThatThrownBy(() -> ledger.claim("R-1", "EDGE-RTR-01", null, SHA))
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.RESTORE_CONCLUDED);
        assertThatThrownBy(() -> ledger.conclude("R-1", "RESTORED", SHA, "again"))
                .extracting(e -> ((RestoreRefusedException) e).reason()).isEqualTo(Reason.RESTORE_CONCLUDED);
        assertThat(ledger.outcome("R-1")).map(RestoreOutcome::outcome).hasValue("REJECTED");
    }

    @Test
    void racingPushesAndRacingRequestsHaveOneWinnerEach() throws Exception {
        RestoreLedger ledger = ledger();
        ledger.open(request("R-1", "EDGE-RTR-01"));
        ledger.approve("R-1", "bob", SHA, DAY);

        assertThat(race(8, i -> () -> ledger.claim("R-1", "EDGE-RTR-01", null, SHA))).isEqualTo(1);
        assertThat(race(8, i -> () -> {
            ledger.open(request("R-" + (10 + i), "CORE-SW-01"));
            return null;
        })).isEqualTo(1);
    }

    /** Starts {@code n} tasks at once; returns how many succeeded (the others must be refused, nothing else). */
    private static int race(int n, java.util.function.IntFunction<Callable<?>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<?> body = task.apply(i);
                results.add(pool.submit(() -> {
                    start.await();
                    return body.call();
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<?> result : results) {
                try {
                    result.get();
                    won++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(RestoreRefusedException.class);
                }
            }
            return won;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
