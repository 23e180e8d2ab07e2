"""policytag: tag the sentences of Chinese policy reports with green-transformation measure categories."""

__version__ = "0.1.0"
