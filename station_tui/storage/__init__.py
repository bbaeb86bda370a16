"""Opening, upgrading and backing up the databases."""
