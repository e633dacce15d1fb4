/**
 * Skiff's partition log: Kafka's on-disk layout of segments, offset and time indexes, with append, zero-copy
 * reads, roll, retention, crash recovery, idempotent-producer state and group-commit fsync.
 *
 * <p>Start at {@link dev.skiff.storage.LogManager} (a log directory: layout, durability guarantees, threads)
 * and {@link dev.skiff.storage.PartitionLog} (one partition: append, read, flush). Everything in
 * {@code dev.skiff.storage.internal} is private to this module and may change.
 */
package dev.skiff.storage;
