package org.tunnelwatch.remedy;

import java.time.Duration;

/**
 * What came of one action.
 *
 * @param action the action
 * @param result how it ended
 * @param detail a line for logs: the daemon's complaint, or why it was skipped
 * @param took how long it ran
 */
public record RemedyOutcome(RemedyAction action, RemedyResult result, String detail, Duration took) {}
