package io.netsnap.notify;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Slack incoming webhook: {@code text} (what notifications and clients without blocks show) and {@code blocks}, a
 * {@code header} block with the title and {@code section} blocks in {@code mrkdwn}. Slack's limits are kept: a header
 * of at most 150 characters, a section text of at most 3000, at most 50 blocks. Everything from a report is escaped
 * ({@code & < >}), so a device message cannot ping a channel or hide a link.
 */
@Component
class SlackChannel implements Channel {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HEADER_MAX = 150;
    private static final int SECTION_MAX = 2900;
    private static final int BLOCKS_MAX = 50;

    private final NotifyProperties.Slack slack;
    private final Webhooks webhooks;

    @Autowired
    SlackChannel(NotifyProperties properties, Webhooks webhooks) {
        this(properties.slack(), webhooks);
    }

    SlackChannel(NotifyProperties.Slack slack, Webhooks webhooks) {
        this.slack = slack;
        this.webhooks = webhooks;
    }

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public boolean enabled() {
        return slack.enabled();
    }

    @Override
    public String target() {
        return Webhooks.shown(slack.url());
    }

    @Override
    public void send(Notice notice) {
        webhooks.post(slack.url(), body(notice));
    }

    static String body(Notice notice) {
        ObjectNode message = JSON.createObjectNode();
        message.put("text", escape(notice.title()));
        ArrayNode blocks = message.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", Text.oneLine(notice.title(), HEADER_MAX));
        StringBuilder facts = new StringBuilder();
        notice.facts().forEach(fact -> facts.append(escape(fact)).append('\n'));
        if (notice.link() != null) {
            facts.append('<').append(escape(notice.link().toString())).append("|Open the runs in Operate>");
        }
        section(blocks, facts.toString().strip());
        for (Notice.Section section : notice.sections()) {
            for (String chunk : chunks("*" + escape(section.heading()) + "*", section.lines())) {
                if (blocks.size() < BLOCKS_MAX) {
                    section(blocks, chunk);
                }
            }
        }
        return message.toString();
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", mrkdwn);
    }

    /** The heading and its bullet lines, split into section texts that Slack accepts. */
    private static List<String> chunks(String heading, List<String> lines) {
        List<String> chunks = new ArrayList<>();
        StringBuilder chunk = new StringBuilder(heading);
        for (String line : lines) {
            String bullet = "\n\u2022 " + escape(line);
            if (chunk.length() + bullet.length() > SECTION_MAX) {
                chunks.add(chunk.toString());
                chunk = new StringBuilder(heading + " (continued)");
            }
            chunk.append(bullet);
        }
        chunks.add(chunk.toString());
        return chunks;
    }

    /** Slack's control characters in text: {@code &}, {@code <}, {@code >}. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
