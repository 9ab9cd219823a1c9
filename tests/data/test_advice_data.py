"""The bundled cost estimates of ``smartpick advise`` load, and each says how it was set."""

from __future__ import annotations

from smartpick.services.advise import bundled_advice_figures


def test_every_cost_figure_is_a_labelled_estimate() -> None:
    figures = bundled_advice_figures()
    assert figures.figures
    for name, fig in figures.figures.items():
        assert fig.value >= 0 and fig.unit and len(fig.estimate) > 20, name
        assert "SmartPick estimate" in figures.cite(name)
