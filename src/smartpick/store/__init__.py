"""Storage: SQLAlchemy 2 models, repositories and Alembic migrations.

ORM rows never enter the domain: repositories convert with explicit ``to_domain``/``from_domain``.
"""
