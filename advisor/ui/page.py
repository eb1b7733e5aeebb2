"""The page: header, the four tabs, theme and styles; restores the browser's conversation and assessment."""

from __future__ import annotations

import hashlib
import html

import gradio as gr

from advisor.service import Advisor
from advisor.storage import LOCAL_OWNER
from advisor.ui.browser_scripts import THEME_TOGGLE
from advisor.ui.chat import ChatTab
from advisor.ui.interview import ReadinessTab
from advisor.ui.knowledge import KnowledgeTab
from advisor.ui.sessions import request_owner
from advisor.ui.workspace import WorkspaceTab

TITLE = "BPO Advisor"
HEADER = (
    """
<div class="brand">
  <div class="brand-mark">B</div>
  <div><div class="brand-name">BPO Advisor</div>
  <div class="brand-tag">Grounded answers on business process outsourcing, with sources, and a readiness
  check for your company.</div></div>
"""
    + THEME_TOGGLE
    + "</div>"
)
CSS = """
.gradio-container { width: 100% !important; max-width: 1240px !important; min-width: 0 !important;
  margin: 0 auto !important; }
.notice-slot:empty, .notice-slot:has(> .html-container:empty) { display: none; }
.notice { margin: 6px 0; padding: 8px 12px; border-radius: 8px; border-left: 4px solid #d97706;
  background: var(--background-fill-secondary); font-size: 0.92rem; }
#chatbot { height: min(560px, 58vh) !important; }
#conversations .wrap { flex-direction: column; flex-wrap: nowrap; gap: 2px; max-height: 320px; overflow-y: auto; }
#conversations label { width: 100%; justify-content: flex-start; white-space: normal; line-height: 1.3;
  font-size: 0.88rem; padding: 6px 8px; }
#conversations label input[type=radio] { display: none; }
.brand { display: flex; gap: 14px; align-items: center; padding: 10px 4px 4px; }
.brand-mark { width: 42px; height: 42px; border-radius: 10px; background: linear-gradient(135deg,#4f46e5,#0ea5e9);
  color: #fff; font-weight: 700; font-size: 22px; display: flex; align-items: center; justify-content: center; }
.brand-name { font-size: 1.35rem; font-weight: 700; letter-spacing: -0.01em; }
.brand-tag { color: var(--body-text-color-subdued); font-size: 0.92rem; }
.account { text-align: right; font-size: 0.85rem; color: var(--body-text-color-subdued); }
.panel { border: 1px solid var(--border-color-primary); border-radius: 12px; padding: 12px;
  background: var(--block-background-fill); }
.intro { color: var(--body-text-color-subdued); }
.sources { margin-top: 10px; border-top: 1px solid var(--border-color-primary); padding-top: 8px; }
.sources-title { font-size: 0.78rem; text-transform: uppercase; letter-spacing: .06em; opacity: .7;
  margin-bottom: 4px; }
details.source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 6px 10px;
  margin: 4px 0; background: var(--background-fill-secondary); }
details.source summary { cursor: pointer; font-size: 0.9rem; }
.source-n { display: inline-block; min-width: 20px; height: 20px; line-height: 20px; border-radius: 10px;
  text-align: center; background: var(--color-accent); color: #fff; font-size: 0.75rem; margin-right: 4px; }
.source-body p { margin: 6px 0 2px; font-size: 0.88rem; }
.source-file { font-size: 0.75rem; opacity: .65; font-family: var(--font-mono); }
.declined { margin-top: 8px; padding: 8px 12px; border-radius: 8px; background: var(--background-fill-secondary); }
.progress-label { font-size: 0.85rem; color: var(--body-text-color-subdued); margin-bottom: 4px; }
.progress-track { height: 8px; border-radius: 4px; background: var(--background-fill-secondary); overflow: hidden; }
.progress-fill { height: 100%; background: linear-gradient(90deg,#4f46e5,#0ea5e9); transition: width .3s; }
.question h3 { margin-top: 4px !important; }
.score-card { display: flex; gap: 18px; align-items: center; padding: 14px; border-radius: 12px;
  background: var(--background-fill-secondary); }
.score-number { font-size: 2.8rem; font-weight: 700; color: var(--color-accent); line-height: 1; }
.score-number span { font-size: 1rem; opacity: .6; }
.score-band { font-size: 1.2rem; font-weight: 600; }
.score-text p { margin: 4px 0; }
.muted { color: var(--body-text-color-subdued); font-size: 0.85rem; }
.dims { display: flex; flex-direction: column; gap: 8px; padding: 8px 4px; }
.dim-row { display: grid; grid-template-columns: minmax(120px, 1.6fr) 2fr 80px; gap: 10px; align-items: center;
  font-size: 0.88rem; }
.dim-bar { height: 10px; border-radius: 5px; background: var(--background-fill-secondary); overflow: hidden; }
.dim-bar div { height: 100%; background: var(--color-accent); }
.dim-score { text-align: right; font-variant-numeric: tabular-nums; }
.dim-none { font-size: 0.78rem; color: var(--body-text-color-subdued); white-space: nowrap; }
.hit { border-bottom: 1px solid var(--border-color-primary); padding: 10px 2px; }
.hit p { margin: 4px 0; font-size: 0.9rem; }
.hit-rank { display: inline-block; min-width: 22px; height: 22px; line-height: 22px; text-align: center;
  border-radius: 11px; background: var(--color-accent); color: #fff; font-size: 0.75rem; margin-right: 4px; }
.hit-score { float: right; font-size: 0.75rem; opacity: .6; }
.reader { max-height: 640px; overflow-y: auto; }
footer { display: none !important; }
@media (max-width: 640px) {
  body .gradio-container > .main.app { padding-left: 8px !important; padding-right: 8px !important; }
  .brand { padding-top: 2px; }
  .brand-tag { font-size: 0.8rem; }
  .chat-side { order: 2; }
  #chatbot { height: min(560px, 50vh) !important; }
  .score-number { font-size: 2.2rem; }
  .interview-buttons button { min-width: 0 !important; }
  .hit-score { float: none; display: block; }
  .score-card { flex-direction: column; align-items: flex-start; gap: 6px; }
  .dim-row { grid-template-columns: 1fr 1fr 64px; }
  .result-row { flex-direction: column !important; }  /* the radar above the dimension scores, not beside */
  .result-row > * { width: 100% !important; min-width: 0 !important; }
}
"""


def build_page(advisor: Advisor, sign_out_url: str = "/logout") -> gr.Blocks:
    """The Gradio Blocks of the whole web UI over this advisor; every event acts as the signed-in owner."""
    secret = _browser_secret(advisor)
    with gr.Blocks(title=TITLE, fill_width=False) as page:
        gr.HTML(HEADER)
        account = gr.HTML(elem_id="account", elem_classes="account")
        with gr.Tabs(elem_id="tabs", overflow_behavior="wrap"):
            with gr.Tab("Ask", id="chat", elem_id="tab-chat"):
                chat = ChatTab(advisor, secret)
            with gr.Tab("Readiness check", id="readiness", elem_id="tab-readiness"):
                readiness = ReadinessTab(advisor, secret)
            with gr.Tab("Consultant workspace", id="workspace", elem_id="tab-workspace") as workspace_tab:
                workspace = WorkspaceTab(advisor)
            with gr.Tab("Knowledge", id="knowledge", elem_id="tab-knowledge"):
                knowledge = KnowledgeTab(advisor)
        page.load(chat.load, [chat.conversation], chat.outputs)
        page.load(readiness.restore, [readiness.saved], [*readiness.panel.outputs, readiness.saved])
        page.load(knowledge.topics, None, knowledge.outputs)
        page.load(knowledge.upload.shown, None, knowledge.upload.box)
        listing = [workspace.table, workspace.before, workspace.after]
        page.load(workspace.listing, [workspace.search], listing)

        def show_account(request: gr.Request) -> str:
            return _account(advisor, sign_out_url, request)

        page.load(show_account, None, account)
        workspace_tab.select(workspace.listing, [workspace.search], listing)
    return page


def theme() -> gr.themes.Base:
    """The product's look: indigo accents, slate neutrals, system fonts (nothing fetched from the web)."""
    return gr.themes.Soft(
        primary_hue="indigo",
        secondary_hue="sky",
        neutral_hue="slate",
        font=["Inter", "ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
    )


def _account(advisor: Advisor, sign_out_url: str, request: gr.Request) -> str:
    """Which key the page is signed in with, and a sign-out link; nothing while no key exists."""
    owner = request_owner(request)
    name = None if owner == LOCAL_OWNER else advisor.keys.name_of(owner)
    if name is None:
        return ""
    return (
        f'Signed in with the key <strong id="account-key">{html.escape(name)}</strong> · '
        f'<a href="{html.escape(sign_out_url)}" id="sign-out">Sign out</a>'
    )


def _browser_secret(advisor: Advisor) -> str:
    # A stable secret keeps the browser's remembered ids readable after a server restart.
    return hashlib.sha256(f"bpo-advisor:{advisor.settings.data_dir.resolve()}".encode()).hexdigest()[:32]
