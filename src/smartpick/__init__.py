"""SmartPick: transparent, measured decision support for PM&R residency and fellowship applicants."""

__version__ = "0.1.0"
