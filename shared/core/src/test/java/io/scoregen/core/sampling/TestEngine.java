package io.scoregen.core.sampling;

import ai.djl.ndarray.NDManager;
import io.scoregen.core.engine.EngineSetup;
import io.scoregen.core.sde.Sde;
import io.scoregen.core.sde.SubVpSde;
import io.scoregen.core.sde.VeSde;
import io.scoregen.core.sde.VpSde;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A base NDManager for a test class, on one CPU thread (the build machine's cores are shared) with a fixed libtorch
 * seed; closed after the class. Use as {@code @RegisterExtension static final TestEngine ENGINE = new TestEngine();}.
 */
public final class TestEngine implements BeforeAllCallback, AfterAllCallback {

    private NDManager manager;

    @Override
    public void beforeAll(ExtensionContext context) {
        EngineSetup.configure(new EngineSetup.Options(1, 0, null, "cpu"));
        manager = NDManager.newBaseManager();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        manager.close();
    }

    public NDManager manager() {
        return manager;
    }

    /** The three SDEs with the papers' parameters and N = 1000. */
    public static Stream<Sde> sdes() {
        return Stream.of(new VeSde(0.01, 50, 1000), new VpSde(0.1, 20, 1000), new SubVpSde(0.1, 20, 1000));
    }
}
