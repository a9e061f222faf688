package dev.qflux.schedule;

import java.util.Map;

/**
 * A snapshot of the scheduler's state, read without stopping it (counters may be a moment apart).
 *
 * @param queuedMessages         messages known and not yet done
 * @param waitingMessages        messages waiting for their next-attempt time
 * @param pendingJobs            jobs created but waiting for a free slot
 * @param inFlightRemote         remote attempts running
 * @param inFlightLocal          local attempts running
 * @param inFlightPerDestination running attempts per destination (only destinations with some)
 * @param attemptsFinished       attempts finished since start
 * @param messagesDone           messages finished since start
 * @param eventsDropped          events no subscriber took in time
 */
public record SchedulerStats(int queuedMessages, int waitingMessages, int pendingJobs, int inFlightRemote,
                             int inFlightLocal, Map<String, Integer> inFlightPerDestination, long attemptsFinished,
                             long messagesDone, long eventsDropped) {
}
