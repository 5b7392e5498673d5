package io.netsnap.notify;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where run notifications go ({@code netsnap.notify.*}). Every channel is off by default; with none enabled netsnap
 * sends nothing and keeps no alert state. The SMTP server itself is Spring Boot's {@code spring.mail.*}.
 *
 * @param onSuccess a run whose end brings nothing new (no new failure, no recovery, no digest due) is still
 *                  summarized, to every channel; alerts, recoveries and the daily digest are sent either way
 * @param timeout   connect and read timeout of the webhook calls
 * @param caBundle  PEM bundle the webhooks' TLS certificates must chain to; the JVM's trust store when unset
 *                  (verification is always on)
 * @param maxLines  longest list of devices one section of a message shows; the rest is counted ("... and 12 more")
 * @param email     e-mail through {@code spring.mail.*}
 * @param slack     a Slack incoming webhook
 * @param teams     a Microsoft Teams webhook (Adaptive Card)
 */
@Validated
@ConfigurationProperties("netsnap.notify")
public record NotifyProperties(@DefaultValue("false") boolean onSuccess,
                               @DefaultValue("PT10S") @NotNull Duration timeout,
                               Path caBundle,
                               @DefaultValue("50") @Min(1) @Max(500) int maxLines,
                               @DefaultValue @Valid Email email,
                               @DefaultValue @Valid Slack slack,
                               @DefaultValue @Valid Teams teams) {

    /** Whether any channel is enabled: with none, notifications are off altogether. */
    public boolean anyEnabled() {
        return email.enabled() || slack.enabled() || teams.enabled();
    }

    /**
     * E-mail ({@code netsnap.notify.email.*}); the server, login and STARTTLS are {@code spring.mail.*}.
     *
     * @param enabled       send e-mail
     * @param from          sender address
     * @param to            recipients
     * @param subjectPrefix put before every subject
     */
    public record Email(@DefaultValue("false") boolean enabled, String from, List<String> to,
                        @DefaultValue("[netsnap]") String subjectPrefix) {

        public Email {
            to = to == null ? List.of() : List.copyOf(to);
            if (enabled && (from == null || from.isBlank())) {
                throw new IllegalArgumentException("netsnap.notify.email.from is required when e-mail is enabled");
            }
            if (enabled && (to.isEmpty() || to.stream().anyMatch(address -> address == null || address.isBlank()))) {
                throw new IllegalArgumentException("netsnap.notify.email.to needs at least one address when e-mail"
                        + " is enabled");
            }
        }
    }

    /**
     * A Slack incoming webhook ({@code netsnap.notify.slack.*}). Its URL holds Slack's token: give it through the
     * environment ({@code NETSNAP_NOTIFY_SLACK_URL}), never in a file that is shared; netsnap logs its host only.
     *
     * @param enabled post to Slack
     * @param url     the webhook URL, {@code https://hooks.slack.com/services/...}
     */
    public record Slack(@DefaultValue("false") boolean enabled, URI url) {

        public Slack {
            requireWebhook(enabled, url, "slack");
        }

        @Override
        public String toString() {
            return "Slack[enabled=" + enabled + ", url=" + Webhooks.shown(url) + "]";
        }
    }

    /**
     * A Microsoft Teams webhook ({@code netsnap.notify.teams.*}): a Workflows "post to a channel when a webhook
     * request is received" URL, or a legacy incoming webhook. Its URL is a secret too (its signature): environment,
     * {@code NETSNAP_NOTIFY_TEAMS_URL}; netsnap logs its host only.
     *
     * @param enabled post to Teams
     * @param url     the webhook URL
     */
    public record Teams(@DefaultValue("false") boolean enabled, URI url) {

        public Teams {
            requireWebhook(enabled, url, "teams");
        }

        @Override
        public String toString() {
            return "Teams[enabled=" + enabled + ", url=" + Webhooks.shown(url) + "]";
        }
    }

    private static void requireWebhook(boolean enabled, URI url, String channel) {
        if (!enabled) {
            return;
        }
        if (url == null) {
            throw new IllegalArgumentException("netsnap.notify." + channel + ".url is required when "
                    + channel + " is enabled");
        }
        // the URL carries the token: never send it in clear text
        if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("netsnap.notify." + channel + ".url must be an https URL (it is "
                    + Webhooks.shown(url) + ")");
        }
    }
}
