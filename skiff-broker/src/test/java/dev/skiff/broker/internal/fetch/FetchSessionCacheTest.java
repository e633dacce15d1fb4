package dev.skiff.broker.internal.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FetchSessionCacheTest {
    private static final long MIN_AGE = 1_000;

    @Test
    void sessionIdsAreNonZeroAndUnique() {
        final int[] ids = {0, 7, 7, 0, 9};
        final AtomicInteger i = new AtomicInteger();
        final FetchSessionCache cache = new FetchSessionCache(10, MIN_AGE, () -> ids[i.getAndIncrement()]);
        assertThat(cache.create(true, 0).id()).isEqualTo(7);
        assertThat(cache.create(true, 0).id()).isEqualTo(9);
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void zeroSlotsMeansNoSessions() {
        assertThat(FetchSessionCache.create(0).create(true, 0)).isNull();
    }

    @Test
    void fullCacheEvictsLeastRecentlyUsedSessionOnlyOnceItIsOldEnough() {
        final FetchSessionCache small = new FetchSessionCache(2, MIN_AGE, new AtomicInteger(1)::getAndIncrement);
        final FetchSession a = small.create(true, 0);
        final FetchSession b = small.create(true, 10);
        // a is used again later than b, so b is the least recently used.
        assertThat(small.get(a.id(), 500)).isSameAs(a);

        assertThat(small.create(true, 900)).as("b idle 890 ms < minimum age").isNull();
        assertThat(small.size()).isEqualTo(2);

        final FetchSession c = small.create(true, 1_010);
        assertThat(c).as("b idle 1000 ms: evicted").isNotNull();
        assertThat(small.get(b.id(), 1_010)).isNull();
        assertThat(small.get(a.id(), 1_010)).isSameAs(a);
        assertThat(small.evictions()).isEqualTo(1);
        assertThat(small.slots()).isEqualTo(2);
    }

    @Test
    void removeClosesASession() {
        final FetchSessionCache cache = new FetchSessionCache(2, MIN_AGE, new AtomicInteger(5)::getAndIncrement);
        final FetchSession s = cache.create(false, 0);
        assertThat(cache.remove(s.id())).isTrue();
        assertThat(cache.remove(s.id())).isFalse();
        assertThat(cache.get(s.id(), 0)).isNull();
    }
}
