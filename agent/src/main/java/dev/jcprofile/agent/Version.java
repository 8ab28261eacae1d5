package dev.jcprofile.agent;

/**
 * {@code jcprofile --version}: the version that the build wrote into the jar's manifest. The launcher asks this
 * class rather than unpacking the manifest itself, which would need a tool (unzip) that a JRE-only machine or a
 * slim container may lack.
 */
public final class Version {
    private Version() {}

    public static void main(String[] args) {
        String v = Version.class.getPackage().getImplementationVersion();
        System.out.println("jcprofile " + (v != null ? v : "dev"));
    }
}
