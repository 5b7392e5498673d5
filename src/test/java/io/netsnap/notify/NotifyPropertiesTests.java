package io.netsnap.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.mail.MailSenderAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import io.netsnap.archive.Archive;
import io.netsnap.archive.ArchiveProperties;

/** How {@code netsnap.notify.*} binds: off by default, validated, webhook tokens never shown. */
class NotifyPropertiesTests {

    @TempDir
    Path data;

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({NotifyProperties.class, OperateProperties.class, ArchiveProperties.class})
    @Import({Archive.class, Webhooks.class, EmailChannel.class, SlackChannel.class, TeamsChannel.class,
            Notifications.class})
    static class NotifyOnly {
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PropertyPlaceholderAutoConfiguration.class,
                        ValidationAutoConfiguration.class, MailSenderAutoConfiguration.class))
                .withUserConfiguration(NotifyOnly.class)
                .withPropertyValues("netsnap.archive.root=" + data);
    }

    @Test
    void everyChannelIsOffByDefault() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            NotifyProperties notify = context.getBean(NotifyProperties.class);
            assertThat(notify.anyEnabled()).isFalse();
            assertThat(notify.onSuccess()).isFalse();
            assertThat(notify.maxLines()).isEqualTo(50);
            assertThat(notify.email().subjectPrefix()).isEqualTo("[netsnap]");
            assertThat(context.getBean(OperateProperties.class).runsLink()).isNull();
            assertThat(context).hasSingleBean(Notifications.class).doesNotHaveBean(JavaMailSenderImpl.class);
        });
    }

    @Test
    void applicationYamlKeepsEveryChannelOffAndGivesTheSmtpClientTimeouts() {
        runner().withInitializer(new org.springframework.boot.test.context.ConfigDataApplicationContextInitializer())
                .withPropertyValues("spring.mail.host=smtp.example.net").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(NotifyProperties.class).anyEnabled()).isFalse();
                    assertThat(context.getBean(JavaMailSenderImpl.class).getJavaMailProperties())
                            .containsEntry("mail.smtp.connectiontimeout", "10000")
                            .containsEntry("mail.smtp.timeout", "10000")
                            .containsEntry("mail.smtp.writetimeout", "10000");
                });
    }

    @Test
    void anEnabledChannelNeedsWhereToSend() {
        runner().withPropertyValues("netsnap.notify.slack.enabled=true").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("netsnap.notify.slack.url is required"));
        runner().withPropertyValues("netsnap.notify.teams.enabled=true",
                "netsnap.notify.teams.url=http://teams.example.net/webhook/abc").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("must be an https URL"));
        runner().withPropertyValues("netsnap.notify.email.enabled=true", "netsnap.notify.email.from=n@example.net")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("netsnap.notify.email.to"));
        runner().withPropertyValues("netsnap.notify.email.enabled=true", "netsnap.notify.email.from=n@example.net",
                "netsnap.notify.email.to=noc@example.net").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("spring.mail.host"));
        runner().withPropertyValues("netsnap.notify.max-lines=0").run(context -> assertThat(context).hasFailed());
    }

    @Test
    void configuredChannelsBindWithSpringMailAndShowNoToken() {
        runner().withPropertyValues("netsnap.notify.email.enabled=true", "netsnap.notify.email.from=n@example.net",
                "netsnap.notify.email.to=noc@example.net,oncall@example.net", "spring.mail.host=smtp.example.net",
                "spring.mail.port=587", "spring.mail.password=not-shown-anywhere",
                "netsnap.notify.slack.enabled=true",
                "netsnap.notify.slack.url=https://hooks.slack.com/services/T000/B000/tokentokentoken",
                "netsnap.operate.url=https://camunda.example.net/operate").run(context -> {
            assertThat(context).hasNotFailed();
            NotifyProperties notify = context.getBean(NotifyProperties.class);
            assertThat(notify.email().to()).containsExactly("noc@example.net", "oncall@example.net");
            assertThat(notify.toString()).contains("https://hooks.slack.com").doesNotContain("tokentokentoken")
                    .doesNotContain("/services");
            assertThat(context.getBean(EmailChannel.class).target()).isEqualTo("smtp.example.net:587");
            assertThat(context.getBean(OperateProperties.class).runsLink()).hasToString(
                    "https://camunda.example.net/operate/processes?process=network-backup&version=all&active=true"
                            + "&incidents=true&completed=true&canceled=true");
        });
    }
}
