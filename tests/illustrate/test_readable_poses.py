"""Shapes a person reads at a glance: the end positions of poses that once read wrongly."""

import math

from sijcoach.illustrate.body import FOREARM, UPPER_ARM
from sijcoach.illustrate.scene import scene


def _end(slug):
    return scene(slug).at_frame("end")


def test_childs_pose_sits_back_on_the_heels_folded_forward():
    p = _end("childs-pose")
    assert p["near_knee"][1] < 0.03 and p["near_toe"][1] < 0.03  # kneeling, feet on the mat
    assert p["hip"][1] > 0.18  # hips high over the heels, not on the floor
    assert p["near_ankle"][0] < p["hip"][0] < p["near_knee"][0]  # hips over the shins
    assert p["head"][1] < 0.07 and p["head"][0] > p["near_knee"][0]  # forehead on the mat in front
    assert p["near_hand"][0] > p["head"][0] and p["near_wrist"][1] < 0.03  # arms forward on the mat


def test_pigeon_front_knee_forward_back_leg_long_behind_hands_down():
    p = _end("pigeon-pose")
    assert p["near_knee"][0] > p["hip"][0] + 0.2 and p["near_knee"][1] < 0.03  # front knee forward
    assert p["near_ankle"][0] < p["near_knee"][0] - 0.1  # shin folded back toward the hips
    assert p["far_toe"][0] < p["hip"][0] - 0.6 and p["far_toe"][1] < 0.03  # back leg long behind
    assert p["near_wrist"][1] < 0.03


def test_upward_dog_straight_arms_chest_up_hips_low():
    p = _end("upward-dog")
    assert math.dist(p["near_shoulder"][:2], p["near_wrist"][:2]) > 0.98 * (UPPER_ARM + FOREARM)
    assert p["near_shoulder"][1] > 0.3 and p["hip"][1] < 0.16
    assert p["near_wrist"][1] < 0.03 and p["near_toe"][1] < 0.03


def test_cat_rounds_up_and_cow_dips():
    sc = scene("cat-cow")
    cat, cow = sc.at_frame("end"), sc.at_frame("arch")
    assert cat["waist"][1] > max(cat["hip"][1], cat["neck"][1]) + 0.01 and cat["head"][1] < cat["neck"][1] - 0.05
    assert cow["waist"][1] < min(cow["hip"][1], cow["neck"][1]) - 0.01 and cow["head"][1] > cow["neck"][1] + 0.05
    for p in (cat, cow):  # hands stay under the shoulders
        assert abs(p["near_wrist"][0] - p["near_shoulder"][0]) < 0.15


def test_bridges_lift_the_hips_well_off_the_mat():
    for slug in ("glute-bridge", "single-leg-bridge"):
        assert _end(slug)["hip"][1] > 0.18, slug
