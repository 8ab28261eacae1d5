package dev.jcprofile.runtime;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A hook, or a part of one, that the JIT must compile into the instrumented method calling it, however large that
 * method grows. The build turns it into HotSpot's {@code jdk.internal.vm.annotation.ForceInline}
 * ({@code dev.jcprofile.build.JitAnnotations}), which the JVM honours in classes of the bootstrap loader, where the
 * runtime lives; elsewhere (unit tests) it means nothing.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface AlwaysInline {}
