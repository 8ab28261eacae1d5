package com.example.jdk;

import javax.tools.ToolProvider;

/** javac through the javax.tools API, as build tools run it: the arguments are javac's. */
public class Compile {
    public static void main(String[] args) {
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, args);
        System.out.println("javac exited " + rc);
        System.exit(rc);
    }
}
