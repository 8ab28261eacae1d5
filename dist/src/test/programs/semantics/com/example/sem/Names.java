package com.example.sem;

/** Where names and line numbers come from. */
class Names {
    static void run() {
        new Widget().grow();
        new Widget(3);
        firstLine();
    }

    static void firstLine() {
        int a = 1; // the first line of firstLine
        a++;
    }

    static class Widget {
        int size = initialSize(); // a field initializer, compiled into each constructor

        Widget() { // Widget() is here
            grow();
        }

        Widget(int size) { // Widget(int) is here
            this.size = size;
        }

        static int initialSize() {
            return 1;
        }

        void grow() {
            size++;
        }
    }
}
