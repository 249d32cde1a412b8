package org.tunnelwatch.probe.icmp;

/**
 * Counts since the engine started, for logs, benchmarks and tests.
 *
 * @param submitted requests submitted
 * @param sent echoes the kernel accepted
 * @param answered echoes answered in time
 * @param expired echoes that timed out
 * @param sendErrors echoes the kernel refused (no route, address gone, ...)
 * @param late replies that came after their echo had timed out
 * @param duplicates second replies to an answered echo
 * @param wrongHost replies to our echoes from a host other than the target
 * @param wrongPayload replies with our identifier and sequence but not our payload
 * @param malformed datagrams that were no ICMP message (short, bad header or checksum)
 */
public record EngineStats(
    long submitted,
    long sent,
    long answered,
    long expired,
    long sendErrors,
    long late,
    long duplicates,
    long wrongHost,
    long wrongPayload,
    long malformed) {}
