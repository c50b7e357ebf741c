"""Markdown summaries and comments to safe HTML: parsing, math, sanitizing."""

from app.markdown.render import RenderedDocument, render_comment, render_markdown

__all__ = ["RenderedDocument", "render_comment", "render_markdown"]
