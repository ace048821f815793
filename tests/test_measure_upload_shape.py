"""The page's upload form is read only in the shape a browser sends it.

Found by the attacker's fourth round: a 9.7 MB form of 180,000 tiny parts held the
server for 40 s in the standard library's MIME parser, and a form nested 3,000 deep
ended in a RecursionError (HTTP 500). Both are refused on the bytes, before parsing.
"""

from __future__ import annotations

import pytest

from legpress_diag.web.measured import MAX_FORM_PARTS, read_upload
from legpress_diag.web.problems import RequestProblem

TYPE = "multipart/form-data; boundary=bnd"


def form(*parts: bytes) -> bytes:
    return b"".join(b"--bnd\r\n" + part + b"\r\n" for part in parts) + b"--bnd--\r\n"


def file_part(name: str = "film", data: bytes = b'{"frames": []}') -> bytes:
    return (
        f'Content-Disposition: form-data; name="{name}"; filename="set.json"\r\n'
        "Content-Type: application/json\r\n\r\n"
    ).encode() + data


def field(name: str) -> bytes:
    return f'Content-Disposition: form-data; name="{name}"\r\n\r\nx'.encode()


def test_the_page_s_form_is_read() -> None:
    upload = read_upload(form(file_part()), TYPE)
    assert upload.filename == "set.json" and upload.data == b'{"frames": []}'


def test_up_to_the_limit_of_parts_the_form_is_read() -> None:
    extra = [field(f"f{i}") for i in range(MAX_FORM_PARTS - 1)]
    assert read_upload(form(*extra, file_part()), TYPE).filename == "set.json"


def test_one_part_more_is_refused_before_parsing() -> None:
    extra = [field(f"f{i}") for i in range(MAX_FORM_PARTS)]
    with pytest.raises(RequestProblem, match=f"{MAX_FORM_PARTS + 1} parts"):
        read_upload(form(*extra, file_part()), TYPE)


def test_a_form_of_many_tiny_parts_is_refused() -> None:
    body = form(*[field("x")] * 180_000)
    with pytest.raises(RequestProblem, match="180000 parts"):
        read_upload(body, TYPE)


def test_a_form_inside_a_part_is_refused() -> None:
    inner = b"Content-Type: multipart/mixed; boundary=in\r\n\r\n--in\r\n\r\nx\r\n--in--"
    with pytest.raises(RequestProblem, match="form inside a part"):
        read_upload(form(inner, file_part()), TYPE)


def test_a_form_without_a_boundary_is_refused() -> None:
    with pytest.raises(RequestProblem, match="no boundary"):
        read_upload(form(file_part()), "multipart/form-data")
