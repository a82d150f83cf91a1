import html
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from sijcoach.engine.questionnaires import meaningful_pain, pain_direction
from sijcoach.web.charts import (
    CALENDAR_STATUSES,
    CalendarDay,
    PainPoint,
    PsfsPoint,
    WeekPillars,
    calendar,
    pain_chart,
    psfs_chart,
    weekly_bars,
)

NS = "{http://www.w3.org/2000/svg}"
MON = date(2025, 11, 3)  # a Monday


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def day(i: int) -> date:
    return MON + timedelta(days=i)


def sample_pain() -> list[PainPoint]:
    return [PainPoint(day(i), 6 - i // 3, 4 - i // 4, 5 - i // 3) for i in range(0, 14, 2)]


def sample_charts(prefix: str) -> list[str]:
    statuses = list(CALENDAR_STATUSES)
    return [
        pain_chart(sample_pain(), prefix + "-pain"),
        calendar([CalendarDay(day(i), statuses[i % len(statuses)]) for i in range(20)], prefix + "-cal"),
        psfs_chart([PsfsPoint(day(7 * i), 3 + i * 0.7) for i in range(5)], prefix + "-psfs"),
        weekly_bars([WeekPillars(day(7 * i), 2, 1 + i, 0) for i in range(4)], prefix + "-bars"),
    ]


def empty_charts(prefix: str) -> list[str]:
    return [pain_chart([], prefix + "-a"), calendar([], prefix + "-b"), psfs_chart([], prefix + "-c"), weekly_bars([], prefix + "-d")]


def by_class(root: ET.Element, cls: str) -> list[ET.Element]:
    return [el for el in root.iter() if cls in el.get("class", "").split()]


def all_ids(root: ET.Element) -> list[str]:
    return [el.get("id") for el in root.iter() if el.get("id") is not None]


def value_at(root: ET.Element, y: float) -> float:
    """Turn a y coordinate back into a 0-10 value using the chart's own 0 and 10 gridlines."""
    grid = [float(line.get("y1")) for line in by_class(root, "chart-grid")[0].iter(NS + "line")]
    y0, y10 = grid[0], grid[-1]
    return (y0 - y) / (y0 - y10) * 10


def subpaths(root: ET.Element, series: str) -> int:
    plotted = by_class(root, series)[0]  # the legend repeats each series' class on its sample, later on
    return sum(p.get("d").count("M") for p in plotted.iter(NS + "path") if "series-line" in p.get("class", ""))


def x_labels(root: ET.Element) -> list[str]:
    return [t.text for t in by_class(root, "x-label")]


def test_every_chart_and_every_empty_chart_is_well_formed_svg():
    for svg in sample_charts("s") + empty_charts("e"):
        root = parse(svg)
        assert root.tag == NS + "svg"
        assert "chart" in root.get("class").split()
        assert root.get("viewBox").startswith("0 0 400 ")
        assert root.get("width") is None and root.get("height") is None


def test_every_chart_is_an_image_labelled_by_its_own_title_and_description():
    for svg in sample_charts("s") + empty_charts("e"):
        root = parse(svg)
        assert root.get("role") == "img"
        title_id, desc_id = root.get("aria-labelledby").split()
        assert root.find(NS + "title").get("id") == title_id
        assert root.find(NS + "desc").get("id") == desc_id
        assert root.find(NS + "title").text and root.find(NS + "desc").text


def test_two_charts_with_different_prefixes_share_no_ids():
    ids = [i for svg in sample_charts("one") + sample_charts("two") for i in all_ids(parse(svg))]
    assert len(ids) >= 8 + 1  # title and desc in each, plus the bar chart's hatch pattern
    assert len(ids) == len(set(ids))


def test_the_hatch_pattern_is_referenced_by_its_own_prefixed_id():
    svg = weekly_bars([WeekPillars(MON, 1, 2, 3)], "wk")
    root = parse(svg)
    assert "wk-hatch" in all_ids(root)
    assert 'fill="url(#wk-hatch)"' in svg


def test_a_prefix_or_title_containing_markup_is_escaped():
    svg = pain_chart(sample_pain(), 'x<b>"&', title="Pain <script>alert(1)</script>")
    root = parse(svg)
    assert root.find(NS + "title").get("id") == 'x<b>"&-title'
    assert root.find(NS + "title").text == "Pain <script>alert(1)</script>"
    assert "<b>" not in svg and "<script" not in svg


def test_a_prefix_with_a_space_is_refused_because_it_would_split_the_aria_id_list():
    with pytest.raises(ValueError):
        psfs_chart([], "two words")


def test_charts_are_deterministic_and_do_not_depend_on_input_order():
    assert sample_charts("d") == sample_charts("d")
    points = sample_pain()
    assert pain_chart(points[::-1], "p") == pain_chart(points, "p")


def test_no_chart_has_a_style_attribute_or_a_script():
    for svg in sample_charts("s") + empty_charts("e"):
        assert "style=" not in svg and "<script" not in svg.lower()
        assert all(el.get("style") is None for el in parse(svg).iter())


def test_coordinates_are_rounded_to_one_decimal():
    geometry = {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "width", "height", "d", "viewBox"}
    charts = sample_charts("s") + [pain_chart([PainPoint(day(i), 3, 2, 1) for i in range(0, 97, 3)], "r")]
    numbers = [n for svg in charts for el in parse(svg).iter() for k, v in el.attrib.items() if k in geometry
               for n in re.findall(r"\d+(?:\.\d+)?", v)]
    assert len(numbers) > 500
    assert all(len(n.partition(".")[2]) <= 1 for n in numbers)


def test_pain_chart_breaks_the_line_at_a_missing_value():
    points = [PainPoint(day(i), None if i == 3 else 5, 4, 3) for i in range(7)]
    root = parse(pain_chart(points, "gap"))
    assert subpaths(root, "series-before") == 2
    assert subpaths(root, "series-after") == 1
    assert subpaths(root, "series-morning") == 1


def test_a_dense_pain_chart_drops_markers_but_keeps_a_lone_value_visible():
    points = [PainPoint(day(i), 5 if i == 30 else None, 4, 3) for i in range(90)]
    root = parse(pain_chart(points, "lone"))
    assert subpaths(root, "series-before") == 0
    assert len(list(by_class(root, "series-before")[0].iter(NS + "circle"))) == 1
    assert by_class(root, "series-after")[0].find(NS + "rect") is None


def test_each_pain_series_has_its_own_marker_shape_and_dash_pattern():
    root = parse(pain_chart(sample_pain(), "m"))
    before, after, morning = (by_class(root, c)[0] for c in ("series-before", "series-after", "series-morning"))
    assert before.find(NS + "circle") is not None
    assert after.find(NS + "rect") is not None
    assert morning.findall(NS + "path")[-1].get("d").endswith("Z")  # the triangle
    dashes = {g.find(NS + "path").get("stroke-dasharray") for g in (before, after, morning)}
    assert len(dashes) == 3


def test_pain_chart_legend_names_every_series_in_text():
    root = parse(pain_chart(sample_pain(), "leg"))
    words = [t.text for g in by_class(root, "chart-legend") for t in g.iter(NS + "text")]
    assert words == ["Before", "After", "Next morning", "meaningfully better: 2 points or 30% below your start"]


def test_meaningful_change_line_sits_two_points_below_the_first_before_value():
    points = [PainPoint(day(0), None, 5, 5), PainPoint(day(1), 7, 6, 6), PainPoint(day(2), 3, 2, 2)]
    root = parse(pain_chart(points, "mc"))
    line = by_class(root, "chart-target")[0].find(NS + "line")
    assert line.get("y1") == line.get("y2")
    assert value_at(root, float(line.get("y1"))) == pytest.approx(5, abs=0.06)


@pytest.mark.parametrize("start", [1, 3, 5, 6, 7, 9])
def test_meaningful_change_line_sits_where_the_engine_first_calls_pain_better(start):
    """2 points or 30% of the start, whichever is less: the line and Progress's verdict agree."""
    root = parse(pain_chart([PainPoint(day(0), start, 1, 1), PainPoint(day(1), 6, 1, 1)], "low"))
    line = by_class(root, "chart-target")[0].find(NS + "line")
    level = value_at(root, float(line.get("y1")))
    assert level == pytest.approx(start - min(2, 0.3 * start), abs=0.06)
    assert pain_direction(start, meaningful_pain(start)) == "better"
    assert pain_direction(start, meaningful_pain(start) + 0.1) == "same"


def test_meaningful_change_line_is_left_out_from_no_pain():
    root = parse(pain_chart([PainPoint(day(0), 0, 1, 1), PainPoint(day(1), 6, 1, 1)], "low"))
    assert by_class(root, "chart-target") == []


def test_pain_values_outside_zero_to_ten_are_refused():
    with pytest.raises(ValueError):
        pain_chart([PainPoint(MON, 11, None, None)], "bad")


def test_four_hundred_pain_points_get_at_most_a_dozen_date_labels():
    points = [PainPoint(day(i), i % 7 + 2, i % 5 + 1, None if i % 9 == 0 else 4) for i in range(400)]
    svg = pain_chart(points, "long")
    root = parse(svg)
    labels = x_labels(root)
    assert 2 <= len(labels) <= 12
    assert len(set(labels)) == len(labels)
    assert len(list(root.iter(NS + "circle"))) < 100  # no marker per point
    assert "weekly averages" in root.find(NS + "desc").text
    before = next(p for p in by_class(root, "series-before")[0].iter(NS + "path"))
    assert before.get("d").count("L") + before.get("d").count("M") <= 60  # one vertex per week, not per day
    assert len(svg) < 60_000


@pytest.mark.parametrize("days", [0, 1, 5, 13, 40, 120, 400, 1500])
def test_date_labels_stay_few_and_in_order_for_any_range(days):
    root = parse(psfs_chart([PsfsPoint(day(0), 3), PsfsPoint(day(days), 4)], f"r{days}"))
    xs = [float(t.get("x")) for t in by_class(root, "x-label")]
    assert 1 <= len(xs) <= 7
    assert xs == sorted(xs)


def test_short_ranges_are_labelled_with_day_and_month():
    root = parse(pain_chart(sample_pain(), "lbl"))
    assert x_labels(root)[0] == "3 Nov"


def test_calendar_weeks_start_on_monday():
    # 5 Nov 2025 is a Wednesday: it belongs in the third column, under the header's third letter.
    days = [CalendarDay(date(2025, 11, 5) + timedelta(days=i), "done") for i in range(10)]
    root = parse(calendar(days, "wk"))
    header = [t for t in by_class(root, "chart-axis")[0].iter(NS + "text") if "month-label" not in t.get("class", "")]
    assert [t.text for t in header] == list("MTWTFSS")
    cells = by_class(root, "cal-cell")
    boxes = [c.find(NS + "rect") for c in cells]
    first_x = float(boxes[0].get("x")) + float(boxes[0].get("width")) / 2
    assert first_x == pytest.approx(float(header[2].get("x")))
    monday = next(b for c, b in zip(cells, boxes) if c.find(NS + "title").text.startswith("Mon"))
    assert float(monday.get("x")) + float(monday.get("width")) / 2 == pytest.approx(float(header[0].get("x")))
    assert float(monday.get("y")) > float(boxes[0].get("y"))


def test_calendar_draws_one_cell_per_day_with_its_status_and_a_tooltip():
    statuses = list(CALENDAR_STATUSES)
    days = [CalendarDay(day(i), statuses[i % 6]) for i in range(17)]
    root = parse(calendar(days, "c"))
    cells = by_class(root, "cal-cell")
    assert len(cells) == 17
    assert cells[0].get("class") == "cal-cell cal-done"
    assert cells[0].find(NS + "title").text == "Mon 3 Nov: done"
    assert cells[1].find(NS + "title").text == "Tue 4 Nov: partly done"


def test_calendar_marks_each_status_with_a_different_shape_not_only_colour():
    def shape(status: str) -> tuple:
        cell = by_class(parse(calendar([CalendarDay(MON, status)], "s")), "cal-cell")[0]
        box = cell.find(NS + "rect")
        glyph = [(el.tag, re.sub(r"[^A-Za-z]", "", el.get("d", ""))) for el in cell if "cal-glyph" in el.get("class", "")]
        return box.get("stroke-dasharray"), box.get("stroke-opacity"), tuple(glyph)

    shapes = {status: shape(status) for status in CALENDAR_STATUSES}
    assert len(set(shapes.values())) == len(CALENDAR_STATUSES)


def test_calendar_legend_lists_every_status_in_words():
    root = parse(calendar([CalendarDay(MON, "done")], "l"))
    words = [t.text for g in by_class(root, "chart-legend") for t in g.iter(NS + "text")]
    assert words == list(CALENDAR_STATUSES.values())


def test_calendar_names_the_first_row_s_month_and_each_month_where_it_begins():
    def months(start: date, n: int) -> list[str]:
        root = parse(calendar([CalendarDay(start + timedelta(days=i), "rest") for i in range(n)], "m"))
        return [t.text for t in by_class(root, "month-label")]

    assert months(date(2025, 11, 5), 40) == ["Nov", "Dec"]
    assert months(date(2025, 10, 29), 14) == ["Nov"]  # one label per row: this first row holds 1 Nov


def test_calendar_refuses_an_unknown_status():
    with pytest.raises(ValueError, match="skipped"):
        calendar([CalendarDay(MON, "done"), CalendarDay(day(1), "skipped")], "u")


def test_calendar_refuses_the_same_day_twice():
    with pytest.raises(ValueError):
        calendar([CalendarDay(MON, "done"), CalendarDay(MON, "missed")], "twice")


def test_empty_inputs_say_so_in_words():
    texts = ["".join(parse(svg).itertext()) for svg in empty_charts("e")]
    assert "No sessions logged yet" in texts[0]
    assert "No ratings yet" in texts[2]
    assert "No strengthening exercises done yet" in texts[3]
    assert "empty" in parse(empty_charts("e")[1]).get("class")


def test_psfs_meaningful_change_line_sits_two_points_above_the_first_score():
    root = parse(psfs_chart([PsfsPoint(day(7), 6.0), PsfsPoint(day(0), 3.4)], "ps"))
    line = by_class(root, "chart-target")[0].find(NS + "line")
    assert value_at(root, float(line.get("y1"))) == pytest.approx(5.4, abs=0.06)
    assert "meaningful change: +2 points" in "".join(root.itertext())


def test_psfs_meaningful_change_line_is_left_out_above_ten():
    root = parse(psfs_chart([PsfsPoint(MON, 8.5)], "hi"))
    assert by_class(root, "chart-target") == []
    assert len(list(by_class(root, "series-psfs")[0].iter(NS + "circle"))) == 1


def test_weekly_bars_are_as_tall_as_their_counts_and_labelled_with_them():
    root = parse(weekly_bars([WeekPillars(MON, 4, 2, 0)], "b"))
    core, hip, low = (by_class(root, c)[0] for c in ("bar-core", "bar-hip", "bar-low-back"))
    core_h = float(core.find(NS + "rect").get("height")) + 1.5  # rects are inset by their stroke
    hip_h = float(hip.find(NS + "rect").get("height")) + 1.5
    assert core_h == pytest.approx(2 * hip_h, abs=0.2)
    assert low.find(NS + "rect") is None
    assert [t.text for t in by_class(root, "bar-value")] == ["4", "2", "0"]


def test_weekly_bars_legend_names_the_three_muscle_groups():
    root = parse(weekly_bars([WeekPillars(MON, 1, 1, 1)], "g"))
    words = [t.text for g in by_class(root, "chart-legend") for t in g.iter(NS + "text")]
    assert words == ["Core", "Back of hip", "Low back"]


def test_weekly_bars_label_at_most_six_weeks_however_many_there_are():
    root = parse(weekly_bars([WeekPillars(day(7 * i), 1, 2, 3) for i in range(30)], "many"))
    assert len(x_labels(root)) <= 6
    assert len(by_class(root, "bar-value")) == 0  # too narrow to label every bar


def test_negative_session_counts_are_refused():
    with pytest.raises(ValueError):
        weekly_bars([WeekPillars(MON, -1, 0, 0)], "neg")


def test_one_day_is_described_in_the_singular():
    # A walk-through's find: "at 1 sessions"; and a point is a day, which may hold several sessions.
    assert "on 1 day with sessions," in pain_chart([PainPoint(day(0), 4, 3, None)], "one")
    assert "on 2 days with sessions," in pain_chart([PainPoint(day(0), 4, 3, None), PainPoint(day(1), 4, 3, None)], "two")


def test_the_coachs_copy_measures_the_target_from_the_clients_start():
    chart = html.unescape(pain_chart([PainPoint(day(0), 6, 5, None), PainPoint(day(1), 5, 4, None)], "c",
                                     whose="the client's"))
    assert "below the client's start" in chart and "The client's first pain before a session was 6" in chart
    assert "your start" not in chart and "Your first" not in chart


@pytest.mark.parametrize(("days", "words"), [(0, "0 days"), (1, "1 day"), (10, "10 days"), (20, "2 weeks"),
                                             (70, "2 months"), (400, "13 months"), (2190, "6 years")])
def test_how_long_the_pain_has_lasted_is_said_as_a_person_says_it(days, words):
    # A physiotherapist's find: "2190 days since onset" on the coach's page.
    from sijcoach.web.plans.templatetags.sij import since_onset

    assert since_onset(days) == words
