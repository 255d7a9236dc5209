"""Sending digests: e-mail over SMTP and signed JSON webhooks, each cut to its office.

Configured in the workspace's ``jiancha.toml``::

    [notify.smtp]
    host = "mail.example.gov.cn"
    port = 25
    sender = "jiancha@example.gov.cn"
    starttls = false
    user = ""                       # sign in when given; the password comes from password_env
    password_env = "JIANCHA_SMTP_PASSWORD"

    [[notify.email]]
    to = "xiongxian@example.gov.cn"
    office = "雄县人民检察院"          # full or short name; "*" for every office

    [[notify.webhook]]
    url = "https://hooks.example.gov.cn/jiancha"
    office = "*"
    secret_env = "JIANCHA_WEBHOOK_SECRET"

Each recipient is given only the digests of its office ("*": all, for the leadership).
A webhook body is JSON; its ``X-Jiancha-Signature`` header is ``sha256=`` and the
HMAC-SHA256 of the body under the shared secret, so the receiver can check it came
from here. Secrets are read from the environment, never from the file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from functools import partial
from typing import Any

from jiancha.clues.digest import Digest
from jiancha.errors import WorkspaceError
from jiancha.i18n import tr

SIGNATURE_HEADER = "X-Jiancha-Signature"
ALL_OFFICES = "*"


@dataclass(frozen=True)
class Delivery:
    """Where one recipient's digests went, for the command's report."""

    channel: str  # email | webhook
    target: str
    digests: int


def sign(secret: str, body: bytes) -> str:
    """The signature header value of a webhook body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def for_office(digests: Sequence[Digest], office: str) -> list[Digest]:
    """The digests a recipient of ``office`` may see (every office's for ``*``)."""
    return [d for d in digests if office == ALL_OFFICES or d.office == office]


def _secret(entry: Mapping[str, Any], key: str, what: str) -> str:
    name = entry.get(key)
    value = os.environ.get(name) if name else None
    if not value:
        raise WorkspaceError(
            tr(
                f"jiancha.toml 中{what}的 {key} 未指定环境变量，或环境变量 {name} 为空。",
                f"{what}: {key} in jiancha.toml names no environment variable, or {name} is empty.",
            )
        )
    return value


def digest_text(digests: Sequence[Digest], since: date, titles: Mapping[str, str]) -> str:
    """The e-mail body: every digest's lines under a heading naming the period."""
    lines = [tr(f"自 {since} 起的线索动态", f"Clue news since {since}"), ""]
    for d in digests:
        lines += [*d.lines(titles.get(d.model_id)), ""]
    return "\n".join(lines)


def send_email(smtp: Mapping[str, Any], to: str, subject: str, body: str) -> None:
    """One message over the configured SMTP server."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = smtp.get("sender", "jiancha@localhost"), to, subject
    message.set_content(body)
    with smtplib.SMTP(smtp.get("host", "127.0.0.1"), int(smtp.get("port", 25)), timeout=30) as client:
        if smtp.get("starttls"):
            client.starttls()
        if smtp.get("user"):
            client.login(smtp["user"], _secret(smtp, "password_env", "[notify.smtp]"))
        client.send_message(message)


def post_webhook(url: str, secret: str, payload: Mapping[str, Any]) -> int:
    """POST the payload as signed JSON; the HTTP status of the reply."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", SIGNATURE_HEADER: sign(secret, body)},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # the operator's own URL
        return int(response.status)


def deliver(
    digests: Sequence[Digest],
    config: Mapping[str, Any],
    since: date,
    titles: Mapping[str, str],
    office_named: Callable[[str], str],
) -> list[Delivery]:
    """Send each configured recipient its office's digests (none sent when it has none).

    Every recipient's settings are checked before anything is sent, so a typo in the third
    recipient does not leave the first two told and a re-run telling them twice."""
    notify = config.get("notify", {})
    subject = tr(f"检察监督线索动态（自 {since} 起）", f"Clue news since {since}")
    smtp = notify.get("smtp", {})
    if smtp.get("user"):
        _secret(smtp, "password_env", "[notify.smtp]")
    planned: list[tuple[Delivery, Callable[[], object]]] = []
    for entry in notify.get("email", []):
        to = _target(entry, "to", "[[notify.email]]")
        mine = for_office(digests, _office(entry, office_named))
        if mine:
            text = digest_text(mine, since, titles)
            planned.append(
                (
                    Delivery("email", to, len(mine)),
                    partial(send_email, smtp, to, subject, text),
                )
            )
    for entry in notify.get("webhook", []):
        url = _target(entry, "url", "[[notify.webhook]]")
        secret = _secret(entry, "secret_env", "[[notify.webhook]]")
        mine = for_office(digests, _office(entry, office_named))
        if mine:
            payload = {"since": since.isoformat(), "digests": [d.as_json() for d in mine]}
            planned.append(
                (
                    Delivery("webhook", url, len(mine)),
                    partial(post_webhook, url, secret, payload),
                )
            )
    done: list[Delivery] = []
    for delivery, send in planned:
        try:
            send()
        except (OSError, smtplib.SMTPException) as exc:  # URLError and HTTPError are OSErrors
            sent = "、".join(d.target for d in done) or tr("无", "none")
            raise WorkspaceError(
                tr(
                    f"通知未能送达 {delivery.target}（{type(exc).__name__}: {exc}）；已送达：{sent}。"
                    "请检查 jiancha.toml 的 [notify] 设置与网络后重试。",
                    f"The notification to {delivery.target} failed ({type(exc).__name__}: {exc}); "
                    f"already sent: {sent}. Check [notify] in jiancha.toml and the network, then retry.",
                )
            ) from exc
        done.append(delivery)
    return done


def _target(entry: Mapping[str, Any], key: str, table: str) -> str:
    """A recipient's address or URL, required: a sentence naming the table, not a KeyError."""
    value = entry.get(key)
    if not value:
        raise WorkspaceError(
            tr(
                f"jiancha.toml 的 {table} 中有一项缺少 {key}；请写明后重试。",
                f"An entry of {table} in jiancha.toml has no {key}; add it and retry.",
            )
        )
    return str(value)


def _office(entry: Mapping[str, Any], office_named: Callable[[str], str]) -> str:
    """A recipient's office, by full or short name (``*`` for all); required, so no one is told
    of another office's clues by a missing setting."""
    office = entry.get("office")
    if not office:
        raise WorkspaceError(
            tr(
                f"jiancha.toml 的通知收件人 {entry.get('to') or entry.get('url')} 没有 office；"
                '请写明所属检察院（全部检察院写 "*"）。',
                f"The notification recipient {entry.get('to') or entry.get('url')} in jiancha.toml has "
                'no office; name its office ("*" for all).',
            )
        )
    return office if office == ALL_OFFICES else office_named(office)
