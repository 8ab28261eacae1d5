package dev.jcprofile.runtime;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A method the JIT must leave as a call: the hooks themselves, whose values inlined into an instrumented method would
 * enlarge its frame and shorten the recursion a stack holds (see Hooks), and a hook's rare paths (a first call, a
 * table to grow, a stack to unwind), kept out of the hook's compiled code so that its common path stays short
 * (C2 inlines what is small and hot, and would otherwise compile them in). The build turns this
 * into HotSpot's {@code jdk.internal.vm.annotation.DontInline} ({@code dev.jcprofile.build.JitAnnotations}), which
 * the JVM honours in classes of the bootstrap loader, where the runtime lives; elsewhere (unit tests) it means
 * nothing.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface NeverInline {}
