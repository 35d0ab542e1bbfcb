package io.scoregen.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository the tests check: surefire passes its root as {@code scoregen.repo}. */
final class Repo {

    private Repo() {}

    static Path root() {
        String root = System.getProperty("scoregen.repo");
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("system property scoregen.repo (the repository root) is not set");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
