package dev.jcprofile.format;

import java.nio.file.Path;

/**
 * Run by {@link StaleTemporaryFilesTest}: dumps a large profile to TARGET over and over, so that the test can kill
 * this JVM (SIGKILL) while a dump is half written.
 */
public final class SlowDumpChild {
    private SlowDumpChild() {}

    public static void main(String[] args) throws Exception {
        ProfileData d = new ProfileData();
        for (int i = 0; i < 400_000; i++) {
            int e = d.beginEntry(d.intern(new FunctionKey("/some/rather/long/directory/module" + i + ".py", i,
                    "function_" + i)), new Figures(i + 1, i + 1, i * 1e-6, i * 2e-6));
            d.putCaller(e, d.intern(new FunctionKey("caller.py", 1, "c" + (i % 1000))), new Figures(i + 1, i + 1, 0, 0));
        }
        System.out.println("ready");
        System.out.flush();
        while (true) ProfileFiles.write(d, Path.of(args[0]), "target.prof");
    }
}
