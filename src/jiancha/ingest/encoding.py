"""Byte-level facts about a file: its sha256 and, for CSV, its text encoding.

Chinese office software exports CSV as GB18030/GBK by default, DuckDB reads
UTF-8 only, and a garbled name would silently break entity linkage; so every
CSV is checked in one streaming pass (hashing at the same time) and, when it is
not UTF-8, transcoded to a temporary UTF-8 file in chunks. Incremental decoders
carry a multi-byte character split across a chunk boundary into the next chunk.
UTF-16 and binary files are refused with a sentence saying what to do, rather
than guessed at.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jiancha.errors import ContractError
from jiancha.i18n import tr

CHUNK = 4 * 1024 * 1024
Advance = Callable[[int], None]


@dataclass(frozen=True)
class FileFacts:
    """Identity of a file's bytes (for lineage) and, for CSV, how its text is encoded."""

    sha256: str
    size_bytes: int
    encoding: str | None = None


def check_text(name: str, facts: FileFacts) -> None:
    """Refuse a CSV whose bytes are not UTF-8 or GB18030 text, saying what to do instead."""
    match facts.encoding:
        case "utf-16":
            raise ContractError(
                tr(
                    f"文件 {name} 是 UTF-16 编码，不是契约允许的编码；请另存为 UTF-8 或 GB18030 的 CSV"
                    "（Excel：另存为“CSV UTF-8（逗号分隔）”）。",
                    f"File {name} is UTF-16 encoded, which the contract does not allow; save it as a "
                    "UTF-8 or GB18030 CSV (Excel: Save As 'CSV UTF-8 (Comma delimited)').",
                )
            )
        case "zip":
            raise ContractError(
                tr(
                    f"文件 {name} 实际是 xlsx/zip 文件，只是扩展名为 .csv；请把扩展名改为 .xlsx。",
                    f"File {name} is really an xlsx/zip file named .csv; rename it to .xlsx.",
                )
            )
        case "binary":
            raise ContractError(
                tr(
                    f"文件 {name} 含有二进制数据（空字节），不是文本 CSV；请导出为 CSV 后重新导入。",
                    f"File {name} holds binary data (NUL bytes) and is not a text CSV; "
                    "export it as CSV again.",
                )
            )


def _kind(head: bytes) -> str | None:
    """What the first bytes say the file is, when that rules out CSV text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _undecodable(name: str, offset: int) -> ContractError:
    return ContractError(
        tr(
            f"文件 {name} 在第 {offset} 字节处既不是 UTF-8 也不是 GB18030 文本，可能是二进制文件或其他编码；"
            "请另存为 UTF-8 或 GB18030 的 CSV。",
            f"File {name} is neither UTF-8 nor GB18030 text at byte {offset}; it may be binary or in "
            "another encoding. Save it as a UTF-8 or GB18030 CSV.",
        )
    )


def hash_file(path: Path, advance: Advance) -> FileFacts:
    """sha256 and size of any file, streamed."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            advance(len(chunk))
    return FileFacts(sha256=digest.hexdigest(), size_bytes=path.stat().st_size)


def scan_csv(path: Path, advance: Advance) -> FileFacts:
    """Hash a CSV and name its encoding: ``utf-8`` (BOM or not), ``gb18030``, or what rules it out.

    The pass hashes everything and validates UTF-8 strictly; a file failing it is
    re-checked as GB18030 during transcoding (:func:`to_utf8`). UTF-16, zip and
    binary (NUL bytes) files are named so :func:`check_text` can refuse them.
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    kind: str | None = None
    utf8 = True
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            if fh.tell() == len(chunk):  # the first chunk
                kind = _kind(chunk)
            if kind is None and b"\x00" in chunk:
                kind = "binary"
            if utf8 and kind is None:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            advance(len(chunk))
    if utf8 and kind is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    encoding = kind or ("utf-8" if utf8 else "gb18030")
    return FileFacts(digest.hexdigest(), path.stat().st_size, encoding)


def to_utf8(path: Path, target: Path, advance: Advance) -> None:
    """Transcode a GB18030 file to UTF-8, chunk by chunk, or say it is not text."""
    decoder = codecs.getincrementaldecoder("gb18030")("strict")
    offset = 0
    with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as out:
        while chunk := src.read(CHUNK):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise _undecodable(path.name, offset + exc.start) from exc
            out.write(text)
            offset += len(chunk)
            advance(len(chunk))
        try:
            out.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError as exc:
            raise _undecodable(path.name, offset) from exc
