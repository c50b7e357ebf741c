"""Output shapes that are more than a pydantic model: W3C JSON-LD, CSV, Markdown."""
