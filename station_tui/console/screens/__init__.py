"""One module per console screen."""
