"""Byte-level facts about a file: its sha256 and, for CSV, its text encoding.

Chinese office software exports CSV as GB18030/GBK by default, DuckDB reads
UTF-8 only, and a garbled name would silently break entity linkage; so every
CSV is checked in one streaming pass (hashing at the same time) and, when it is
not UTF-8, transcoded to a temporary UTF-8 file in chunks. Incremental decoders
carry a multi-byte character split across a chunk boundary into the next chunk.
UTF-16 and binary files, and files of another format under a .csv name
(``jiancha.ingest.sniff``), are refused with a sentence saying what to do,
rather than guessed at.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jiancha.errors import ContractError
from jiancha.i18n import tr
from jiancha.ingest.sniff import GZIP, KINDS, misnamed, sniff, truncated

CHUNK = 4 * 1024 * 1024
_CJK = re.compile("[\u4e00-\u9fff]")
Advance = Callable[[int], None]


@dataclass(frozen=True)
class FileFacts:
    """Identity of a file's bytes (for lineage) and, for CSV, how its text is encoded."""

    sha256: str
    size_bytes: int
    encoding: str | None = None
    bad_offset: int | None = None


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
        case "broken-utf-8":
            raise ContractError(
                tr(
                    f"文件 {name} 是 UTF-8 编码，但第 {facts.bad_offset} 字节处有无效字节"
                    "（文件可能损坏或混用了编码）；请修正后重新导入。",
                    f"File {name} is UTF-8 but has invalid bytes at byte {facts.bad_offset} (damaged, or "
                    "encodings mixed); fix it and ingest again.",
                )
            )
        case "binary":
            raise ContractError(
                tr(
                    f"文件 {name} 含有二进制数据（空字节或控制字符），不是文本 CSV；"
                    "请导出为 CSV 后重新导入。",
                    f"File {name} holds binary data (NUL or control bytes) and is not a text CSV; "
                    "export it as CSV again.",
                )
            )
        case code if code in KINDS:
            raise misnamed(name, KINDS[code], tr("文本 CSV", "a text CSV"))


def _kind(head: bytes) -> str | None:
    """What the first bytes say the file is, when that rules out UTF-8/GB18030 text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    found = sniff(head)
    return found.code if found is not None else None


def _undecodable(name: str, offset: int) -> ContractError:
    return ContractError(
        tr(
            f"文件 {name} 在第 {offset} 字节处既不是 UTF-8 也不是 GB18030 文本，可能是二进制文件或其他编码；"
            "请另存为 UTF-8 或 GB18030 的 CSV。",
            f"File {name} is neither UTF-8 nor GB18030 text at byte {offset}; it may be binary or in "
            "another encoding. Save it as a UTF-8 or GB18030 CSV.",
        )
    )


def plain_utf8_head(path: Path) -> bool:
    """Whether the file's first chunk is UTF-8 text (no signature of another format, no NUL byte).

    Such a file can be read as UTF-8 while the whole of it is still being checked
    (:func:`scan_csv`); a character cut off at the chunk's end does not count against it.
    """
    with path.open("rb") as fh:
        head = fh.read(CHUNK)
    if not head or _kind(head) is not None:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head)
    except UnicodeDecodeError:
        return False
    return True


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
    re-checked as GB18030 during transcoding (:func:`to_utf8`). UTF-16, other formats
    (by their signature: zip, gzip, PDF…), binary (NUL or control bytes) and damaged UTF-8
    files are named so :func:`check_text` can refuse them.
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    kind: str | None = None
    offset, bad_offset, damaged, chinese_seen = 0, None, False, False
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            if offset == 0:
                kind = _kind(chunk)
            elif kind is None and b"\x00" in chunk:
                kind = "binary"
            if bad_offset is None and kind is None:
                try:
                    text = decoder.decode(chunk)
                    chinese_seen = chinese_seen or _CJK.search(text) is not None
                except UnicodeDecodeError as exc:
                    bad_offset = offset + exc.start
                    damaged = chinese_seen or _mostly_utf8(chunk)
            offset += len(chunk)
            advance(len(chunk))
    if bad_offset is None and kind is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            bad_offset = offset
    return FileFacts(digest.hexdigest(), offset, kind or _text_kind(bad_offset, damaged), bad_offset)


def _mostly_utf8(chunk: bytes) -> bool:
    """Whether a chunk that failed strict UTF-8 is still mostly UTF-8 Chinese (so: damaged UTF-8).

    GB18030 text read as UTF-8 yields an error at almost every Chinese character
    and hardly any CJK ideographs; damaged UTF-8 yields a few errors among many.
    (Earlier chunks that held UTF-8 Chinese already settle it: GB18030 Chinese
    never survives a whole chunk of strict UTF-8 decoding.)
    """
    text = chunk.decode("utf-8", errors="replace")
    return len(_CJK.findall(text)) > text.count("\ufffd")


def _text_kind(bad_offset: int | None, damaged: bool) -> str:
    """UTF-8 if it all decoded, else broken UTF-8 or GB18030 (which :func:`to_utf8` still checks).

    Reading damaged UTF-8 as GB18030 would garble every name, so it is refused instead.
    """
    if bad_offset is None:
        return "utf-8"
    return "broken-utf-8" if damaged else "gb18030"


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


def gunzip(path: Path, target: Path, name: str, advance: Advance) -> None:
    """Decompress a gzip file into ``target``, or say it is cut off or damaged.

    ``advance`` counts the compressed bytes read, so a bar sized to the file ends full.
    """
    done = 0
    try:
        with path.open("rb") as raw, gzip.GzipFile(fileobj=raw) as src, target.open("wb") as out:
            while chunk := src.read(CHUNK):
                out.write(chunk)
                advance(raw.tell() - done)
                done = raw.tell()
    except EOFError as exc:
        size = target.stat().st_size
        detail = tr(f"解压出 {size:,} 字节后中断", f"it stops after {size:,} bytes of text")
        raise truncated(name, GZIP, detail) from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise ContractError(
            tr(
                f"文件 {name} 的 gzip 压缩数据已损坏（{exc}）；未导入，原有数据保留。请重新获取完整文件。",
                f"File {name} holds damaged gzip data ({exc}); nothing was loaded and the previous data "
                "stays. Fetch the whole file again.",
            )
        ) from exc
