"""Pictures of the exercises: animated and still SVG figures drawn from pose data.

A front end, like the web app and the handout: it reads `knowledge/poses/*.toml` and the catalog,
and nothing in the engine imports it. Pure functions, cached per process, deterministic.

The un-mirrored drawing shows the figure's right side working (the near side in a side view);
`side="left"` gives the exact mirror image, the left side working. In a still the two figures are
each mirrored and keep their order, start on the left and end on the right.
"""

from __future__ import annotations

from functools import lru_cache

from sijcoach.illustrate.poses import Figure, PoseError, figures
from sijcoach.illustrate.scene import Phase, scene
from sijcoach.illustrate.svg import GAP, SCALE, arrow, document, figure_markup

__all__ = ["Phase", "PoseError", "animated_svg", "frame_svg", "has_picture", "still_svg", "timeline"]

SIDES = (None, "left", "right")


def has_picture(slug: str) -> bool:
    return slug in figures()


def _figure(slug: str, side: str | None) -> Figure:
    if side not in SIDES:
        raise ValueError(f"side must be 'left', 'right' or None, not {side!r}")
    try:
        return figures()[slug]
    except KeyError:
        raise KeyError(f"no pose data for exercise {slug!r}") from None


def _words(slug: str, side: str | None, extra: str = "") -> tuple[str, str]:
    from sijcoach.engine.catalog import catalog

    name = catalog()[slug].name if slug in catalog() else slug
    desc = figures()[slug].desc
    if side:
        desc += f" Shown for the {side} side."
    return name, (desc + " " + extra).strip()


@lru_cache(maxsize=512)
def animated_svg(slug: str, side: str | None = None) -> str:
    """The exercise moving in a loop, pausing for each hold (SMIL; no script, no style)."""
    _figure(slug, side)
    inner, w, h = figure_markup(scene(slug), side == "left", None)
    return document(inner, w, h, *_words(slug, side))


@lru_cache(maxsize=1024)
def frame_svg(slug: str, frame: str, side: str | None = None, tight: bool = False) -> str:
    """One keyframe, still ("start" or "end", or a middle one), framed exactly as the animation; or,
    `tight`, framed on its own, so the figure fills the frame as in every other thumbnail (a list of
    exercises) rather than leaving room for the rest of the movement."""
    figure = _figure(slug, side)
    figure.frame(frame)  # a clear KeyError for an unknown frame
    sc = scene(slug)
    at = sc.keys[[f.name for f in figure.frames].index(frame)]
    inner, w, h = figure_markup(sc, side == "left", at, tight)
    name, desc = _words(slug, side, f"This picture shows the {frame} position.")
    return document(inner, w, h, name, desc)


@lru_cache(maxsize=512)
def still_svg(slug: str, side: str | None = None) -> str:
    """The start and the end position side by side, with an arrow between them (for print)."""
    figure = _figure(slug, side)
    sc = scene(slug)
    names = [f.name for f in figure.frames]
    start, w, h = figure_markup(sc, side == "left", sc.keys[names.index("start")])
    end, _, _ = figure_markup(sc, side == "left", sc.keys[names.index("end")])
    gap = round(GAP * SCALE)
    inner = (f'<g>{start}</g>{arrow(w + gap // 2, h // 2)}'
             f'<g transform="translate({w + gap},0)">{end}</g>')
    name, desc = _words(slug, side, "Start position on the left, end position on the right.")
    return document(inner, 2 * w + gap, h, name, desc)


def timeline(slug: str) -> tuple[Phase, ...]:
    """The animation's loop as phases (frame, seconds, moving), so a player can keep in step."""
    _figure(slug, None)
    return scene(slug).phases
