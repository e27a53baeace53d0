"""shadowspec: an executable, model-checked specification of VSS backups and CSV backup state."""

__version__ = "0.1.0"
