"""Alembic migrations of the clue store (a package so that wheels ship them)."""
