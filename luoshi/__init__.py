"""luoshi (落实): turn a district's targets into delivery."""

__version__ = "0.1.0"
