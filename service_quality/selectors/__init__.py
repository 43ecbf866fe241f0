"""Reads of the service-quality app, filtered by what the reader may see."""
