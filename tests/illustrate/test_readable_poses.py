"""Shapes a person reads at a glance: the end positions of poses that once read wrongly."""

import math

from sijcoach.illustrate.body import FOREARM, LIMB, TRUNK, UPPER_ARM, View
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


def test_the_deep_belly_draw_in_rests_the_fingertips_on_the_hip_bones_throughout():
    sc = scene("ta-drawing-in")
    for p in sc.moments:
        # The front of the pelvis, lying on the back: above the hip joint by half the trunk.
        front = (p["hip"][0], p["hip"][1] + TRUNK / 2 + LIMB / 2)
        for hand in ("near_hand", "far_hand"):
            assert math.dist(p[hand][:2], front) < 0.06, hand  # not raised in the air
        assert p["near_elbow"][1] < p["near_wrist"][1] < p["near_hand"][1] + 0.01  # forearms come up to the hips


def test_knee_rocking_is_seen_from_above_with_both_knees_to_one_side_then_the_other():
    sc = scene("knee-rocking")
    assert sc.figure.view is View.TOP
    start, end = sc.at_frame("start"), sc.at_frame("end")
    middle = start["hip"][1]
    assert start["near_knee"][1] < middle - 0.05 and start["far_knee"][1] < middle  # both to one side
    assert end["near_knee"][1] > middle and end["far_knee"][1] > middle + 0.05  # both to the other
    for side in ("near", "far"):
        assert math.dist(start[f"{side}_ankle"][:2], end[f"{side}_ankle"][:2]) < 0.02  # the feet stay put
        for p in (start, end):  # feet flat, toes pointing away from the head
            toe, heel = p[f"{side}_toe"], p[f"{side}_heel"]
            assert toe[0] - heel[0] > 0.1 and abs(toe[1] - heel[1]) < 0.03 and abs(toe[2] - heel[2]) < 0.01


def test_the_inflare_correction_is_seen_from_above_with_the_knee_falling_out_to_the_wall():
    sc = scene("inflare-correction")
    assert sc.figure.view is View.TOP
    (wall,) = [s for s in sc.surfaces if s.prop.value == "wall"]
    start, end = sc.at_frame("start"), sc.at_frame("end")

    def gap(p):
        return wall.distance(p["near_knee"]) - LIMB / 2

    assert gap(start) > 0.07  # the knee starts a hand's width from the wall
    assert abs(gap(end)) < 0.01  # and ends pressing on it
    assert math.dist(start["near_ankle"][:2], end["near_ankle"][:2]) < 0.02  # the foot stays where it was
    far = [start[f"far_{j}"] for j in ("hip", "knee", "ankle")]
    assert math.dist(far[0][:2], far[2][:2]) > 0.48  # the other leg lies straight
    # The near arm rests across the trunk, clear of the bent leg.
    assert all(wall.distance(end[f"near_{j}"]) > 0.05 for j in ("elbow", "wrist", "hand"))


def test_the_self_massage_hand_works_behind_the_low_back_then_lower():
    sc = scene("self-massage-low-back-glutes")
    start, end = sc.at_frame("start"), sc.at_frame("end")
    for p in (start, end):  # the figure faces right: behind is to the left of the trunk
        assert p["near_hand"][0] < p["waist"][0] - TRUNK / 2
        assert p["near_elbow"][0] < p["near_hand"][0]  # the elbow out behind
        assert p["hip"][1] - 0.03 < p["near_hand"][1] < p["waist"][1] + 0.03
    assert end["near_hand"][1] < start["near_hand"][1] - 0.03  # working down toward the buttock
