package com.example.hostile;

import java.nio.file.Paths;

/** Code that is hard on a profiler; the first argument says which part to run. */
public class Hostile {
    public static void main(String[] args) throws Throwable {
        switch (args[0]) {
            case "loaders":
                Loaders.run(Paths.get(args[1]), Integer.parseInt(args[2]));
                break;
            case "exceptions":
                Exceptions.run();
                break;
            case "overflow":
                Overflow.run();
                break;
            case "clinit":
                ClassInit.run();
                break;
            case "generated":
                Generated.run();
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }
}
