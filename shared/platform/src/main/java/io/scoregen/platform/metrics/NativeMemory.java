package io.scoregen.platform.metrics;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import java.util.Optional;

/**
 * Native (off-heap) memory in use: the bytes glibc's allocator has handed out and not yet had back,
 * {@code mallinfo2().uordblks + mallinfo2().hblkhd} (arena chunks in use plus mmap-ed chunks). That is where libtorch's
 * CPU tensors, direct buffers and the JVM's own C heap live; freed memory that malloc keeps for reuse does not count
 * (the process's resident size shows that), nor do thread stacks, metaspace or the Java heap. Needs glibc 2.33 or
 * later; elsewhere {@link #open()} finds nothing and no series is exported.
 */
public final class NativeMemory {

    /** The glibc entry point. */
    private interface C extends Library {
        MallInfo2.ByValue mallinfo2();
    }

    /** {@code struct mallinfo2}: ten {@code size_t} fields (64-bit Linux). */
    @Structure.FieldOrder({
        "arena",
        "ordblks",
        "smblks",
        "hblks",
        "hblkhd",
        "usmblks",
        "fsmblks",
        "uordblks",
        "fordblks",
        "keepcost"
    })
    public static class MallInfo2 extends Structure {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;

        /** Returned by value. */
        public static final class ByValue extends MallInfo2 implements Structure.ByValue {}
    }

    private final C libc;

    private NativeMemory(C libc) {
        this.libc = libc;
    }

    /** The allocator's statistics, or empty where this is not glibc 2.33+ (musl, macOS, an old glibc). */
    public static Optional<NativeMemory> open() {
        try {
            NativeMemory memory = new NativeMemory(Native.load("c", C.class));
            memory.bytes(); // resolves the symbol now: a missing one fails here, not at every scrape
            return Optional.of(memory);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Bytes allocated with malloc and not freed. */
    public long bytes() {
        MallInfo2 info = libc.mallinfo2();
        return info.uordblks + info.hblkhd;
    }
}
