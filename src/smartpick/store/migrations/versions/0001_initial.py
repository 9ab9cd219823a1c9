"""Profiles and imported program facts.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer, nullable=True, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("applicant_type", sa.String(20), nullable=False),
        sa.Column("needs_visa", sa.Boolean, nullable=False),
        sa.Column("target_start_year", sa.Integer, nullable=False),
        sa.Column("step2_ck", sa.Integer, nullable=True),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("owner_id", "name", name="uq_profiles_owner_name"),
    )
    op.create_table(
        "fact_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "program_facts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "import_id", sa.Integer, sa.ForeignKey("fact_imports.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("program_id", sa.String(100), nullable=False),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("value", sa.JSON, nullable=True),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("estimate", sa.Text, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
    )
    op.create_index("ix_program_facts_import_id", "program_facts", ["import_id"])
    op.create_index("ix_program_facts_program_id", "program_facts", ["program_id"])


def downgrade() -> None:
    op.drop_table("program_facts")
    op.drop_table("fact_imports")
    op.drop_table("profiles")
