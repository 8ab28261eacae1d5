package dev.jcprofile;

import dev.jcprofile.format.Figures;
import dev.jcprofile.format.FunctionKey;

/** One function's row: its key, pstats's {@code (file, line, name)}, and its exact figures. */
public record FunctionStats(FunctionKey key, Figures figures) {}
