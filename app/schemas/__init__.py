"""Output presenters and input schemas for the JSON API (apart from the ORM models)."""
