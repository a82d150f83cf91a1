"""Every exercise has a picture drawn from pose data: it parses, the body stays one body, nothing
passes through the floor, a wall or the ball, declared contacts hold, and left is the exact mirror."""

import ast
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sijcoach.engine.catalog import catalog
from sijcoach.illustrate import animated_svg, frame_svg, still_svg, timeline
from sijcoach.illustrate.body import LIMB, View, radius, segments
from sijcoach.illustrate.poses import PoseError, PropKind, figures, load_figures
from sijcoach.illustrate.scene import scene
from sijcoach.illustrate.svg import SCALE

ROOT = Path(__file__).resolve().parents[2]
SLUGS = sorted(figures())
NS = "{http://www.w3.org/2000/svg}"
TOLERANCE = 0.01  # a hundredth of standing height, under 2 cm on a real person
SOLIDS = (PropKind.FLOOR, PropKind.WALL, PropKind.BALL)


def _outline(view: View):
    """Front and top views draw the trunk as an outline through these points."""
    if view is View.SIDE:
        return ()
    return [f"{s}_{p}" for s in ("near", "far") for p in ("hip", "waist", "shoulder")]


def test_every_catalog_exercise_has_pose_data_and_no_pose_names_an_unknown_slug():
    assert sorted(catalog().slugs) == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_every_picture_parses_with_the_exercise_name_as_title_and_a_description(slug):
    name = catalog()[slug].name
    pictures = [animated_svg(slug), still_svg(slug), frame_svg(slug, "start"), frame_svg(slug, "end", "left")]
    for markup in pictures:
        root = ET.fromstring(markup)
        assert root.tag == f"{NS}svg"
        assert root.find(f"{NS}title").text == name
        assert len(root.find(f"{NS}desc").text) > 40
        assert "<script" not in markup and " style=" not in markup and " id=" not in markup


@pytest.mark.parametrize("slug", SLUGS)
def test_segment_lengths_stay_the_same_through_the_whole_movement(slug):
    sc = scene(slug)
    assert len(sc.moments) > len(sc.figure.frames)  # moments between keyframes are checked too
    for pts in sc.moments:
        for seg in segments(sc.figure.view):
            a, b = pts[seg.a], pts[seg.b]
            assert math.dist(a, b) == pytest.approx(seg.length, abs=1e-9), (seg.a, seg.b)


@pytest.mark.parametrize("slug", SLUGS)
def test_no_body_part_passes_through_the_floor_a_wall_or_the_ball(slug):
    sc = scene(slug)
    view = sc.figure.view
    solids = [s for s in sc.surfaces if s.prop in SOLIDS]
    for i, pts in enumerate(sc.moments):
        probes = []
        for seg in segments(view):
            for k in range(5):
                t = k / 4
                p = tuple(pts[seg.a][j] + (pts[seg.b][j] - pts[seg.a][j]) * t for j in range(3))
                r = max(radius(seg.a, view), radius(seg.b, view)) if seg.width > LIMB else seg.width / 2
                probes.append((f"{seg.a}-{seg.b}", p, r))
        probes.append(("head", pts["head"], radius("head", view)))
        probes += [(n, pts[n], LIMB / 2) for n in _outline(view)]
        for name, p, r in probes:
            for s in solids:
                assert s.distance(p) - r > -TOLERANCE, f"{name} inside the {s.prop} at moment {i}"


@pytest.mark.parametrize("slug", SLUGS)
def test_parts_that_must_touch_a_prop_touch_it(slug):
    sc = scene(slug)
    view = sc.figure.view
    names = [f.name for f in sc.figure.frames]
    for contact in sc.figure.contacts:
        surfaces = sc.surface(contact.prop) or sc.surface(PropKind.FLOOR)
        if contact.frames:
            moments = [(n, sc.moments[sc.keys[names.index(n)]]) for n in contact.frames]
        else:
            moments = list(enumerate(sc.moments))
        for when, pts in moments:
            gap = min(s.distance(pts[contact.part]) for s in surfaces) - radius(contact.part, view)
            assert abs(gap) < TOLERANCE, f"{contact.part} is {gap:+.3f} from the {contact.prop} at {when}"


# The touches that make a picture read as its exercise; each must be declared in the pose data.
ESSENTIAL = {
    "glute-bridge": [("near_heel", "floor"), ("far_heel", "floor"), ("neck", "floor")],
    "single-leg-bridge": [("near_heel", "floor"), ("neck", "floor")],
    "dontigny-knee-brace": [("near_heel", "door")],
    "doorway-hamstring-stretch": [("near_heel", "door")],
    "swiss-ball-superman": [("waist", "ball"), ("far_toe", "floor"), ("near_hand", "floor")],
    "wall-sit": [("hip", "wall"), ("neck", "wall")],
    "hip-hinge": [("hip", "wall")],
    "inflare-correction": [("near_knee", "wall")],
    "plank": [("near_toe", "floor"), ("near_elbow", "floor")],
    "side-plank-knees": [("far_knee", "floor"), ("far_elbow", "floor")],
    "clamshell": [("far_hip", "floor"), ("far_shoulder", "floor")],
    "sit-to-stand": [("hip", "chair")],
    "assisted-pull-up": [("near_hand", "bar")],
    "supine-hip-flexor-stretch": [("hip", "bed")],
}


@pytest.mark.parametrize("slug", sorted(ESSENTIAL))
def test_the_touches_that_make_a_picture_read_are_declared(slug):
    declared = {(c.part, c.prop.value) for c in figures()[slug].contacts}
    assert set(ESSENTIAL[slug]) <= declared


def test_every_bridge_keeps_both_heels_and_the_shoulders_on_the_floor_all_the_way_up():
    sc = scene("glute-bridge")
    assert sc.at_frame("end")["hip"][1] > sc.at_frame("start")["hip"][1] + 0.08  # the hips really rise
    for pts in sc.moments:
        for part in ("near_heel", "far_heel", "neck"):
            assert pts[part][1] - radius(part, View.SIDE) == pytest.approx(0, abs=TOLERANCE)


def test_the_knee_brace_presses_the_heel_on_the_door_frame_with_the_other_leg_through_the_doorway():
    sc = scene("dontigny-knee-brace")
    (door,) = sc.surface(PropKind.DOOR)
    pts = sc.at_frame("end")
    assert door.distance(pts["near_heel"]) == pytest.approx(radius("near_heel", View.SIDE), abs=TOLERANCE)
    assert pts["far_heel"][0] > door.at  # the straight leg lies through the opening


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"-?\d+", text)]


def _assert_mirrored(left: ET.Element, right: ET.Element, width: int) -> None:
    assert left.tag == right.tag
    for name, value in right.attrib.items():
        other = left.attrib[name]
        if name in ("cx", "x1", "x2"):
            assert int(other) == width - int(value)
        elif name == "x":
            assert int(other) == width - int(value) - int(right.attrib["width"])
        elif name in ("d", "values") and (name == "d" or right.attrib["attributeName"] == "d"):
            xs, ys = _numbers(value)[0::2], _numbers(value)[1::2]
            assert _numbers(other)[0::2] == [width - x for x in xs] and _numbers(other)[1::2] == ys
        elif name == "values" and right.attrib["attributeName"] == "cx":
            assert _numbers(other) == [width - x for x in _numbers(value)]
        else:
            assert other == value, name
    assert len(left) == len(right)
    for a, b in zip(left, right):
        if b.tag not in (f"{NS}title", f"{NS}desc"):
            _assert_mirrored(a, b, width)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_left_side_is_the_exact_mirror_of_the_right(slug):
    for left, right in (
        (animated_svg(slug, "left"), animated_svg(slug, "right")),
        (frame_svg(slug, "end", "left"), frame_svg(slug, "end")),
    ):
        lroot, rroot = ET.fromstring(left), ET.fromstring(right)
        width = int(rroot.attrib["viewBox"].split()[2])
        _assert_mirrored(lroot, rroot, width)
    assert "left side" in ET.fromstring(animated_svg(slug, "left")).find(f"{NS}desc").text


@pytest.mark.parametrize("slug", SLUGS)
def test_the_timeline_runs_as_long_as_the_animation_and_visits_start_and_end(slug):
    phases = timeline(slug)
    assert sum(p.seconds for p in phases) == pytest.approx(scene(slug).duration)
    assert {"start", "end"} <= {p.frame for p in phases}
    dur = re.search(r'dur="([\d.]+)s"', animated_svg(slug))
    assert dur is None or float(dur.group(1)) == pytest.approx(scene(slug).duration)


def test_a_hold_in_the_dose_is_a_pause_in_the_animation():
    phases = timeline("glute-bridge")
    assert [p.moving for p in phases] == [False, True, False, True]
    assert phases[2].frame == "end" and phases[2].seconds >= 3


def test_the_same_call_always_draws_the_same_picture():
    animated_svg.cache_clear()
    first = animated_svg("clamshell", "left")
    animated_svg.cache_clear()
    assert animated_svg("clamshell", "left") == first


def test_bad_arguments_get_clear_errors():
    with pytest.raises(ValueError, match="side"):
        animated_svg("glute-bridge", "both")
    with pytest.raises(KeyError, match="no frame 'middle'"):
        frame_svg("glute-bridge", "middle")
    with pytest.raises(KeyError, match="no pose data"):
        still_svg("moonwalk")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[pose.x]\ndesc = "d"\n[[pose.x.frame]]\nname = "start"\nnee = 3\n', "x: frame start: unknown angle 'nee'"),
        ('[pose.x]\ndesc = "d"\n[[pose.x.frame]]\nname = "start"\n', "needs a frame named 'end'"),
        ('[pose.x]\nview = "back"\ndesc = "d"\n', "view must be one of side, front, top"),
        ('[pose.x]\ndesc = "d"\nprops = [{ kind = "trampoline" }]\n[[pose.x.frame]]\nname = "start"\n'
         '[[pose.x.frame]]\nname = "end"\n', "unknown prop 'trampoline'"),
        ('[pose.x]\nlike = "y"\ndesc = "d"\n', "like 'y' is not a pose"),
        ('[pose.x]\ndesc = "d"\ncontacts = [{ part = "near_heal", prop = "floor" }]\n[[pose.x.frame]]\n'
         'name = "start"\n[[pose.x.frame]]\nname = "end"\n', "did you mean 'near_heel'"),
    ],
)
def test_a_mistake_in_the_pose_data_names_the_file_exercise_and_field(tmp_path, toml, message):
    (tmp_path / "bad.toml").write_text(toml)
    with pytest.raises(PoseError, match=re.escape(message)) as err:
        load_figures(tmp_path)
    assert str(err.value).startswith("bad.toml: x")


def test_the_engine_never_imports_the_pictures():
    for path in (ROOT / "src" / "sijcoach" / "engine").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.startswith("sijcoach.illustrate") for n in names), path.name


# Thumbnails (the library's squares): the end position framed on its own. Its longest side fills this
# share of the frame's longest side, so that no figure is drawn small beside the others.
THUMB_FILL = (0.75, 0.92)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_thumbnail_figure_fills_a_similar_share_of_its_frame(slug):
    markup = frame_svg(slug, "end", tight=True)
    width, height = map(int, re.search(r'viewBox="0 0 (\d+) (\d+)"', markup).groups())
    p = scene(slug).at_frame("end")
    xs, ys = [v[0] for v in p.values()], [v[1] for v in p.values()]
    body = max(max(xs) - min(xs), max(ys) - min(ys)) + LIMB
    assert THUMB_FILL[0] <= body * SCALE / max(width, height) <= THUMB_FILL[1]
    assert re.search(r'viewBox="0 0 (\d+) (\d+)"', frame_svg(slug, "end", "left", tight=True)).groups() \
        == (str(width), str(height))  # the left side's mirror is framed the same
