"""Folding the ways a published decision may be written into one, character for character.

Decisions reach us copied from agency sites and from mirrors of them: with full-width
digits and letters (``４．５吨``, ``ＨＷ０８``), with ideographic spaces, and now and then
converted to traditional characters (``傾倒廢礦物油4.5噸``). :func:`fold` maps each such
character to the one the reader's patterns are written in, and never changes the length
of the text, so a position found in the folded text quotes the original exactly.
"""

from __future__ import annotations

#: Traditional characters the reader's vocabulary uses, each paired with its simplified form.
_TRADITIONAL_PAIRS = (
    "廢废 險险 處处 傾倾 棄弃 燒烧 轉转 賣卖 給给 資资 質质 許许 證证 營营 煉炼 貯贮 儲储 暫暂 無无 "
    "計计 劃划 記记 錄录 臺台 賬账 設设 費费 滲渗 監监 測测 數数 據据 偽伪 擾扰 備备 儀仪 統统 "
    "釋释 樣样 頭头 鉛铅 鎘镉 鉻铬 鉈铊 銻锑 鎳镍 銅铜 鋅锌 銀银 釩钒 錳锰 鈷钴 噸吨 萬万 億亿 "
    "銷销 售售 貨货 價价 認认 額额 僞伪 劣劣 採采 礦矿 區区 範范 圍围 農农 畝亩 頃顷 經经 當当 "
    "單单 廠厂 將将 於于 後后 與与 為为 這这 個个 並并 們们 說说 對对 從从 來来 時时 間间 裡里 "
    "裏里 點点 號号 罰罚 決决 書书 環环 執执 態态 違违 規规 條条 濃浓 標标 準准 總总 氮氮 氨氨 "
    "學学 需需 懸悬 浮浮 磷磷 製制 鑒鉴 鑑鉴 鏈链 線线 場场 內内 車车 運运 輸输 權权 價价 較较 "
    "約约 餘余 計计 結结 總总 擅擅 雜杂 類类 產产 業业 務务 發发 現现 檢检 查查 詢询 問问 筆笔 "
    "錄录 實实 際际 總总 種种 過过 達达 機机 關关 門门 塊块 軟软 膠胶 管管 閥阀 泵泵 繞绕 離离 "
    "開开 採采 砂砂 層层 礫砾 條条 項项 倉仓 庫库 扣扣 押押 剩剩 銷销 億亿 罈坛 箱箱 袋袋 罐罐 "
    "鉀钾 鈉钠 鎂镁 鐵铁 鋁铝 氣气 煙烟 塵尘 硫硫 氧氧 碳碳 濾滤 淨净 餾馏 殘残 渣渣 蓄蓄 電电 "
    "池池 瓶瓶 袋袋 溶溶 劑剂 漆漆 墨墨 乳乳 液液 酸酸 鹼碱 鹹咸 觸触 媒媒 盤盘 體体 積积 密密 "
    "度度 每每 重重 淨净 約约 級级 佔占 佈布 建建 硬硬 築筑 窯窑 墳坟 壞坏 種种 園园 圍围 積积 "
    "擬拟 劃划 待待 申申 報报 聯联 單单 移移 送送 公公 安安 拘拘 留留 鑑鉴 測测 污污 染染 頓顿 "
    "屬属 稱称 壓压 溝沟 護护 鄉乡 鎮镇 縣县 陽阳 臨临 僅仅 兩两 幾几 漿浆 瀝沥 濾滤 灣湾 堆堆 溫温 "
    "濕湿 無无 灑洒 囗囗 傾倾 鹽盐 礬矾 鑄铸 鍍镀 鋼钢 鐵铁 鈣钙 銨铵 氫氢 類类 總总 輛辆 駛驶 貨货"
)
_FROM, _TO = zip(*(pair for pair in _TRADITIONAL_PAIRS.split()), strict=True)

#: Full-width ASCII (U+FF01–U+FF5E) maps to ASCII, the ideographic space to a space; the
#: full-width brackets, commas, colons and semicolons are Chinese punctuation and stay.
_KEEP = set("（），：；！？")
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code) not in _KEEP}
_TABLE = {**_FULL_WIDTH, 0x3000: 0x20, **{ord(a): ord(b) for a, b in zip(_FROM, _TO, strict=True)}}


def fold(text: str) -> str:
    """The text with full-width ASCII, ideographic spaces and traditional characters folded."""
    return text.translate(_TABLE)
