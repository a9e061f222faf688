/**
 * Delivery scheduling, qmail-send's scheduling half: keeps a compact index entry per queued message,
 * decides when each message is tried again (qmail's retry formula and {@code queuelifetime}),
 * groups a message's pending recipients into one job per destination, and hands jobs to a
 * {@link dev.qflux.schedule.DeliveryAgent} within the {@code concurrencyremote},
 * {@code concurrencylocal} and per-destination limits, so that a slow destination waits in its own
 * queue and never holds back the others. Outcomes are recorded through an
 * {@link dev.qflux.schedule.OutcomeSink} before recipients count as done; finished messages and
 * needed bounces are announced as {@link dev.qflux.schedule.DeliveryEvent}s.
 */
package dev.qflux.schedule;
