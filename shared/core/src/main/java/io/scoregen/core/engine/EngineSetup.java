package io.scoregen.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.cuda.CudaUtils;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The one place that configures DJL's PyTorch engine: offline mode, native cache directory, threads, seed and device.
 * Call {@link #configure} before any other DJL use in the process.
 */
public final class EngineSetup {

    /**
     * @param threads intra-op threads (0 keeps libtorch's default of one per core)
     * @param seed seed of libtorch's global generator (parameter init, training draws)
     * @param cacheDir where libtorch is unpacked, or null for {@code DJL_CACHE_DIR} / DJL's default
     * @param device {@code auto} (GPU when present), {@code cpu} or {@code gpu}
     */
    public record Options(int threads, long seed, Path cacheDir, String device) {
        public Options {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0, got " + threads);
            }
            if (!device.equals("auto") && !device.equals("cpu") && !device.equals("gpu")) {
                throw new IllegalArgumentException("device must be auto, cpu or gpu, got '" + device + "'");
            }
        }

        public static Options defaults() {
            return new Options(0, 0, null, "auto");
        }
    }

    private EngineSetup() {}

    /**
     * Turns libtorch's autograd recording off for the calling thread. Grad mode is per thread and DJL switches it off
     * only on the thread that loaded the engine: on any other thread (a worker's job thread) in-place parameter updates
     * fail and inference records a growing graph. Gradient collectors switch it on for their scope and off again when
     * closed.
     */
    public static void noGradOnThisThread() {
        JniUtils.setGradMode(false);
    }

    /** Whether ops on this thread are recorded for a backward pass (inside a gradient collector). */
    public static boolean recordsGradients() {
        return JniUtils.isGradMode();
    }

    /** A worker process's device: {@code threads} compute threads (0: one per core) on {@code device}. */
    public static Device forWorker(int threads, String device) {
        return configure(new Options(threads, 0, null, device));
    }

    /** The bytes of GPU memory in use on {@code device}, read when asked; empty for a CPU. */
    public static Optional<LongSupplier> gpuMemoryInUse(Device device) {
        return device.isGpu() ? Optional.of(() -> CudaUtils.getGpuMemory(device).getCommitted()) : Optional.empty();
    }

    /** Applies the options and returns the device to compute on. */
    public static synchronized Device configure(Options options) {
        // Offline before the engine class loads: no downloads, and no telemetry probe at start.
        System.setProperty("ai.djl.offline", "true");
        if (options.cacheDir() != null) {
            System.setProperty("DJL_CACHE_DIR", options.cacheDir().toString());
        }
        if (options.threads() > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Engine engine = Engine.getEngine("PyTorch");
        if (options.threads() > 0) {
            JniUtils.setNumThreads(options.threads());
        }
        engine.setRandomSeed((int) options.seed());
        return switch (options.device()) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (engine.getGpuCount() == 0) {
                    throw new IllegalStateException("device gpu requested but no GPU is visible to libtorch");
                }
                yield Device.gpu();
            }
            default -> engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        };
    }
}
