"""Example specifications written in shadowspec's vocabulary (``shadowspec.examples``)."""
