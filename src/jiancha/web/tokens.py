"""API bearer tokens: the user's name and session generation signed with the app's key and a timestamp.

A script signs in once (``POST /api/token``) and sends ``Authorization: Bearer …``;
the token expires after ``WebConfig.token_max_age`` and names the user, whose
role and office are looked up afresh on every request. The generation (see
``jiancha.web.auth``) lets the server end a token before it expires: signing out,
a new password or a disabled account make every older token invalid.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "jiancha.api-token"


class TokenSigner:
    """Issues and checks bearer tokens for one app instance."""

    def __init__(self, secret_key: str, max_age: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt=SALT)
        self.max_age = max_age

    def issue(self, user_name: str, generation: int) -> str:
        return self._serializer.dumps({"u": user_name, "g": generation})

    def claim(self, token: str) -> tuple[str, int] | None:
        """The user and session generation a valid, unexpired token names; None for anything else.

        Tokens issued before generations existed carry none and count as generation 0.
        """
        try:
            payload = self._serializer.loads(token, max_age=self.max_age)
        except BadSignature:
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("u"), str):
            return None
        generation = payload.get("g", 0)
        return (payload["u"], generation) if isinstance(generation, int) else None
