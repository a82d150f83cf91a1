"""Draws the app's icons (the web app manifest's) from our own exercise figure: the glute bridge's end
position (sijcoach.illustrate) on the theme colour. Run after a change to the figure:
`python tools/make_icons.py`; writes src/sijcoach/web/static/sijcoach/icons/*.png.

The SVG is laid out by WeasyPrint (already a dependency, for the handout) and rasterised by pypdfium2
(the exports' tests use it), so no other drawing library is needed.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdfium2
from weasyprint import HTML

from sijcoach import illustrate

OUT = Path(__file__).resolve().parents[1] / "src/sijcoach/web/static/sijcoach/icons"
THEME = "#0b5cad"
FIGURE = ("glute-bridge", "end")


def icon_png(size: int, figure_share: float) -> bytes:
    """A square icon `size` px wide: the figure on a white card taking `figure_share` of the width,
    on the theme colour (a maskable icon keeps the figure inside its safe central circle)."""
    svg = illustrate.frame_svg(*FIGURE)
    svg = re.sub(r'\swidth="\d+" height="\d+"', "", svg, count=1)
    card = figure_share * 100
    html = f"""<html><head><style>
      @page {{ size: 100px 100px; margin: 0 }}
      body {{ margin: 0; width: 100px; height: 100px; background: {THEME}; display: flex; }}
      div {{ margin: auto; width: {card}px; padding: 4px; background: #ffffff; border-radius: 12px; }}
      svg {{ width: 100%; height: auto; display: block; }}
    </style></head><body><div>{svg}</div></body></html>"""
    pdf = pypdfium2.PdfDocument(HTML(string=html).write_pdf())
    image = pdf[0].render(scale=size / 75).to_pil().resize((size, size))  # 100 CSS px = 75 pt
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, share in (("icon-192", 192, 0.84), ("icon-512", 512, 0.84), ("maskable-512", 512, 0.66)):
        (OUT / f"{name}.png").write_bytes(icon_png(size, share))
        print(f"wrote {OUT / name}.png")


if __name__ == "__main__":
    main()
