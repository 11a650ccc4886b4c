"""ctscreen: counter-terrorism and sanctions screening against the official designation lists."""

__version__ = "0.1.0"
