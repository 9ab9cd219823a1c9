"""The one base of the domain's pydantic models: immutable, and strict about unknown fields."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FrozenModel(BaseModel):
    """A validated value object: fields cannot change after validation, unknown fields are an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)
