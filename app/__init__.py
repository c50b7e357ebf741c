"""Marginalia: read summaries of deep-learning papers, annotate them, run their models."""
