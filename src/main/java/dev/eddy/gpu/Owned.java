package dev.eddy.gpu;

import java.util.ArrayList;
import java.util.List;

/**
 * The Vulkan objects a component made, closed in reverse order of making (a program before the buffers
 * it binds, the buffers before the plans that allocated beside them). The first failure is thrown, with
 * the later ones suppressed, after every object had its try.
 */
public final class Owned implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Keeps {@code resource} to close later, and returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    /** What is kept, in the order it was made. */
    public List<AutoCloseable> all() {
        return List.copyOf(resources);
    }

    @Override
    public void close() {
        IllegalStateException failure = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing " + resources.get(i), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        resources.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
