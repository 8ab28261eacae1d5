package dev.jcprofile.runtime;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A rare path of a hook (a first call, a table to grow, a stack to unwind) that the JIT must leave as a call. Every
 * instrumented method carries its hooks' code, and C2 declines to inline a method already compiled into more than
 * {@code InlineSmallCode} bytes (2,500 on x86-64): rare paths compiled in would make small methods "big", and an
 * exception thrown by one then unwinds a real frame, several times the cost of the throw itself. The build turns this
 * into HotSpot's {@code jdk.internal.vm.annotation.DontInline} ({@code dev.jcprofile.build.JitAnnotations}), which
 * the JVM honours in classes of the bootstrap loader, where the runtime lives; elsewhere (unit tests) it means
 * nothing.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface NeverInline {}
