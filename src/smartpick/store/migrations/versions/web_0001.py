"""Web accounts and advisor shares.

Revision ID: web_0001
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "web_0001"
down_revision = "0001"
branch_labels = ("web",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("session_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "web_shares",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "applicant_id", sa.Integer, sa.ForeignKey("web_users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "advisor_id", sa.Integer, sa.ForeignKey("web_users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("applicant_id", "advisor_id", name="uq_web_shares_pair"),
    )
    op.create_index("ix_web_shares_applicant_id", "web_shares", ["applicant_id"])
    op.create_index("ix_web_shares_advisor_id", "web_shares", ["advisor_id"])


def downgrade() -> None:
    op.drop_table("web_shares")
    op.drop_table("web_users")
