package io.scoregen.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The native memory measure sees memory allocated outside the Java heap. */
class NativeMemoryTest {

    private static final int MIB = 1 << 20;

    @Test
    void aDirectBufferIsCountedWhileItIsHeld() {
        NativeMemory memory =
                NativeMemory.open().orElseThrow(() -> new AssertionError("glibc 2.33+ expected on this machine"));
        long before = memory.bytes();
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * MIB);
        buffer.put(0, (byte) 1);
        long during = memory.bytes();
        assertTrue(
                during - before >= 60L * MIB, "64 MiB off-heap, measure moved by " + (during - before) / MIB + " MiB");
        assertEquals(1, buffer.get(0));
    }
}
