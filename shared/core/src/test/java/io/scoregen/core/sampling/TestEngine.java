package io.scoregen.core.sampling;

import ai.djl.ndarray.NDManager;
import io.scoregen.core.engine.EngineSetup;

/** One CPU thread (the build machine's cores are shared) and a fixed libtorch seed for every test class. */
public final class TestEngine {

    private TestEngine() {}

    public static NDManager manager() {
        EngineSetup.configure(new EngineSetup.Options(1, 0, null, "cpu"));
        return NDManager.newBaseManager();
    }
}
