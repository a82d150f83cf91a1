"""Pose data: load `knowledge/poses/*.toml`, resolve shared postures and references, validate.

A file holds `[posture.NAME]` tables (angles shared by several exercises) and `[pose.SLUG]` tables,
one per exercise. See `knowledge/poses/README.md` for the fields.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from sijcoach.illustrate.body import ANGLE_NAMES, POINTS, SIDES, Angle, View
from sijcoach.knowledge import DIR as KNOWLEDGE_DIR

POSE_DIR = KNOWLEDGE_DIR / "poses"


class PoseError(Exception):
    """The pose data is inconsistent; raised at load with the file, exercise and field named."""


class PropKind(StrEnum):
    FLOOR = "floor"
    MAT = "mat"
    WALL = "wall"
    DOOR = "door"
    CHAIR = "chair"
    BALL = "ball"
    KETTLEBELL = "kettlebell"
    BAND = "band"
    WATER = "water"
    BED = "bed"
    BAR = "bar"
    CUSHION = "cushion"


@dataclass(frozen=True)
class Prop:
    """A thing the body uses. Placed at `x`, `y`, or touching point `touch` in keyframe `frame`."""

    kind: PropKind
    x: float | None = None
    y: float | None = None
    touch: str | None = None
    frame: str = "start"
    to: str | None = None  # a band's other end (a body point)
    size: float | None = None  # a ball's radius, a chair's seat height
    surface: str = ""  # which face of a chair or wall is touched: "seat", "back"; "left", "right"


@dataclass(frozen=True)
class Fit:
    """Turn the `vary` angles together, in every drawn moment, until `part` rests on `prop`."""

    vary: tuple[str, ...]
    part: str
    prop: PropKind
    frames: tuple[str, ...] = ()  # empty: every frame and the moves between them
    clear: bool = False  # only lift the part out of the prop, never pull it onto it


@dataclass(frozen=True)
class Contact:
    """`part` touches `prop`: in the listed frames, or (empty) throughout the movement."""

    part: str
    prop: PropKind
    frames: tuple[str, ...] = ()


@dataclass(frozen=True)
class Frame:
    name: str
    angles: tuple[tuple[str, Angle], ...]
    at: tuple[float, float]
    hold_s: float | None = None
    move_s: float | None = None  # time to arrive here from the previous frame

    def angle_map(self) -> dict[str, Angle]:
        return dict(self.angles)


@dataclass(frozen=True)
class Figure:
    """Everything needed to draw one exercise."""

    slug: str
    view: View
    desc: str
    anchor: str
    frames: tuple[Frame, ...]
    props: tuple[Prop, ...] = ()
    fits: tuple[Fit, ...] = ()
    contacts: tuple[Contact, ...] = ()

    def frame(self, name: str) -> Frame:
        for f in self.frames:
            if f.name == name:
                return f
        raise KeyError(f"{self.slug} has no frame {name!r}; it has {[f.name for f in self.frames]}")


_FRAME_META = {"name", "posture", "like", "at", "hold_s", "move_s"}
_POSE_KEYS = {"view", "desc", "like", "anchor", "props", "fit", "contacts", "frame"}


def _closest(word: str, allowed) -> str:
    match = difflib.get_close_matches(word, list(allowed), n=1)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _angle(value, where: str) -> Angle:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (float(value), 0.0)
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int | float) for v in value):
        return (float(value[0]), float(value[1]))
    raise PoseError(f"{where}: an angle is a number or [in_plane, tilt], not {value!r}")


def _angles(table: dict, where: str) -> dict[str, Angle]:
    """Angle keys of a table; `hip = 40` is shorthand for both `near_hip` and `far_hip`."""
    out: dict[str, Angle] = {}
    for key in sorted(table, key=lambda k: k.startswith(SIDES)):  # shorthand first, sides override
        if key in _FRAME_META:
            continue
        names = [f"{s}_{key}" for s in SIDES] if f"near_{key}" in ANGLE_NAMES else [key]
        for name in names:
            if name not in ANGLE_NAMES:
                raise PoseError(f"{where}: unknown angle {key!r}{_closest(key, ANGLE_NAMES)}")
            out[name] = _angle(table[key], f"{where}: {key}")
    return out


def _point(name, where: str) -> str:
    if name not in POINTS:
        raise PoseError(f"{where}: unknown body point {name!r}{_closest(str(name), POINTS)}")
    return name


def _kind(name, where: str) -> PropKind:
    try:
        return PropKind(name)
    except ValueError:
        raise PoseError(f"{where}: unknown prop {name!r}; allowed: {', '.join(PropKind)}") from None


class _Loader:
    def __init__(self, files: dict[str, dict]):
        self.postures: dict[str, tuple[str, dict]] = {}
        self.poses: dict[str, tuple[str, dict]] = {}
        for fname, data in files.items():
            for key in data:
                if key not in ("posture", "pose"):
                    raise PoseError(f"{fname}: unknown table [{key}]; a file holds [posture.*] and [pose.*]")
            for name, table in data.get("posture", {}).items():
                self._add(self.postures, name, fname, table, "posture")
            for slug, table in data.get("pose", {}).items():
                self._add(self.poses, slug, fname, table, "pose")

    @staticmethod
    def _add(into: dict, name: str, fname: str, table: dict, what: str) -> None:
        if name in into:
            raise PoseError(f"{fname}: {what} {name!r} is also defined in {into[name][0]}")
        into[name] = (fname, table)

    def posture(self, name: str, where: str, seen=()) -> dict[str, Angle]:
        if name not in self.postures:
            raise PoseError(f"{where}: unknown posture {name!r}{_closest(name, self.postures)}")
        if name in seen:
            raise PoseError(f"{where}: posture {name!r} refers to itself")
        fname, table = self.postures[name]
        base = self.posture(table["posture"], f"{fname}: posture {name}", (*seen, name)) if "posture" in table else {}
        return {**base, **_angles(table, f"{fname}: posture {name}")}

    def raw(self, slug: str, seen=()) -> tuple[str, dict]:
        """The pose table with `like` followed: the referenced table, overridden key by key."""
        fname, table = self.poses[slug]
        if "like" not in table:
            return fname, table
        ref = table["like"]
        if ref not in self.poses:
            raise PoseError(f"{fname}: {slug}: like {ref!r} is not a pose{_closest(ref, self.poses)}")
        if ref in seen:
            raise PoseError(f"{fname}: {slug}: like {ref!r} goes round in a circle")
        _, base = self.raw(ref, (*seen, slug))
        merged = {k: v for k, v in base.items() if k != "desc"}
        merged.update({k: v for k, v in table.items() if k != "like"})
        return fname, merged

    def figure(self, slug: str) -> Figure:
        fname, t = self.raw(slug)
        where = f"{fname}: {slug}"
        unknown = set(t) - _POSE_KEYS
        if unknown:
            key = sorted(unknown)[0]
            raise PoseError(f"{where}: unknown field {key!r}{_closest(key, _POSE_KEYS)}")
        try:
            view = View(t.get("view", "side"))
        except ValueError:
            raise PoseError(f"{where}: view must be one of {', '.join(View)}") from None
        if not t.get("desc"):
            raise PoseError(f"{where}: desc (a short plain description of the movement) is missing")
        frames = self._frames(t.get("frame", []), where)
        names = {f.name for f in frames}
        for need in ("start", "end"):
            if need not in names:
                raise PoseError(f"{where}: needs a frame named {need!r}; it has {sorted(names)}")

        def frames_of(row: dict, w: str) -> tuple[str, ...]:
            listed = tuple(row.get("frames", ()))
            for n in listed:
                if n not in names:
                    raise PoseError(f"{w}: unknown frame {n!r}; frames are {sorted(names)}")
            return listed

        props = []
        for i, row in enumerate(t.get("props", [])):
            w = f"{where}: props[{i}]"
            kind = _kind(row.get("kind"), w)
            extra = set(row) - {"kind", "x", "y", "touch", "frame", "to", "size", "surface"}
            if extra:
                raise PoseError(f"{w}: unknown field {sorted(extra)[0]!r}")
            if row.get("frame", "start") not in names:
                raise PoseError(f"{w}: unknown frame {row['frame']!r}")
            props.append(Prop(
                kind=kind, x=row.get("x"), y=row.get("y"),
                touch=_point(row["touch"], w) if "touch" in row else None,
                frame=row.get("frame", "start"),
                to=_point(row["to"], w) if "to" in row else None,
                size=row.get("size"), surface=row.get("surface", ""),
            ))
        kinds = {p.kind for p in props} | ({PropKind.FLOOR} if view is not View.TOP else set())
        fits = []
        for i, row in enumerate(t.get("fit", [])):
            w = f"{where}: fit[{i}]"
            vary = row.get("vary")
            vary = [vary] if isinstance(vary, str) else list(vary or [])
            names_ = []
            for v in vary:
                expanded = [f"{s}_{v}" for s in SIDES] if f"near_{v}" in ANGLE_NAMES else [v]
                for n in expanded:
                    if n not in ANGLE_NAMES + ("x", "y"):
                        raise PoseError(f"{w}: vary {v!r} is not an angle{_closest(v, ANGLE_NAMES)}")
                names_ += expanded
            kind = _kind(row.get("prop"), w)
            if kind not in kinds:
                raise PoseError(f"{w}: fits to {kind} but the pose has no {kind}")
            if len(names_) > 1 and {"x", "y"} & set(names_):
                raise PoseError(f"{w}: a fit shifts the body along x or y, or turns angles; not both")
            extra = set(row) - {"vary", "part", "prop", "frames", "clear"}
            if extra:
                raise PoseError(f"{w}: unknown field {sorted(extra)[0]!r}")
            fits.append(Fit(tuple(names_), _point(row.get("part"), w), kind, frames_of(row, w),
                            bool(row.get("clear", False))))
        contacts = []
        for i, row in enumerate(t.get("contacts", [])):
            w = f"{where}: contacts[{i}]"
            kind = _kind(row.get("prop"), w)
            if kind not in kinds:
                raise PoseError(f"{w}: touches {kind} but the pose has no {kind}")
            contacts.append(Contact(_point(row.get("part"), w), kind, frames_of(row, w)))
        return Figure(
            slug=slug, view=view, desc=t["desc"].strip(),
            anchor=_point(t.get("anchor", "hip"), f"{where}: anchor"),
            frames=frames, props=tuple(props), fits=tuple(fits), contacts=tuple(contacts),
        )

    def _frames(self, rows: list[dict], where: str) -> tuple[Frame, ...]:
        done: dict[str, Frame] = {}
        for i, row in enumerate(rows):
            name = row.get("name")
            w = f"{where}: frame {name or i + 1}"
            if not name:
                raise PoseError(f"{w}: a frame needs a name")
            if name in done:
                raise PoseError(f"{w}: two frames are named {name!r}")
            angles = {n: (0.0, 0.0) for n in ANGLE_NAMES}
            at = (0.0, 0.0)
            if "like" in row:
                if row["like"] not in done:
                    raise PoseError(f"{w}: like {row['like']!r} must name an earlier frame")
                angles.update(done[row["like"]].angle_map())
                at = done[row["like"]].at
            if "posture" in row:
                angles.update(self.posture(row["posture"], w))
            angles.update(_angles(row, w))
            if "at" in row:
                if not (isinstance(row["at"], list) and len(row["at"]) == 2):
                    raise PoseError(f"{w}: at is [x, y]")
                at = (float(row["at"][0]), float(row["at"][1]))
            for key in ("hold_s", "move_s"):
                if key in row and not (isinstance(row[key], int | float) and 0 <= row[key] <= 30):
                    raise PoseError(f"{w}: {key} is a number of seconds from 0 to 30")
            done[name] = Frame(
                name=name, angles=tuple((n, angles[n]) for n in ANGLE_NAMES), at=at,
                hold_s=row.get("hold_s"), move_s=row.get("move_s"),
            )
        return tuple(done.values())


def load_figures(directory: Path = POSE_DIR) -> dict[str, Figure]:
    """Read every pose file; fail loudly, naming the file, exercise and field, on any error."""
    files = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            with path.open("rb") as fh:
                files[path.name] = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise PoseError(f"{path.name}: {exc}") from exc
    loader = _Loader(files)
    return {slug: loader.figure(slug) for slug in sorted(loader.poses)}


@cache
def figures() -> dict[str, Figure]:
    """The packaged pose data, loaded once per process."""
    return load_figures()
