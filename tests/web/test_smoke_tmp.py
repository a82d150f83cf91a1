import pytest
from django.urls import reverse

def test_pages_render(alice_client):
    for name in ["today", "progress", "library", "settings", "account", "history"]:
        r = alice_client.get(reverse(name))
        assert r.status_code == 200, (name, r.content[:2000])
    r = alice_client.get(reverse("session", args=[0]))
    assert r.status_code == 200
    r = alice_client.get("/exercises/bird-dog/")
    assert r.status_code == 200

def test_session_round_trip(alice_client, alice):
    import json
    from conftest import session_payload
    r = alice_client.post(reverse("session_finish", args=[0]), json.dumps(session_payload()), content_type="application/json")
    assert r.status_code == 200, r.content
    r = alice_client.post(reverse("session_swap"), json.dumps({"exercise": "bird-dog", "pain": 7, "excluded": []}), content_type="application/json")
    assert r.status_code == 200, r.content
    print(r.json())
    for name in ["today", "progress"]:
        assert alice_client.get(reverse(name)).status_code == 200
    r = alice_client.post(reverse("session_finish", args=[0]), json.dumps({"pain_after": 11, "items": [{"exercise": "bird-dgo"}]}), content_type="application/json")
    print(r.json())
    assert r.status_code == 422
