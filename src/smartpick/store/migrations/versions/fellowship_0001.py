"""Resident portfolios for the fellowship planner.

Revision ID: fellowship_0001
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "fellowship_0001"
down_revision = "0001"
branch_labels = ("fellowship",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resident_portfolios",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer, nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("resident_name", sa.String(500), nullable=False),
        sa.Column("pgy", sa.Integer, nullable=False),
        sa.Column("residency_start_year", sa.Integer, nullable=False),
        sa.Column("primary_track", sa.String(40), nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("owner_id", "name", name="uq_resident_portfolios_owner_name"),
    )
    op.create_index("ix_resident_portfolios_owner_id", "resident_portfolios", ["owner_id"])


def downgrade() -> None:
    op.drop_index("ix_resident_portfolios_owner_id", table_name="resident_portfolios")
    op.drop_table("resident_portfolios")
