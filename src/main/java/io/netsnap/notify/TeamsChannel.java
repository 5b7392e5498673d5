package io.netsnap.notify;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Microsoft Teams webhook: a {@code message} whose one attachment is an Adaptive Card (content type
 * {@code application/vnd.microsoft.card.adaptive}, card version 1.4), the form both Teams Workflows webhooks and
 * legacy incoming webhooks take. The card has the title, the facts, one {@code TextBlock} per section heading and
 * per line, and an {@code Action.OpenUrl} to Operate when it is configured.
 */
@Component
class TeamsChannel implements Channel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotifyProperties.Teams teams;
    private final Webhooks webhooks;

    @Autowired
    TeamsChannel(NotifyProperties properties, Webhooks webhooks) {
        this(properties.teams(), webhooks);
    }

    TeamsChannel(NotifyProperties.Teams teams, Webhooks webhooks) {
        this.teams = teams;
        this.webhooks = webhooks;
    }

    @Override
    public String name() {
        return "teams";
    }

    @Override
    public boolean enabled() {
        return teams.enabled();
    }

    @Override
    public String target() {
        return Webhooks.shown(teams.url());
    }

    @Override
    public void send(Notice notice) {
        webhooks.post(teams.url(), body(notice));
    }

    static String body(Notice notice) {
        ObjectNode message = JSON.createObjectNode().put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject()
                .put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        ObjectNode card = attachment.putObject("content")
                .put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
                .put("type", "AdaptiveCard")
                .put("version", "1.4");
        ArrayNode body = card.putArray("body");
        text(body, notice.title()).put("size", "Medium").put("weight", "Bolder")
                .put("color", switch (notice.level()) {
                    case FAILURE -> "Attention";
                    case WARNING -> "Warning";
                    case OK -> "Good";
                });
        notice.facts().forEach(fact -> text(body, fact).put("spacing", "None"));
        for (Notice.Section section : notice.sections()) {
            text(body, section.heading()).put("weight", "Bolder").put("separator", true);
            section.lines().forEach(line -> text(body, "- " + line).put("spacing", "None"));
        }
        if (notice.link() != null) {
            card.putArray("actions").addObject().put("type", "Action.OpenUrl")
                    .put("title", "Open the runs in Operate").put("url", notice.link().toString());
        }
        return message.toString();
    }

    private static ObjectNode text(ArrayNode body, String text) {
        // Teams renders a small markdown subset in TextBlocks; the lines are one-line, capped texts from the report
        return body.addObject().put("type", "TextBlock").put("text", text).put("wrap", true);
    }
}
