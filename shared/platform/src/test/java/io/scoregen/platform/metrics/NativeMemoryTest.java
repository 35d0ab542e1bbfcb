package io.scoregen.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;

/**
 * The native memory measure sees memory malloc hands out and gets back. Other threads of the test JVM (JIT compiler,
 * GC, other tests' cleaners) allocate and free meanwhile, by a few MiB: 256 MiB against a 90 % threshold leaves them
 * ~25 MiB of room either way, and the block is freed explicitly so both directions are measured.
 */
class NativeMemoryTest {

    private static final long MIB = 1 << 20;
    private static final long BLOCK = 256 * MIB;
    private static final long SEEN = BLOCK * 9 / 10;

    @Test
    void aMallocedBlockIsCountedWhileItIsHeldAndNotAfterItIsFreed() {
        NativeMemory memory =
                NativeMemory.open().orElseThrow(() -> new AssertionError("glibc 2.33+ expected on this machine"));
        long before = memory.bytes();
        long during;
        try (Memory block = new Memory(BLOCK)) {
            block.setByte(BLOCK - 1, (byte) 1);
            during = memory.bytes();
        }
        long after = memory.bytes();
        assertTrue(during - before >= SEEN, "256 MiB malloc-ed, measure moved by " + (during - before) / MIB + " MiB");
        assertTrue(during - after >= SEEN, "256 MiB freed, measure moved by " + (during - after) / MIB + " MiB");
    }
}
