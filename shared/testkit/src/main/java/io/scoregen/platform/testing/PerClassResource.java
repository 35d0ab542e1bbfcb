package io.scoregen.platform.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A JUnit 5 extension owning one {@code T} per test class: opened before all its tests, closed after them. */
abstract class PerClassResource<T extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private T resource;

    /** {@code name}: what the resource is, for the message when a test uses it out of its time. */
    PerClassResource(String name) {
        this.name = name;
    }

    /** Starts the resource for the test class of {@code context}. */
    abstract T open(ExtensionContext context);

    @Override
    public final void beforeAll(ExtensionContext context) {
        resource = open(context);
    }

    @Override
    public final void afterAll(ExtensionContext context) throws Exception {
        if (resource != null) {
            resource.close();
            resource = null;
        }
    }

    /** The running resource; only between beforeAll and afterAll. */
    final T resource() {
        if (resource == null) {
            throw new IllegalStateException(name + " runs only between beforeAll and afterAll");
        }
        return resource;
    }
}
