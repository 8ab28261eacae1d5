/** The same program as a named module, run with `java -p DIR -m fib/com.example.fib.Main N`. */
module fib {
}
