package dev.skiff.client.producer.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class BufferPoolTest {
    @Test
    void poolableBuffersAreReusedAndMemoryIsBounded() {
        final BufferPool pool = new BufferPool(4096, 1024);
        final ByteBuffer a = pool.tryAllocate(1024, 0);
        final ByteBuffer b = pool.tryAllocate(2048, 0);
        final ByteBuffer c = pool.tryAllocate(1024, 0);
        assertThat(a).isNotNull();
        assertThat(b).isNotNull();
        assertThat(c).isNotNull();
        assertThat(pool.tryAllocate(1, 0)).isNull();
        assertThat(pool.tryReserve(1)).isFalse();
        pool.deallocate(a);
        assertThat(pool.availableMemory()).isEqualTo(1024);
        assertThat(pool.tryAllocate(1024, 0)).isSameAs(a);
        pool.deallocate(b);
        assertThat(pool.tryReserve(100)).isTrue();
        assertThat(pool.availableMemory()).isEqualTo(1948);
        // A reservation can pay for a buffer: 1948 free + 100 credit covers 2048.
        assertThat(pool.tryAllocate(2048, 100)).isNotNull();
        assertThat(pool.availableMemory()).isZero();
    }

    @Test
    void awaitReturnsWhenMemoryIsFreedOrTheDeadlinePasses() throws Exception {
        final BufferPool pool = new BufferPool(1024, 1024);
        final ByteBuffer a = pool.tryAllocate(1024, 0);
        assertThat(pool.awaitAvailable(10, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
        final CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return pool.awaitAvailable(1024, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        pool.deallocate(a);
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
    }
}
