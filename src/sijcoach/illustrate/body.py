"""One body: its fixed proportions, and forward kinematics from joint angles to joint positions.

Lengths are fractions of standing height (1.0). The drawing plane has x to the right, y up and z
toward the viewer. Every figure is a rotation of one canonical figure, never a reflection, so:

- side view: the figure faces along `pelvis - 90` degrees (standing upright it faces right), and
  its right side is the near side, toward the viewer;
- front and top views: the figure faces the viewer, and its right side lies at `pelvis + 90`
  degrees (standing upright, on the viewer's left).

Either way the un-mirrored drawing shows the figure's right side as the near, working side; the
mirrored drawing (see `svg.py`) is the left side.

Angles are degrees. Each joint angle moves one segment relative to its parent, in the drawing plane,
and may carry a second number: that segment's tilt out of the plane toward the viewer (absolute,
so a thigh pointing at the viewer in a front view is `[0, 60]`). A tilt shortens the drawn segment,
never the segment itself.

Signs, side view: `spine` and `neck` are forward bending; `hip`, `shoulder` flexion (the limb
swings forward); `knee` flexion; `elbow` flexion; `ankle` dorsiflexion from a foot square to the
shin. Front and top views: `spine` and `neck` bend toward the near (right) side; limb angles are
positive away from the body's midline (abduction) on both sides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class View(StrEnum):
    SIDE = "side"
    FRONT = "front"
    TOP = "top"


# Segment lengths and widths, as fractions of standing height.
LOWER_TRUNK = 0.12  # hip centre to waist
UPPER_TRUNK = 0.18  # waist to the base of the neck, between the shoulders
NECK = 0.1  # base of the neck to the centre of the head
THIGH = 0.245
SHIN = 0.245
HEEL = 0.04  # ankle joint to the sole, along the shin
FOOT = 0.15  # heel to toe
UPPER_ARM = 0.18
FOREARM = 0.15
HAND = 0.08
HIP_WIDTH = 0.13  # between the hip joints
WAIST_WIDTH = 0.15
SHOULDER_WIDTH = 0.24

# How thick things are drawn; half of each is the radius used for contacts and collisions.
LIMB = 0.05
TRUNK = 0.11
HEAD_RADIUS = 0.065

SIDES = ("near", "far")
SIDED_JOINTS = ("hip", "knee", "ankle", "shoulder", "elbow", "wrist")
AXIAL_JOINTS = ("pelvis", "spine", "neck")
ANGLE_NAMES = AXIAL_JOINTS + tuple(f"{s}_{j}" for s in SIDES for j in SIDED_JOINTS)

LEG = ("hip", "knee", "ankle", "heel", "toe")
ARM = ("shoulder", "elbow", "wrist", "hand")
POINTS = ("hip", "waist", "neck", "head") + tuple(
    f"{s}_{p}" for s in SIDES for p in LEG + ARM + ("waist",)
)

Vec = tuple[float, float, float]
Angle = tuple[float, float]  # in the drawing plane, tilt out of it


@dataclass(frozen=True)
class Segment:
    """A straight piece of the body between two named points, drawn `width` thick."""

    a: str
    b: str
    length: float
    width: float
    layer: str  # "far", "body" or "near"


def segments(view: View) -> tuple[Segment, ...]:
    """Every rigid piece of the body; the same pieces and lengths in every exercise."""
    trunk = TRUNK if view is View.SIDE else LIMB
    out = [
        Segment("hip", "waist", LOWER_TRUNK, trunk, "body"),
        Segment("waist", "neck", UPPER_TRUNK, trunk, "body"),
        Segment("neck", "head", NECK, LIMB, "body"),
    ]
    for side in SIDES:
        chains = (
            (("hip", "knee", THIGH), ("knee", "ankle", SHIN), ("ankle", "heel", HEEL), ("heel", "toe", FOOT))
            + (("shoulder", "elbow", UPPER_ARM), ("elbow", "wrist", FOREARM), ("wrist", "hand", HAND))
        )
        out += [Segment(f"{side}_{a}", f"{side}_{b}", n, LIMB, side) for a, b, n in chains]
    return tuple(out)


def radius(point: str, view: View) -> float:
    """How far the drawn body reaches around a named point (for contacts and collisions)."""
    if point == "head":
        return HEAD_RADIUS
    if point in ("hip", "waist", "neck") and view is View.SIDE:
        return TRUNK / 2
    return LIMB / 2


def _step(p: Vec, angle: float, tilt: float, length: float) -> Vec:
    a, t = math.radians(angle), math.radians(tilt)
    return (
        p[0] + length * math.cos(t) * math.cos(a),
        p[1] + length * math.cos(t) * math.sin(a),
        p[2] + length * math.sin(t),
    )


def _offset(p: Vec, angle: float, view: View, half: float) -> Vec:
    """A point half a width to the near side of `p`: toward the viewer, or across the plane."""
    if view is View.SIDE:
        return (p[0], p[1], p[2] + half)
    a = math.radians(angle + 90)
    return (p[0] + half * math.cos(a), p[1] + half * math.sin(a), p[2])


def forward(angles: dict[str, Angle], view: View) -> dict[str, Vec]:
    """Joint positions from joint angles, with the hip centre at the origin."""
    side_view = view is View.SIDE
    pelvis, pelvis_tilt = angles["pelvis"]
    axial = -1 if side_view else 1  # side view: forward bending turns clockwise
    spine, spine_tilt = angles["spine"]
    neck, neck_tilt = angles["neck"]
    chest = pelvis + axial * spine
    head = chest + axial * neck

    p: dict[str, Vec] = {"hip": (0.0, 0.0, 0.0)}
    p["waist"] = _step(p["hip"], pelvis, pelvis_tilt, LOWER_TRUNK)
    p["neck"] = _step(p["waist"], chest, spine_tilt, UPPER_TRUNK)
    p["head"] = _step(p["neck"], head, neck_tilt, NECK)
    waist_angle = (pelvis + chest) / 2
    for side in SIDES:
        near = side == "near"
        sign = -1 if near and not side_view else 1  # front views: positive is away from the midline
        out = 1 if near else -1

        def ang(joint: str) -> Angle:
            return angles[f"{side}_{joint}"]

        p[f"{side}_hip"] = _offset(p["hip"], pelvis, view, out * HIP_WIDTH / 2)
        p[f"{side}_waist"] = _offset(p["waist"], waist_angle, view, out * WAIST_WIDTH / 2)
        p[f"{side}_shoulder"] = _offset(p["neck"], chest, view, out * SHOULDER_WIDTH / 2)

        hip, hip_t = ang("hip")
        knee, knee_t = ang("knee")
        ankle, ankle_t = ang("ankle")
        thigh = pelvis + 180 + sign * hip
        shin = thigh - knee if side_view else thigh + sign * knee
        foot = shin + sign * (90 + ankle)
        p[f"{side}_knee"] = _step(p[f"{side}_hip"], thigh, hip_t, THIGH)
        p[f"{side}_ankle"] = _step(p[f"{side}_knee"], shin, knee_t, SHIN)
        p[f"{side}_heel"] = _step(p[f"{side}_ankle"], shin, knee_t, HEEL)
        p[f"{side}_toe"] = _step(p[f"{side}_heel"], foot, ankle_t, FOOT)

        shoulder, shoulder_t = ang("shoulder")
        elbow, elbow_t = ang("elbow")
        wrist, wrist_t = ang("wrist")
        upper = chest + 180 + sign * shoulder
        fore = upper + sign * elbow
        hand = fore + sign * wrist
        p[f"{side}_elbow"] = _step(p[f"{side}_shoulder"], upper, shoulder_t, UPPER_ARM)
        p[f"{side}_wrist"] = _step(p[f"{side}_elbow"], fore, elbow_t, FOREARM)
        p[f"{side}_hand"] = _step(p[f"{side}_wrist"], hand, wrist_t, HAND)
    return p
