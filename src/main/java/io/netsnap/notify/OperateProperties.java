package io.netsnap.notify;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where people open Operate ({@code netsnap.operate.*}), for the links in notifications.
 *
 * @param url Operate's address as a browser opens it, e.g. {@code https://camunda.example.net/operate} (the unified
 *            8.6+ distribution serves it under {@code /operate}); unset: messages carry no link
 */
@ConfigurationProperties("netsnap.operate")
public record OperateProperties(URI url) {

    /** The process id of a nightly or ad-hoc run, as {@code bpmn/network-backup.bpmn} declares it. */
    static final String RUN_PROCESS = "network-backup";

    /**
     * Operate's list of {@code network-backup} instances in every state, every version: the run's instance is the one
     * whose {@code runId} variable is the run id the message names. Operate 8.x takes the filters as query
     * parameters ({@code process}, {@code version}, {@code active}, {@code incidents}, {@code completed},
     * {@code canceled}); the variable filter's parameter changed name between versions, so it is left to the reader.
     *
     * @return {@code null} when no Operate address is configured
     */
    URI runsLink() {
        if (url == null) {
            return null;
        }
        String base = url.toString().replaceAll("/+$", "");
        return URI.create(base + "/processes?process=" + RUN_PROCESS
                + "&version=all&active=true&incidents=true&completed=true&canceled=true");
    }
}
