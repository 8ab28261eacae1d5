/** The plugin as a named module, for the loaders that module layers create. */
module plug {
    exports q;
}
