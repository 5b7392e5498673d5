/**
 * Metrics and health: netsnap's Micrometer series (runs, device results, device backup times, the age of each
 * device's last good backup, overdue devices), fed by the events the backup code publishes and by the archive, and
 * the Actuator health components {@code vault} and {@code archive}. Only this package speaks Micrometer and Actuator.
 */
package io.netsnap.metrics;
