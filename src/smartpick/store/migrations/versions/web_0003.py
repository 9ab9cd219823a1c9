"""Web: advisor invitations (one-time share codes created by applicants).

Revision ID: web_0003
Revises: web_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "web_0003"
down_revision = "web_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_share_invites",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "applicant_id", sa.Integer, sa.ForeignKey("web_users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "redeemed_by", sa.Integer, sa.ForeignKey("web_users.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("redeemed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_web_share_invites_applicant_id", "web_share_invites", ["applicant_id"])


def downgrade() -> None:
    op.drop_table("web_share_invites")
