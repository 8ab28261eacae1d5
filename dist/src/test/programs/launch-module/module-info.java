/** The launch program as a named module, for java -m. */
module example.launch {
}
