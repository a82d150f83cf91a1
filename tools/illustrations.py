"""Write docs/illustrations.png: a contact sheet of every exercise's still picture, labelled by name.

    python tools/illustrations.py [--out docs/illustrations.png] [--only slug ...] [--side left]

HTML with the SVGs inline -> PDF (WeasyPrint) -> one PNG a page (pypdfium2) -> pages stacked (Pillow).
For looking at the pictures only: nothing in the app depends on this.
"""

from __future__ import annotations

import argparse
import io
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = 3
ROWS_PER_PAGE = 6
PAGE_WIDTH_PX = 1600


def sheet_html(slugs: list[str], side: str | None) -> str:
    from sijcoach.engine.catalog import catalog
    from sijcoach.illustrate import still_svg

    cells = []
    for slug in slugs:
        name = catalog()[slug].name
        cells.append(
            f'<div class="cell"><div class="pic">{still_svg(slug, side)}</div>'
            f'<p>{escape(name)} <span>{escape(slug)}</span></p></div>'
        )
    per_page = COLUMNS * ROWS_PER_PAGE
    pages = "".join(
        f'<div class="grid">{"".join(cells[i:i + per_page])}</div>' for i in range(0, len(cells), per_page)
    )
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: {PAGE_WIDTH_PX}px {PAGE_WIDTH_PX * 1.3:.0f}px; margin: 24px; }}
body {{ font-family: sans-serif; margin: 0; }}
.grid {{ display: grid; grid-template-columns: repeat({COLUMNS}, 1fr); gap: 14px; break-after: page; }}
.grid:last-child {{ break-after: auto; }}
.cell {{ break-inside: avoid; border: 1px solid #d5dde6; border-radius: 6px; padding: 6px; }}
.pic {{ height: 250px; display: flex; align-items: center; justify-content: center; }}
.pic svg {{ max-width: 100%; max-height: 250px; width: auto; height: auto; }}
p {{ margin: 4px 0 0; font-size: 17px; text-align: center; }}
span {{ color: #7d8793; font-size: 13px; }}
</style></head><body>{pages}</body></html>"""


def render(html: str, out: Path, scale: float = 1.0) -> None:
    import pypdfium2
    import weasyprint
    from PIL import Image

    pdf = weasyprint.HTML(string=html, base_url=str(ROOT)).write_pdf()
    doc = pypdfium2.PdfDocument(pdf)
    pages = [doc[i].render(scale=scale * 96 / 72 * 0.75).to_pil().convert("RGB") for i in range(len(doc))]
    width = max(p.width for p in pages)
    sheet = Image.new("RGB", (width, sum(p.height for p in pages)), "white")
    y = 0
    for page in pages:
        sheet.paste(page, (0, y))
        y += page.height
    buf = io.BytesIO()
    sheet.save(buf, format="PNG", optimize=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buf.getvalue())


def main(argv: list[str] | None = None) -> None:
    from sijcoach.illustrate.poses import figures

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "illustrations.png")
    parser.add_argument("--only", nargs="*", help="these exercise slugs only")
    parser.add_argument("--side", choices=["left", "right"], default=None)
    args = parser.parse_args(argv)
    from sijcoach.engine.catalog import catalog

    order = sorted(figures(), key=lambda s: (catalog()[s].position, s))
    slugs = [s for s in order if not args.only or s in args.only]
    render(sheet_html(slugs, args.side), args.out)
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}: {len(slugs)} exercises")


if __name__ == "__main__":
    main()
