package org.tunnelwatch.remedy;

/**
 * A rung that was due but could not help or was not allowed now, so the ladder went past it: it
 * is reported as skipped and not counted against the hourly limit.
 */
public record PassedOver(RemedyAction action, String reason) {}
