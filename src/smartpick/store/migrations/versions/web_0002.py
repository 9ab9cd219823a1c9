"""Web: plan task statuses per profile, and rank-list preferences per user.

Revision ID: web_0002
Revises: web_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "web_0002"
down_revision = "web_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_task_statuses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile_id", sa.Integer, sa.ForeignKey("profiles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("task_id", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("profile_id", "task_id", name="uq_web_task_statuses_task"),
    )
    op.create_index("ix_web_task_statuses_profile_id", "web_task_statuses", ["profile_id"])
    op.create_table(
        "web_rank_preferences",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer, nullable=True),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_web_rank_preferences_owner_id", "web_rank_preferences", ["owner_id"])


def downgrade() -> None:
    op.drop_table("web_rank_preferences")
    op.drop_table("web_task_statuses")
