"""The service answers health checks with the real artifact loaded."""

from flask.testing import FlaskClient


def test_healthz(client: FlaskClient) -> None:
    """Liveness answers the documented body."""
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})
