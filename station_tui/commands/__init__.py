"""Command-line subcommands; each module has ``run(args) -> int``."""
