package io.netsnap.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;

import ch.qos.logback.classic.Level;
import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveProperties;
import io.netsnap.archive.RunFolder;
import io.netsnap.archive.StoredConfig;
import io.netsnap.backup.DeviceResult;
import io.netsnap.backup.RunReport;
import io.netsnap.lab.Lab;
import io.netsnap.lab.LabTls;
import io.netsnap.support.LeakScanner;

/**
 * Notifications against real servers: GreenMail for SMTP (with a login), the JDK's HTTPS server for the Slack and
 * Teams webhooks (a lab-CA certificate that the notifier verifies), and a real archive for reports and state. The
 * lab's secrets are planted where a careless notifier would pick them up (the SMTP password, the webhook tokens, the
 * line after a device message's first, the far end of a long message, the stored configuration) and every message,
 * log line and state file is scanned for them.
 */
@ExtendWith(OutputCaptureExtension.class)
class NotificationsTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final URI OPERATE = URI.create("https://camunda.example.net/operate/");
    private static final String OPERATE_LINK = "https://camunda.example.net/operate/processes?process=network-backup"
            + "&version=all&active=true&incidents=true&completed=true&canceled=true";

    @TempDir
    static Path shared;
    @TempDir
    Path data;

    private static Lab lab;
    private static LabTls tls;
    private static WebhookServer webhooks;
    private static GreenMail smtp;
    private static List<String> secrets;
    private static String smtpPassword;
    private static String slackPath;
    private static String teamsPath;

    private Archive archive;
    private final List<Webhooks> clients = new ArrayList<>();

    @BeforeAll
    static void startServers() throws IOException {
        // what production logs (Spring Boot: INFO), with netsnap's own debug lines on to see that they say nothing
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.INFO);
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.netsnap")).setLevel(Level.DEBUG);
        lab = Lab.start(shared.resolve("lab"), List.of());
        secrets = List.copyOf(lab.secrets());
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(6);
        smtpPassword = secrets.get(0);
        slackPath = "/services/T0NETSNAP/B0NETSNAP/" + secrets.get(1);
        teamsPath = "/webhookb2/" + secrets.get(2) + "/IncomingWebhook/netsnap";
        tls = LabTls.loadOrCreate(shared.resolve("tls"));
        webhooks = WebhookServer.start(tls.serverContext());
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        smtp.setUser("netsnap@example.net", "netsnap", smtpPassword);
    }

    @AfterAll
    static void stopServers() {
        smtp.stop();
        webhooks.close();
        lab.close();
    }

    @BeforeEach
    void openArchive() {
        archive = new Archive(new ArchiveProperties(data, false, java.time.Period.ofDays(30)));
    }

    @AfterEach
    void reset() throws Exception {
        for (Webhooks client : clients) {
            client.destroy();
        }
        archive.destroy();
        webhooks.reset();
        smtp.purgeEmailFromAllMailboxes();
    }

    @Test
    void aNewFailureIsMailedAndPostedWithCountsCodesChangesRunIdAndOperateLinkButNoSecret(CapturedOutput output)
            throws Exception {
        RunFolder run = new RunFolder("20261128-020000-ab12", LocalDate.of(2026, 11, 28));
        StoredConfig core = archive.store(run, "CORE-SW-01", "ios", null,
                "hostname CORE-SW-01\nusername admin secret 0 " + secrets.get(3) + "\ninterface Vlan1\n",
                LocalDateTime.of(2026, 11, 28, 2, 0, 5));
        assertThat(Files.readString(data.resolve(core.exportFile()))).as("the export a careless notifier would attach")
                .contains(secrets.get(3));
        report(run, RunReport.PARTIAL,
                failed("EDGE-RTR-01", "AUTH_FAILED", "EDGE-RTR-01: the device refused the login of user 'netsnap'\n"
                        + "  enable secret 0 " + secrets.get(4)),
                failed("BRANCH-RTR-07", "DEVICE_TIMEOUT", "BRANCH-RTR-07: silent for PT30S after "
                        + "x".repeat(240) + " " + secrets.get(5)),
                new DeviceResult("CORE-SW-01", null, "ios", DeviceResult.OK, true, core.linesAdded(),
                        core.linesRemoved(), core.exportFile(), core.historyPath(), core.sha256(), core.bytes(), null,
                        null, null),
                new DeviceResult("ASA-FW-01", null, "asa", DeviceResult.FAILED, true, 0, 0, null, "ASA-FW-01",
                        null, 0, "DEVICE_TIMEOUT", "ASA-FW-01: context DMZ failed", List.of(
                        new DeviceResult("ASA-FW-01", "admin", "asa", DeviceResult.OK, true, 4, 1, null, null, null,
                                0, null, null, null),
                        DeviceResult.failed("ASA-FW-01", "DMZ", "asa", "DEVICE_TIMEOUT",
                                "ASA-FW-01: context DMZ: no prompt within PT30S"))));

        Notifications.Outcome outcome = notifier(false, true, true, true).runEnded(run);

        assertThat(outcome.delivered()).containsExactly("email", "slack", "teams");
        assertThat(outcome.failed()).isEmpty();
        MimeMessage mail = onlyMail();
        assertThat(mail.getSubject()).isEqualTo("[netsnap] Run 20261128-020000-ab12: 3 new failures");
        assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly("noc@example.net");
        String body = GreenMailUtil.getBody(mail).replace("\r\n", "\n");
        assertThat(body)
                .contains("Run 20261128-020000-ab12: PARTIAL")
                .contains("Devices: 4 total, 1 ok, 3 failed, 1 changed, 0 unchanged")
                .contains("Operate: " + OPERATE_LINK)
                .contains("New failures\n")
                .contains("  - EDGE-RTR-01 (ios): AUTH_FAILED: the device refused the login of user 'netsnap'\n")
                .contains("  - BRANCH-RTR-07 (ios): DEVICE_TIMEOUT: silent for PT30S after xxx")
                .contains("  - ASA-FW-01/DMZ (asa): DEVICE_TIMEOUT: context DMZ: no prompt within PT30S\n")
                .contains("Changed\n  - CORE-SW-01: +3 -0 lines\n  - ASA-FW-01/admin: +4 -1 lines\n")
                .doesNotContain("interface Vlan1").doesNotContain("hostname");
        assertThat(body.lines().filter(l -> l.contains("BRANCH-RTR-07")).findFirst().orElseThrow())
                .as("a long device message is cut").hasSizeLessThan(Text.MESSAGE + 60).endsWith("...");

        JsonNode slack = onlyBody(slackPath);
        assertThat(slack.path("text").asText()).isEqualTo("Run 20261128-020000-ab12: 3 new failures");
        JsonNode blocks = slack.path("blocks");
        assertThat(blocks.isArray()).isTrue();
        assertThat(blocks.size()).isBetween(2, 50);
        assertThat(blocks.get(0).path("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).path("text").path("type").asText()).isEqualTo("plain_text");
        for (JsonNode block : blocks) {
            if (!block.path("type").asText().equals("header")) {
                assertThat(block.path("type").asText()).isEqualTo("section");
                assertThat(block.path("text").path("type").asText()).isEqualTo("mrkdwn");
                assertThat(block.path("text").path("text").asText()).hasSizeLessThanOrEqualTo(3000);
            }
        }
        assertThat(blocks.toString()).contains("EDGE-RTR-01 (ios): AUTH_FAILED: the device refused the login")
                .contains("CORE-SW-01: +3 -0 lines")
                .contains("|Open the runs in Operate>");

        JsonNode teams = onlyBody(teamsPath);
        assertThat(teams.path("type").asText()).isEqualTo("message");
        assertThat(teams.path("attachments").size()).isEqualTo(1);
        JsonNode attachment = teams.path("attachments").get(0);
        assertThat(attachment.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        JsonNode card = attachment.path("content");
        assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.path("version").asText()).isEqualTo("1.4");
        assertThat(card.path("body").isArray()).isTrue();
        card.path("body").forEach(element -> assertThat(element.path("type").asText()).isEqualTo("TextBlock"));
        assertThat(card.path("body").toString()).contains("ASA-FW-01/DMZ (asa): DEVICE_TIMEOUT");
        assertThat(card.path("actions").get(0).path("type").asText()).isEqualTo("Action.OpenUrl");
        assertThat(card.path("actions").get(0).path("url").asText()).isEqualTo(OPERATE_LINK);
        assertThat(webhooks.all()).allSatisfy(r -> assertThat(r.contentType()).startsWith("application/json"));

        LeakScanner scanner = new LeakScanner(secrets);
        scanner.assertClean("the mail", GreenMailUtil.getWholeMessage(mail));
        webhooks.all().forEach(r -> scanner.assertClean("a webhook body", r.body()));
        scanner.assertClean("the log", output.getAll());
        scanner.assertClean(data.resolve("state/" + Notifications.STATE));
    }

    @Test
    void aDeviceFailingEveryNightIsAlertedOnceThenListedInOneDigestADayThenRecoveredOnce(CapturedOutput output)
            throws Exception {
        Notifications notifier = notifier(false, true, true, false);
        DeviceResult edgeFails = failed("EDGE-RTR-01", "AUTH_FAILED",
                "EDGE-RTR-01: the device refused the login of user 'netsnap'");
        DeviceResult coreOk = ok("CORE-SW-01");

        List<String> subjects = new ArrayList<>();
        for (int night = 0; night < 3; night++) {
            RunFolder run = nightly(LocalDate.of(2026, 11, 28).plusDays(night));
            report(run, RunReport.PARTIAL, edgeFails, coreOk);
            assertThat(notifier.runEnded(run).delivered()).as("night %d", night).containsExactly("email", "slack");
            if (night == 1) {
                // an ad-hoc run the same day: the digest of the day was sent, nothing new, so nothing is sent
                RunFolder adHoc = new RunFolder("20261129-140000-adh0", LocalDate.of(2026, 11, 29));
                report(adHoc, RunReport.PARTIAL, edgeFails, coreOk);
                assertThat(notifier.runEnded(adHoc).sent()).isFalse();
            }
        }
        for (MimeMessage mail : smtp.getReceivedMessages()) {
            subjects.add(mail.getSubject());
        }
        List<String> bodies = Arrays.stream(smtp.getReceivedMessages()).map(GreenMailUtil::getBody)
                .map(b -> b.replace("\r\n", "\n")).toList();
        assertThat(subjects).containsExactly(
                "[netsnap] Run 20261128-020000-n000: 1 new failure",
                "[netsnap] Run 20261129-020000-n000: 1 still failing",
                "[netsnap] Run 20261130-020000-n000: 1 still failing");
        assertThat(bodies.get(0)).contains("New failures\n  - EDGE-RTR-01 (ios): AUTH_FAILED: the device refused")
                .doesNotContain("Still failing");
        assertThat(bodies.get(1)).doesNotContain("New failures")
                .contains("Still failing\n  - EDGE-RTR-01: still failing since 2026-11-28 (2 runs): AUTH_FAILED\n");
        assertThat(bodies.get(2))
                .contains("Still failing\n  - EDGE-RTR-01: still failing since 2026-11-28 (4 runs): AUTH_FAILED\n");
        assertThat(webhooks.requests(slackPath)).hasSize(3);
        assertThat(bodies.stream().filter(b -> b.contains("refused the login"))).as("the full detail, once")
                .hasSize(1);

        smtp.purgeEmailFromAllMailboxes();
        RunFolder back = nightly(LocalDate.of(2026, 12, 1));
        report(back, RunReport.OK, ok("EDGE-RTR-01"), coreOk);
        assertThat(notifier.runEnded(back).delivered()).containsExactly("email", "slack");
        RunFolder quiet = nightly(LocalDate.of(2026, 12, 2));
        report(quiet, RunReport.OK, ok("EDGE-RTR-01"), coreOk);
        assertThat(notifier.runEnded(quiet).sent()).as("nothing new, on-success off").isFalse();

        MimeMessage recovered = onlyMail();
        assertThat(recovered.getSubject()).isEqualTo("[netsnap] Run 20261201-020000-n000: 1 recovered");
        assertThat(GreenMailUtil.getBody(recovered).replace("\r\n", "\n")).contains("Recovered\n  - EDGE-RTR-01: "
                + "backed up again; it had been failing since 2026-11-28 (4 runs): AUTH_FAILED\n");
        assertThat(webhooks.requests(slackPath)).hasSize(4);
        assertThat(JSON.readTree(data.resolve("state/" + Notifications.STATE).toFile()).path("failing").size())
                .as("a recovered device is forgotten").isZero();
        new LeakScanner(secrets).assertClean("the log", output.getAll());
    }

    @Test
    void aFailingChannelStopsNeitherTheOthersNorTheRunAndIsLoggedInOneLineWithItsHostOnly(CapturedOutput output)
            throws IOException {
        webhooks.answer(slackPath, 500);
        int closed = closedPort();
        URI refused = URI.create("https://127.0.0.1:" + closed + teamsPath);
        RunFolder run = nightly(LocalDate.of(2026, 11, 28));
        report(run, RunReport.PARTIAL, failed("EDGE-RTR-01", "AUTH_FAILED", "EDGE-RTR-01: refused"), ok("CORE-SW-01"));

        Notifications.Outcome outcome = notifier(false, true, true, true, refused).runEnded(run);

        assertThat(outcome.delivered()).containsExactly("email");
        assertThat(outcome.failed()).containsExactly("slack", "teams");
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(webhooks.requests(slackPath)).as("Slack was asked").hasSize(1);
        List<String> warnings = output.getAll().lines().filter(l -> l.contains("not notified by")).toList();
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).contains("WARN").contains("not notified by slack: https://127.0.0.1:")
                .contains("answered HTTP 500").doesNotContain("/services");
        assertThat(warnings.get(1)).contains("not notified by teams: https://127.0.0.1:" + closed)
                .doesNotContain("webhookb2");
        new LeakScanner(secrets).assertClean("the log", output.getAll());
    }

    @Test
    void anAlertNoChannelTookIsSentAtTheNextRunEndAndAWrongSmtpPasswordIsNotLogged(CapturedOutput output)
            throws Exception {
        webhooks.answer(slackPath, 500);
        Notifications broken = notifier(false, false, true, false);
        RunFolder first = nightly(LocalDate.of(2026, 11, 28));
        report(first, RunReport.PARTIAL, failed("EDGE-RTR-01", "AUTH_FAILED", "EDGE-RTR-01: refused"));
        assertThat(broken.runEnded(first).failed()).containsExactly("slack");

        webhooks.answer(slackPath, 200);
        RunFolder second = nightly(LocalDate.of(2026, 11, 29));
        report(second, RunReport.PARTIAL, failed("EDGE-RTR-01", "AUTH_FAILED", "EDGE-RTR-01: refused"));
        assertThat(broken.runEnded(second).delivered()).containsExactly("slack");
        assertThat(webhooks.requests(slackPath).get(1).body())
                .contains("EDGE-RTR-01 (ios): AUTH_FAILED: refused (failing since 2026-11-28 (2 runs))");

        String wrong = secrets.get(5);
        NotifyProperties.Email email = new NotifyProperties.Email(true, "netsnap@example.net",
                List.of("noc@example.net"), "[netsnap]");
        JavaMailSenderImpl sender = mailSender(wrong);
        Notifications mailOnly = new Notifications(properties(false, email, disabledSlack(), disabledTeams()),
                new OperateProperties(null), archive, List.of(new EmailChannel(email, sender)));
        RunFolder third = nightly(LocalDate.of(2026, 11, 30));
        report(third, RunReport.PARTIAL, failed("CORE-SW-01", "DEVICE_UNREACHABLE", "CORE-SW-01: refused"));
        assertThat(mailOnly.runEnded(third).failed()).containsExactly("email");
        assertThat(output.getAll()).contains("not notified by email: 127.0.0.1:" + smtp.getSmtp().getPort() + ": AuthenticationFailedException");
        new LeakScanner(secrets).assertClean("the log", output.getAll());
    }

    @Test
    void withNoChannelEnabledNothingIsReadWrittenOrSentAndOneDebugLineIsAll(CapturedOutput output) {
        RunFolder run = nightly(LocalDate.of(2026, 11, 28));
        report(run, RunReport.PARTIAL, failed("EDGE-RTR-01", "AUTH_FAILED", "EDGE-RTR-01: refused"));
        NotifyProperties defaults = properties(false, new NotifyProperties.Email(false, null, null, "[netsnap]"),
                disabledSlack(), disabledTeams());
        Webhooks client = new Webhooks(defaults);
        clients.add(client);
        Notifications off = new Notifications(defaults, new OperateProperties(null), archive, List.of(
                new EmailChannel(defaults.email(), null), new SlackChannel(defaults.slack(), client),
                new TeamsChannel(defaults.teams(), client)));

        Notifications.Outcome outcome = off.runEnded(run);

        assertThat(outcome.sent()).isFalse();
        assertThat(data.resolve("state/" + Notifications.STATE)).doesNotExist();
        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(webhooks.all()).isEmpty();
        List<String> lines = output.getAll().lines().filter(l -> l.contains("io.netsnap.notify")
                || l.contains("Notifications")).toList();
        assertThat(lines).singleElement().asString().contains("DEBUG").contains("no notification channel enabled");
    }

    @Test
    void aCleanRunIsSummarizedOnlyWhenOnSuccessIsSetAndEachRunIsNotifiedOnce() throws Exception {
        RunFolder run = nightly(LocalDate.of(2026, 11, 28));
        report(run, RunReport.OK, ok("EDGE-RTR-01"), changed("CORE-SW-01", 2, 1));
        assertThat(notifier(false, true, false, false).runEnded(run).sent()).isFalse();
        assertThat(smtp.getReceivedMessages()).isEmpty();

        RunFolder next = nightly(LocalDate.of(2026, 11, 29));
        report(next, RunReport.OK, ok("EDGE-RTR-01"), changed("CORE-SW-01", 2, 1));
        Notifications summarizing = notifier(true, true, false, false);
        assertThat(summarizing.runEnded(next).delivered()).containsExactly("email");
        assertThat(summarizing.runEnded(next).sent()).as("a retried job").isFalse();

        MimeMessage mail = onlyMail();
        assertThat(mail.getSubject())
                .isEqualTo("[netsnap] Run 20261129-020000-n000: 2 of 2 devices backed up, 1 changed");
        assertThat(GreenMailUtil.getBody(mail).replace("\r\n", "\n"))
                .contains("Devices: 2 total, 2 ok, 0 failed, 1 changed, 1 unchanged")
                .contains("Changed\n  - CORE-SW-01: +2 -1 lines\n")
                .contains("Operate: " + OPERATE_LINK);
    }

    @Test
    void anOverdueRunIsAnnouncedOnceWithItsStartAndWindow() throws Exception {
        Notifications notifier = notifier(false, true, true, true);
        RunFolder run = nightly(LocalDate.of(2026, 11, 28));
        Instant started = Instant.parse("2026-11-28T02:00:00.123Z");

        assertThat(notifier.runOverdue(run, Duration.ofHours(4), started).delivered())
                .containsExactly("email", "slack", "teams");
        assertThat(notifier.runOverdue(run, Duration.ofHours(4), started).sent()).isFalse();

        String line = "Run 20261128-020000-n000 started at 2026-11-28T02:00:00Z has not ended after PT4H; it goes on.";
        MimeMessage mail = onlyMail();
        assertThat(mail.getSubject()).isEqualTo("[netsnap] Run 20261128-020000-n000 has not ended after PT4H");
        assertThat(GreenMailUtil.getBody(mail)).contains(line);
        assertThat(onlyBody(slackPath).toString()).contains(line);
        assertThat(onlyBody(teamsPath).toString()).contains(line);
    }

    @Test
    void aReportWithFieldsThisNetsnapDoesNotKnowIsStillRead() throws Exception {
        RunFolder run = nightly(LocalDate.of(2026, 11, 28));
        Path report = archive.runDirectory(run).resolve("report.json");
        Files.createDirectories(report.getParent());
        Files.writeString(report, """
                {"runId":"20261128-020000-n000","outcome":"PARTIAL","startedAt":"2026-11-28T02:00:00Z",
                 "counts":{"total":1,"ok":0,"failed":1,"changed":0,"unchanged":0,"skipped":0},
                 "schema":3,
                 "devices":[{"device":"EDGE-RTR-01","platform":"ios","status":"FAILED","error":"AUTH_FAILED",
                   "message":"EDGE-RTR-01: refused","attempts":3,
                   "decisions":[{"by":"alice","decision":"skip","at":"2026-11-28T03:00:00Z"}]}]}
                """);

        Notifications.Outcome outcome = notifier(false, false, true, false).runEnded(run);

        assertThat(outcome.delivered()).containsExactly("slack");
        assertThat(onlyBody(slackPath).toString()).contains("EDGE-RTR-01 (ios): AUTH_FAILED: refused");
    }

    // --- helpers

    private Notifications notifier(boolean onSuccess, boolean email, boolean slack, boolean teams) {
        return notifier(onSuccess, email, slack, teams, webhooks.url(teamsPath));
    }

    private Notifications notifier(boolean onSuccess, boolean email, boolean slack, boolean teams, URI teamsUrl) {
        NotifyProperties properties = properties(onSuccess,
                new NotifyProperties.Email(email, "netsnap@example.net", List.of("noc@example.net"), "[netsnap]"),
                new NotifyProperties.Slack(slack, webhooks.url(slackPath)),
                new NotifyProperties.Teams(teams, teamsUrl));
        Webhooks client = new Webhooks(properties);
        clients.add(client);
        return new Notifications(properties, new OperateProperties(OPERATE), archive, List.of(
                new EmailChannel(properties.email(), mailSender(smtpPassword)),
                new SlackChannel(properties.slack(), client), new TeamsChannel(properties.teams(), client)));
    }

    private static NotifyProperties properties(boolean onSuccess, NotifyProperties.Email email,
                                               NotifyProperties.Slack slack, NotifyProperties.Teams teams) {
        return new NotifyProperties(onSuccess, Duration.ofSeconds(5), tls.caBundle(), 50, email, slack, teams);
    }

    private static NotifyProperties.Slack disabledSlack() {
        return new NotifyProperties.Slack(false, null);
    }

    private static NotifyProperties.Teams disabledTeams() {
        return new NotifyProperties.Teams(false, null);
    }

    /** What Spring Boot builds from {@code spring.mail.*}, pointed at GreenMail. */
    private static JavaMailSenderImpl mailSender(String password) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(smtp.getSmtp().getPort());
        sender.setUsername("netsnap");
        sender.setPassword(password);
        Properties mail = new Properties();
        mail.put("mail.smtp.auth", "true");
        mail.put("mail.smtp.connectiontimeout", "5000");
        mail.put("mail.smtp.timeout", "5000");
        mail.put("mail.smtp.writetimeout", "5000");
        sender.setJavaMailProperties(mail);
        return sender;
    }

    private static RunFolder nightly(LocalDate date) {
        return new RunFolder(date.toString().replace("-", "") + "-020000-n000", date);
    }

    private void report(RunFolder run, String outcome, DeviceResult... devices) {
        List<DeviceResult> results = List.of(devices);
        int ok = (int) results.stream().filter(DeviceResult::ok).count();
        int changed = (int) results.stream().filter(r -> r.ok() && Boolean.TRUE.equals(r.changed())).count();
        RunReport.Counts counts = new RunReport.Counts(results.size(), ok, results.size() - ok, changed, ok - changed);
        Instant start = run.runDate().atTime(2, 0).toInstant(java.time.ZoneOffset.UTC);
        archive.writeRunDocument(run, "report.json", new RunReport(run.runId(), outcome, start,
                start.plusSeconds(600), "nightly schedule", null, counts, null, "runs/" + run.runDate() + "/"
                + run.runId(), null, results, null, List.of()));
    }

    private static DeviceResult failed(String device, String code, String message) {
        return DeviceResult.failed(device, null, "ios", code, message);
    }

    private static DeviceResult ok(String device) {
        return new DeviceResult(device, null, "ios", DeviceResult.OK, false, 0, 0, null, device + ".cfg", null, 0,
                null, null, null);
    }

    private static DeviceResult changed(String device, int added, int removed) {
        return new DeviceResult(device, null, "ios", DeviceResult.OK, true, added, removed, null, device + ".cfg",
                null, 0, null, null, null);
    }

    private static MimeMessage onlyMail() {
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        return smtp.getReceivedMessages()[0];
    }

    private static JsonNode onlyBody(String path) throws IOException {
        assertThat(webhooks.requests(path)).hasSize(1);
        return JSON.readTree(webhooks.requests(path).get(0).body());
    }

    /** A loopback port nothing listens on: bound once to reserve a number, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
