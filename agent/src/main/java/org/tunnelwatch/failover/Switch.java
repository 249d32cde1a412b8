package org.tunnelwatch.failover;

/**
 * A decision to move a group's traffic from one member to another. It is carried out
 * make-before-break: {@code to} is made to carry the traffic first, and only then, if {@code
 * releaseFrom}, is {@code from} torn down.
 *
 * @param group the group's name
 * @param from the member that carried the traffic
 * @param to the member that is to carry it
 * @param reason why, for the metric label
 * @param why the same in words, for the log line
 * @param releaseFrom tear {@code from}'s CHILD SA down once {@code to} carries the traffic: a
 *     failed member, or a backup of a cold group after a preempt
 */
public record Switch(String group, String from, String to, SwitchReason reason, String why, boolean releaseFrom) {}
