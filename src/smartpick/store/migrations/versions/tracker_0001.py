"""Application tracker: applications, interviews and messages.

Revision ID: tracker_0001
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "tracker_0001"
down_revision = "0001"
branch_labels = ("tracker",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tracker_applications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer, nullable=True),
        sa.Column("program", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("date", sa.Date, nullable=True),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_tracker_applications_owner_id", "tracker_applications", ["owner_id"])
    op.create_table(
        "tracker_interviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer, nullable=True),
        sa.Column("program", sa.String(100), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
    )
    op.create_index("ix_tracker_interviews_owner_id", "tracker_interviews", ["owner_id"])
    op.create_table(
        "tracker_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer, nullable=True),
        sa.Column("program", sa.String(100), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("reason", sa.String(20), nullable=True),
    )
    op.create_index("ix_tracker_messages_owner_id", "tracker_messages", ["owner_id"])
    op.create_index("ix_tracker_messages_program", "tracker_messages", ["program"])


def downgrade() -> None:
    op.drop_table("tracker_messages")
    op.drop_table("tracker_interviews")
    op.drop_table("tracker_applications")
