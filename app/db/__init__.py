"""Database layer: ORM models, engine and session factory, Alembic migrations."""
