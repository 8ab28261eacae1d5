package dev.jcprofile.browser;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The training run of jpstats' class-data archive (bin/jpstats makes the archive from it on first use with a
 * JVM): copies a small profile written by Python's marshal.dump (training.prof beside this class: 100 functions,
 * 400 caller edges, from {@code bench/make_big_profile.py OUT 100 400 7}) to the file named by the argument, then
 * browses it as {@code jpstats FILE} does, commands from standard input. The archive then holds what a scripted
 * session loads, whatever the user's first command was.
 */
public final class Training {
    private Training() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Training FILE (a profile is written there, then browsed)");
            System.exit(2);
        }
        try (InputStream in = Training.class.getResourceAsStream("training.prof");
             OutputStream out = new FileOutputStream(args[0])) {
            in.transferTo(out);
        }
        Main.main(args);
    }
}
