import json
def test_peek(client):
    body = {"target": {"role_id": "http://data.europa.eu/esco/occupation/349ee6f6-c295-4c38-9b98-48765b55280e"}, "constraints": {"hours_per_week": 10, "max_steps": 2}, "start_date": "2027-01-04"}
    r = client.post("/v1/recommendations/export?format=ctdl", json=body)
    print(json.dumps(r.get_json(force=True), indent=1)[:3500])
    r = client.post("/v1/recommendations/export?format=ics", json=body)
    print(r.get_data(as_text=True))
