"""Arabic news annotator: tag entities, claims and sources in right-to-left text."""

__version__ = "0.1.0"
