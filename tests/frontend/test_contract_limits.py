"""The limits the lab's servers enforce are published to the pages (/config.json's contract), so
the playground can name them next to the field instead of blaming its model."""

from lab_contract import (
    MAX_BODY_BYTES,
    MAX_HEADER_FIELD_BYTES,
    MAX_LAB_VALUE_CHARS,
    MAX_REQUEST_LINE_BYTES,
    published_contract,
)


def test_the_servers_limits_are_published():
    assert published_contract()["limits"] == {
        "body_bytes": MAX_BODY_BYTES,
        "request_line_bytes": MAX_REQUEST_LINE_BYTES,
        "header_field_bytes": MAX_HEADER_FIELD_BYTES,
        "lab_value_chars": MAX_LAB_VALUE_CHARS,
    }
