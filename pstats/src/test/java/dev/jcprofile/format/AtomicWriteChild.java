package dev.jcprofile.format;

import dev.jcprofile.ProfileException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by {@link AtomicWriteTest} in a JVM whose file size limit ({@code ulimit -f}) is below the profile's size, so
 * that writing fails half way: {@code AtomicWriteChild SOURCE TARGET} reads SOURCE and writes it to TARGET, and
 * prints the problem.
 */
public final class AtomicWriteChild {
    private AtomicWriteChild() {}

    public static void main(String[] args) throws Exception {
        ProfileData d = ProfileFiles.parse(Files.readAllBytes(Path.of(args[0])), args[0]);
        try {
            ProfileFiles.write(d, Path.of(args[1]), "target.prof");
            System.out.println("written");
        } catch (ProfileException e) {
            System.out.println(e.getMessage());
        }
    }
}
