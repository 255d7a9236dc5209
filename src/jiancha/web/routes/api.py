"""The JSON API under ``/api/``: the pages' data and actions for scripts and other systems.

Authenticate with the session cookie (plus ``X-CSRF-Token`` on POST) or with
``Authorization: Bearer <token>`` from ``POST /api/token``. Errors always have
the shape ``{"ok": false, "error": {"code", "message"}}``: 401 without a valid
session or token, 403 outside the user's rights.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from jiancha.clues import ClueDetail, ClueFilter, ClueView, Dashboard, Page
from jiancha.clues.views import FunnelRow, RunView
from jiancha.documents.content import KINDS
from jiancha.web import labels, service, suggestions, users
from jiancha.web.auth import CurrentUser
from jiancha.web.csrf import csrf_protect
from jiancha.web.errors import error_body
from jiancha.web.lineage import Lineage
from jiancha.web.params import clue_filter
from jiancha.web.users import Account

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "ok": {"type": "boolean", "const": False},
        "error": {
            "type": "object",
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            "required": ["code", "message"],
        },
    },
    "required": ["ok", "error"],
    "example": error_body("forbidden", "用户 x（检察官）无权查看其他检察院的线索。"),
}
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    for status, text in {
        400: "请求无效 (bad request)",
        401: "未登录或令牌无效 (no valid session or token)",
        403: "无权 (outside the user's rights)",
        404: "不存在 (not found)",
        409: "工作流不允许 (workflow conflict)",
        413: "请求内容过大 (request body too large)",
        422: "参数无效 (invalid parameters)",
        429: "请求过于频繁，见 Retry-After (rate limited; see Retry-After)",
    }.items()
}

router = APIRouter(prefix="/api", tags=["api"], dependencies=[Depends(csrf_protect)], responses=ERRORS)


class Me(BaseModel):
    name: str
    role: str
    office: str


class ActionRequest(BaseModel):
    reason: str = Field(min_length=1, description="理由（记入审计日志）")


class SuggestionRequest(BaseModel):
    urgent: bool = Field(
        False, description="情况紧急：公益诉讼检察建议十五日回复；其他类型须同时给出 reply_by"
    )
    kind: Literal[KINDS] | None = Field(  # type: ignore[valid-type]
        None, description="public_interest / social_governance / correcting_illegality；默认按模型业务条线"
    )
    reply_by: date | None = Field(
        None, description="紧急的社会治理、纠正违法检察建议由检察官确定的回复期限（今天之后、两个月以内）"
    )
    confirm_unverified: bool = Field(
        False,
        description="检察官已核对未经核实的法律条文并确认引用（连同用户与条文编号记入审计日志）；否则这些条文不写入文书",
    )


class UnverifiedProvision(BaseModel):
    key: str = Field(description="条文编号")
    citation: str = Field(description="引用形式，如 《再生资源回收管理办法》第七条")
    summary: str = Field(description="条文要旨")


class IssuedDocument(BaseModel):
    document_no: str = Field(description="文号，如 雄检行公建〔2025〕1号")
    reply_due: date = Field(description="答复期限（两个月；紧急时公益诉讼十五日，其他为检察官确定的日期）")
    download_url: str = Field(description="GET 此地址下载 .docx")
    unverified_provisions: list[UnverifiedProvision] = Field(
        default_factory=list, description="文书本应引用、但尚未核实的条文"
    )
    unverified_cited: bool = Field(False, description="这些条文是否经确认写入文书（否则已略去）")


class AssignRequest(BaseModel):
    assignee: str | None = Field(description="承办人用户名；null 为取消指派")
    reason: str = ""


class MoveRequest(BaseModel):
    office: str = Field(min_length=1, description="检察院全称或简称")
    reason: str = Field(min_length=1)


@router.get("/me", summary="当前用户 (the signed-in user)")
def me(user: CurrentUser) -> Me:
    return Me(name=user.name, role=user.role.value, office=user.office)


@router.get("/clues", summary="线索列表 (filtered, searched, paginated)")
def clues(
    request: Request,
    user: CurrentUser,
    flt: Annotated[ClueFilter, Depends(clue_filter)],
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Page:
    return service.list_clues(request.app.state.store, user, flt, page, size)


@router.get("/clues/{clue_id}", summary="一条线索：证据行、办理记录、检察建议 (one clue in full)")
def clue(request: Request, user: CurrentUser, clue_id: str) -> ClueDetail:
    return service.clue_detail(request.app.state.store, user, clue_id)


@router.post("/clues/{clue_id}/actions/{action}", summary="办理：执行一个工作流操作 (take a workflow action)")
def clue_action(
    request: Request, user: CurrentUser, clue_id: str, action: str, body: ActionRequest
) -> ClueView:
    return service.act(request.app.state.store, user, clue_id, action, body.reason)


@router.post(
    "/clues/{clue_id}/suggestion",
    summary="制发检察建议书：编文号、改状态、生成 .docx (issue the suggestion)",
)
def clue_suggestion(
    request: Request, user: CurrentUser, clue_id: str, body: SuggestionRequest
) -> IssuedDocument:
    state = request.app.state
    issued = suggestions.issue(
        state.store,
        state.config,
        state.catalog,
        user,
        clue_id,
        urgent=body.urgent,
        kind=body.kind,
        reply_by=body.reply_by,
        confirm_unverified=body.confirm_unverified,
    )
    url = suggestions.download_url(clue_id, issued.document_no, api=True)
    return IssuedDocument(
        document_no=issued.document_no,
        reply_due=issued.reply_due,
        download_url=url,
        unverified_provisions=[
            UnverifiedProvision(key=p.key, citation=p.citation, summary=p.summary) for p in issued.unverified
        ],
        unverified_cited=issued.confirmed,
    )


@router.get(
    "/clues/{clue_id}/suggestion/draft",
    summary="检察建议书草稿（不编号、不改状态）(a draft .docx)",
    response_class=FileResponse,
)
def clue_suggestion_draft(
    request: Request,
    user: CurrentUser,
    clue_id: str,
    urgent: bool = False,
    kind: Annotated[Literal[KINDS] | None, Query()] = None,  # type: ignore[valid-type]
    reply_by: date | None = None,
    confirm_unverified: bool = False,
) -> FileResponse:
    state = request.app.state
    return suggestions.draft(
        state.store,
        state.catalog,
        user,
        clue_id,
        urgent=urgent,
        kind=kind,
        reply_by=reply_by,
        confirm_unverified=confirm_unverified,
    )


@router.get(
    "/clues/{clue_id}/suggestions/{document_no}",
    summary="下载已制发的检察建议书 (download an issued suggestion)",
    response_class=FileResponse,
)
def clue_suggestion_file(request: Request, user: CurrentUser, clue_id: str, document_no: str) -> FileResponse:
    state = request.app.state
    return suggestions.document(state.store, state.config, user, clue_id, document_no)


@router.post("/clues/{clue_id}/assign", summary="指派承办人 (assign)")
def clue_assign(request: Request, user: CurrentUser, clue_id: str, body: AssignRequest) -> ClueView:
    return service.assign(request.app.state.store, user, clue_id, body.assignee, body.reason)


@router.post("/clues/{clue_id}/move", summary="移送其他检察院 (move to another office)")
def clue_move(request: Request, user: CurrentUser, clue_id: str, body: MoveRequest) -> ClueView:
    return service.move(request.app.state.store, user, clue_id, body.office, body.reason)


@router.get("/dashboard", summary="总览统计与成效漏斗 (dashboard aggregates)")
def dashboard(request: Request, user: CurrentUser) -> Dashboard:
    return service.dashboard(request.app.state.store, user)


class DigestClue(BaseModel):
    clue_id: str
    subject_id: str
    period: str | None
    due_on: str | None = Field(description="答复期限（仅 due、overdue）")


class DigestOut(BaseModel):
    office: str
    model_id: str
    model_title: str
    new: list[DigestClue] = Field(description="新增线索")
    changed: list[DigestClue] = Field(description="证据有更新")
    superseded: list[DigestClue] = Field(description="已不成立")
    due: list[DigestClue] = Field(description="答复即将到期（七日内）")
    overdue: list[DigestClue] = Field(description="答复已逾期")


class Notifications(BaseModel):
    since: date
    digests: list[DigestOut]


@router.get(
    "/notifications", summary="线索动态：按检察院与模型 (clue news since a day, per office and model)"
)
def notifications(request: Request, user: CurrentUser, since: date | None = None) -> Notifications:
    store = request.app.state.store
    day = service.digest_since(store, since)
    titles = labels.model_titles(request.app.state.catalog)
    return Notifications(
        since=day,
        digests=[
            DigestOut(**d.as_json(), model_title=titles.get(d.model_id, d.model_id))
            for d in service.digests(store, user, day)
        ],
    )


class ModelSummary(BaseModel):
    id: str
    title: str
    supervision_point: str
    business_line: str
    effectiveness: FunnelRow | None


class ProvisionOut(BaseModel):
    """A provision the model cites, as the legal-basis catalogue holds it."""

    key: str
    citation: str
    text: str
    summary: str
    verified: bool


class ModelDetail(BaseModel):
    spec: dict[str, Any]
    effectiveness: FunnelRow | None
    runs: list[dict[str, Any]]
    provisions: list[ProvisionOut]


@router.get("/models", summary="监督模型及其成效 (models and their effectiveness)")
def models(request: Request, user: CurrentUser) -> list[ModelSummary]:
    funnel = service.effectiveness(request.app.state.store)
    return [
        ModelSummary(
            id=m.id,
            title=m.spec.title.text(),
            supervision_point=m.spec.supervision_point,
            business_line=m.spec.business_line,
            effectiveness=funnel.get(m.id),
        )
        for m in request.app.state.catalog.models.values()
    ]


@router.get("/models/{model_id}", summary="一个模型：规格、成效、运行记录 (one model with its runs)")
def model(request: Request, user: CurrentUser, model_id: str) -> ModelDetail:
    store = request.app.state.store
    found = service.model(request.app.state.catalog, model_id)
    runs = [
        {"run_id": run.run_id, "started_at": run.started_at, **m}
        for run, m in service.model_runs(store, model_id)
    ]
    return ModelDetail(
        spec=found.spec.model_dump(mode="json"),
        effectiveness=service.effectiveness(store).get(model_id),
        runs=runs,
        provisions=[
            ProvisionOut(key=p.key, citation=p.citation, text=p.text, summary=p.summary, verified=p.verified)
            for p in service.provisions(request.app.state.catalog, store, model_id)
        ],
    )


@router.get("/datasets", summary="数据接入：当前版本、导入记录、拒收行 (lineage and rejections)")
def datasets(request: Request, user: CurrentUser, dataset: str | None = None) -> Lineage:
    state = request.app.state
    return service.lineage(state.config, user, state.store.today(), dataset or None)


class NewUser(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    role: str = Field(description="leadership / prosecutor / data_officer / administrator")
    office: str = Field(min_length=1, description="检察院全称或简称")
    password: str = Field(
        description="至少 12 个字符，不得是常见或泄露的密码 (12+ characters, not a common or breached one)"
    )


class Activation(BaseModel):
    active: bool


@router.get("/users", summary="用户列表（管理员）(accounts, administrators only)")
def user_list(request: Request, user: CurrentUser) -> list[Account]:
    return users.accounts(request.app.state.store, user)


@router.post("/users", summary="添加用户（管理员）(add an account)")
def user_add(request: Request, user: CurrentUser, body: NewUser) -> list[Account]:
    users.create_account(request.app.state.store, user, body.name, body.role, body.office, body.password)
    return users.accounts(request.app.state.store, user)


@router.post("/users/{name}/active", summary="停用或启用用户（管理员）(disable or enable)")
def user_active(request: Request, user: CurrentUser, name: str, body: Activation) -> list[Account]:
    users.set_active(request.app.state.store, user, name, body.active)
    return users.accounts(request.app.state.store, user)


@router.get("/runs", summary="运行记录 (run history)")
def runs(
    request: Request, user: CurrentUser, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> tuple[RunView, ...]:
    return service.runs(request.app.state.store, user, limit)
