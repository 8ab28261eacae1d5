/**
 * Build steps of the runtime module, compiled and run by its build (maven-antrun-plugin) and never shipped:
 * {@link dev.jcprofile.build.JitAnnotations} gives the hooks HotSpot's own inlining annotation.
 */
package dev.jcprofile.build;
