"""PACT footprints (published and received) and the outbox of PACT events.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply."""
    op.create_table(
        "pact_footprints",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("pf_id", sa.String(length=36), nullable=False),
        sa.Column("spec_version", sa.String(length=20), nullable=False),
        sa.Column("product_key", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("submission_id", sa.String(length=36), nullable=True),
        sa.Column("submission_version", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org_id", "origin", "pf_id"),
    )
    for column in ("org_id", "origin", "pf_id", "product_key", "created_at"):
        op.create_index(f"ix_pact_footprints_{column}", "pact_footprints", [column])
    op.create_table(
        "pact_outbox",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=True),
        sa.Column("request_event_id", sa.String(length=300), nullable=False),
        sa.Column("target", sa.String(length=2000), nullable=False),
        sa.Column("event", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_pact_outbox_org_id", "pact_outbox", ["org_id"])
    op.create_index("ix_pact_outbox_created_at", "pact_outbox", ["created_at"])


def downgrade() -> None:
    """Revert."""
    op.drop_table("pact_outbox")
    op.drop_table("pact_footprints")
