/** The start-up benchmark's program (bench/startup.py): the JVM's start and end, and one line of output. */
public final class Hello {
    private Hello() {}

    public static void main(String[] args) {
        System.out.println("Hello, world");
    }
}
