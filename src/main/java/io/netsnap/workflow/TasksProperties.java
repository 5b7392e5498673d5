package io.netsnap.workflow;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * User tasks in embedded mode ({@code netsnap.tasks.*}).
 *
 * @param allowAs accept {@code netsnap tasks complete --as USER}, so that one person can play requester and
 *                approver; the lab sets it. Otherwise a task is completed as the OS user running {@code netsnap
 *                tasks}, as the kernel names it, and {@code --as} is refused.
 */
@ConfigurationProperties("netsnap.tasks")
record TasksProperties(@DefaultValue("false") boolean allowAs) {
}
