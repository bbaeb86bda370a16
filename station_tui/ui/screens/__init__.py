"""One screen per module, the file named for its class."""
