"""The situations that rule exercises out, worked out from a person's raw answers on their own, not
through the engine's suitability code, so that a bug there cannot hide itself."""

STIFF_HISTORY = {"sedentary", "persistent_low_back_pain", "fall_on_buttocks", "arthritis"}


def forbidden(raw: dict, day_index: int) -> set[str]:
    """Situations that rule exercises out on a given plan day, derived from the raw profile."""
    out = set(raw.get("conditions", []))
    if "long_term_steroids" in out:
        out.add("osteoporosis")
    answers = raw.get("hypermobility_answers") or []
    yes, unsure = answers.count(True), answers.count(None)
    # 2 "yes" of 5; with any answer unsure, 1 "yes" among those answered (the safer reading).
    hyper = yes >= 2 or (yes >= 1 and unsure >= 1)
    age, beighton = raw["age"], raw.get("beighton_score")
    if beighton is not None and beighton >= (6 if age < 14 else 5 if age <= 50 else 4):
        hyper = True
    if hyper:
        out.add("hypermobility")
    weeks = raw.get("pregnancy_weeks")
    if weeks is not None:  # weeks move on with the calendar
        weeks = min(43 if raw["pregnancy"] == "pregnant" else 104, weeks + day_index // 7)
    if raw["pregnancy"] == "pregnant":
        out.add("pregnancy")
        if weeks is None or weeks >= 13:
            out.add("pregnancy_after_first_trimester")
    if raw["pregnancy"] == "postpartum" and (weeks is None or weeks < 6):
        out.add("postpartum_early")
    if raw["pregnancy"] == "postpartum" and (weeks is None or weeks < 12):
        out.add("postpartum_first_12_weeks")
    if raw["pregnancy"] == "postpartum" and raw.get("birth") != "vaginal" and (weeks is None or weeks < 8):
        out.add("caesarean_recovery")
    weak_bones = {"osteoporosis", "long_term_steroids"} & set(raw.get("conditions", [])) or age >= 70
    fall = raw["cause"] == "fall" and not weak_bones and "osteoporosis_minor_fall" not in raw.get("red_flags", [])
    stiff_only = (set(raw.get("history", [])) & STIFF_HISTORY or fall) and not (
        hyper or raw["pregnancy"] == "pregnant"
        or (raw["pregnancy"] == "postpartum" and (weeks is None or weeks <= 52))
        or (raw["pregnancy"] == "none" and raw["cause"] == "pregnancy")
        or set(raw.get("history", [])) & {"very_flexible", "connective_tissue_disorder", "joint_goes_out"}
    )
    if not stiff_only:
        out.add("unstable_pattern")
    if "lumbar_fusion" in raw.get("history", []):
        out.add("lumbar_fusion")
    if raw["onset_days_ago"] + day_index <= 2:
        out.add("acute")
    return out


def fracture_suspected(raw) -> bool:
    """Clinical-notes 2, worked out from the raw answers: onset in the last six weeks after a car
    accident, or after a fall with weak bones or age 70+, and no doctor has ruled a fracture out."""
    weak = {"osteoporosis", "long_term_steroids"} & set(raw.get("conditions", [])) or raw["age"] >= 70
    fall = raw["cause"] == "fall" and weak or "osteoporosis_minor_fall" in raw.get("red_flags", [])
    recent = raw["onset_days_ago"] <= 42 and not raw.get("fracture_ruled_out", False)
    return recent and (raw["cause"] == "car_accident" or bool(fall))
