"""API bearer tokens: the user's name signed with the app's key and a timestamp (itsdangerous).

A script signs in once (``POST /api/token``) and sends ``Authorization: Bearer …``;
the token expires after ``WebConfig.token_max_age`` and names the user, whose
role and office are looked up afresh on every request.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "jiancha.api-token"


class TokenSigner:
    """Issues and checks bearer tokens for one app instance."""

    def __init__(self, secret_key: str, max_age: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt=SALT)
        self.max_age = max_age

    def issue(self, user_name: str) -> str:
        return self._serializer.dumps({"u": user_name})

    def user_name(self, token: str) -> str | None:
        """The user a valid, unexpired token names; None for anything else."""
        try:
            payload = self._serializer.loads(token, max_age=self.max_age)
        except BadSignature:
            return None
        return payload.get("u") if isinstance(payload, dict) else None
