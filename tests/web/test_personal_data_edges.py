"""Personal data at the web app's edges: error pages, API errors and logs show it masked."""

from __future__ import annotations

import logging

from jiancha.clues.masking import PersonalDataFilter, mask_logs
from web.conftest import ID_NUMBER

MASKED = "130632********1234"


def test_an_error_page_and_an_api_error_mask_an_id_number_they_quote(client_for):
    client = client_for("xiong_p")
    api = client.get(f"/api/clues/{ID_NUMBER}")
    assert api.status_code == 404 and ID_NUMBER not in api.text and MASKED in api.text
    page = client.get(f"/clues/{ID_NUMBER}")  # (the layout's language link repeats the URL typed)
    assert page.status_code == 404 and f"没有编号为 {MASKED} 的线索" in page.text


def test_the_app_masks_its_logs_including_uvicorns_positional_access_lines(app, caplog):
    """create_app put the filter on the handlers; an access line keeps its positional arguments."""
    from uvicorn.logging import AccessFormatter

    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/clues?text={ID_NUMBER}", "1.1", 200), None,
    )  # fmt: skip
    assert PersonalDataFilter().filter(record)
    line = AccessFormatter("%(client_addr)s %(request_line)s %(status_code)s", use_colors=False).format(
        record
    )
    assert ID_NUMBER not in line and f"/clues?text={MASKED}" in line
    handler = logging.StreamHandler()
    logging.getLogger("uvicorn.access").addHandler(handler)
    try:
        mask_logs("uvicorn.access")
        assert any(isinstance(f, PersonalDataFilter) for f in handler.filters)
    finally:
        logging.getLogger("uvicorn.access").removeHandler(handler)


def test_a_traceback_in_a_log_is_masked(caplog):
    caplog.handler.addFilter(PersonalDataFilter())
    log = logging.getLogger("jiancha.test")
    try:
        raise ValueError(f"bad id {ID_NUMBER}, phone 13912345678")
    except ValueError:
        log.exception("could not read %s", ID_NUMBER)
    assert ID_NUMBER not in caplog.text and "13912345678" not in caplog.text
    assert f"could not read {MASKED}" in caplog.text and "139******78" in caplog.text
