"""The handout's print style sheet (kept in Python so it ships inside the package with no data-file setup)."""

from sijcoach.exports import Paper

PAGE_SIZES = {Paper.A4: "A4", Paper.LETTER: "letter"}

CSS = """
@page {
  size: %(size)s;
  margin: 16mm 15mm 18mm 15mm;
  @bottom-left { content: element(footer); }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt var(--font); color: #555; }
}
@page :first { @bottom-right { content: none; } }
:root { --font: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; --ink: #1d2a33; --line: #b9c3ca;
        --soft: #eef3f6; --accent: #1f6f8b; --warn: #8a1c1c; }
html { font-family: var(--font); font-size: 9.5pt; line-height: 1.35; color: var(--ink); }
body { margin: 0; overflow-wrap: anywhere; }
footer { position: running(footer); font-size: 8pt; color: #555; }
h1 { font-size: 22pt; line-height: 1.15; margin: 0 0 4mm; color: var(--accent); }
h2 { font-size: 14pt; margin: 0 0 3mm; padding-bottom: 1.5mm; border-bottom: 1.5pt solid var(--accent);
     color: var(--accent); break-after: avoid; }
h3 { font-size: 11pt; margin: 0 0 1.5mm; break-after: avoid; }
h2, h3 { break-inside: avoid; }
p { margin: 0 0 2mm; }
ul, ol { margin: 0 0 2mm; padding-left: 5mm; }
li { margin-bottom: 0.8mm; }
section { break-before: page; }
section.flow { break-before: auto; margin-top: 5mm; }
.small { font-size: 8pt; color: #444; }

/* Title page */
.title .who { font-size: 13pt; margin-bottom: 8mm; }
.box { border: 1pt solid var(--line); background: var(--soft); padding: 3.5mm 4mm; margin: 0 0 4mm;
       break-inside: avoid; }
.box.alert { border: 1.5pt solid var(--warn); background: #fbeeee; }
.box.alert strong { color: var(--warn); }
.box h3 { margin-top: 0; }
.contents li { margin-bottom: 1.2mm; }
.contents a { color: inherit; text-decoration: none; }
.contents a::after { content: leader(". ") target-counter(attr(href), page); }

/* Schedule and log tables */
table { width: 100%%; border-collapse: collapse; margin-bottom: 3mm; }
th, td { border: 0.75pt solid var(--line); padding: 1.4mm 1.8mm; text-align: left; vertical-align: top; }
th { background: var(--soft); font-size: 8.5pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.schedule td { height: 8mm; vertical-align: middle; }
.schedule td.day { white-space: nowrap; font-weight: bold; width: 22mm; }
.schedule td.slot { white-space: nowrap; }
.schedule td.none { color: #9aa7b0; }
.schedule td.min { white-space: nowrap; width: 14mm; text-align: right; }
.schedule td.note { font-size: 7.5pt; color: #444; width: 40mm; }
.schedule tr.week td { border-top: 1.75pt solid var(--accent); }
.tick { display: inline-block; width: 3mm; height: 3mm; border: 0.9pt solid #333; margin-right: 1.5mm;
        vertical-align: -0.4mm; }
.legend p { margin-bottom: 1.5mm; }
.log td { height: 11mm; }
.log th.num { width: 15mm; }
.log th.date { width: 22mm; }

/* Exercise cards: name and dose, a wide picture strip (the stills show start and end side by side),
   then the steps. No flex boxes: WeasyPrint lays out plain blocks much faster. */
.card { border: 0.75pt solid var(--line); padding: 2mm 3mm; margin-bottom: 2.5mm; break-inside: avoid;
        font-size: 8.8pt; line-height: 1.25; }
.card h3 { font-size: 10.5pt; margin-bottom: 1mm; }
.card .dose { margin: 0 0 1.5mm; padding: 0.8mm 2mm; background: var(--soft); }
.picture { height: 24mm; margin: 0 0 1.5mm; border: 0.75pt dashed #8fa0ab; background: #fafcfd;
           text-align: center; }
.picture.drawn { border: none; background: none; }
.picture img { width: 100%%; height: 24mm; object-fit: contain; }
.picture span { display: block; padding-top: 10mm; font-size: 7.5pt; color: #8fa0ab; }
.card ol { padding-left: 4.5mm; margin-bottom: 1.2mm; }
.card li { margin-bottom: 0.3mm; }
.card p { margin-bottom: 0.8mm; }
.card .cue { padding: 0.8mm 2mm; border-left: 1.5pt solid var(--line); }

/* Red flags */
.flags { break-inside: avoid; margin-bottom: 3.5mm; }
.flags h3 { color: var(--warn); }
.flags .where { font-weight: bold; margin-bottom: 1.5mm; }
"""
