package org.mirari.testkit;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Copies of the checkout's example apps for tests, so that a test's outputs stay out of the checkout. */
public final class Examples {
    private Examples() {}

    /**
     * Copies the app directory {@code source} to {@code target} without what a local run in the
     * checkout may have generated there ({@code .mirari/}, {@code mir-*}, {@code Main.java},
     * {@code pom.xml}, {@code *.lock}): the copy is the example as it is in git.
     */
    public static Path copy(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (d.getFileName().toString().equals(".mirari")) return FileVisitResult.SKIP_SUBTREE;
                Files.createDirectories(target.resolve(source.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (!generated(f.getFileName().toString()))
                    Files.copy(f, target.resolve(source.relativize(f).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
        return target;
    }

    private static boolean generated(String name) {
        return name.startsWith("mir-") || name.equals("Main.java") || name.equals("pom.xml") || name.endsWith(".lock");
    }
}
