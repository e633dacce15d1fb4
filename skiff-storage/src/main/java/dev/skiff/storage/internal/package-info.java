/**
 * Internals of the partition log: segment files and their indexes, recovery, producer state, the flusher.
 * Not an API; use {@link dev.skiff.storage.LogManager} and {@link dev.skiff.storage.PartitionLog}.
 */
package dev.skiff.storage.internal;
