"""The knowledge tab: browse documents by topic, read one, and search for ranked passages."""

from __future__ import annotations

import html
import re
from typing import Any

import gradio as gr

from advisor.service import Advisor
from advisor.snippets import snippet
from advisor.ui.errors import Notice, notice_html
from advisor.ui.upload import UploadPanel

_FRONT_MATTER = re.compile(r"\A---\s*\n.*?\n---\s*\n", re.S)


class KnowledgeTab:
    """Topic and document pickers beside a reader; a search box with ranked passages above."""

    def __init__(self, advisor: Advisor) -> None:
        self.advisor = advisor
        with gr.Group(elem_classes="panel"):
            with gr.Row():
                self.query = gr.Textbox(
                    placeholder="Search the knowledge base, e.g. service level agreements",
                    show_label=False,
                    scale=6,
                    elem_id="kb-query",
                )
                self.topic_filter = gr.Dropdown(
                    label="Topic", choices=[("All topics", "")], value="", scale=2, elem_id="kb-topic-filter"
                )
                self.search = gr.Button("Search", variant="primary", scale=1, min_width=90, elem_id="kb-search")
            self.hits = gr.HTML(elem_id="kb-hits")
        with gr.Row(equal_height=False):
            with gr.Column(scale=1, min_width=260, elem_classes="panel"):
                self.topic = gr.Dropdown(label="Topic", choices=[], elem_id="kb-topic")
                self.docs = gr.Radio(label="Documents", choices=[], elem_id="kb-docs")
            with gr.Column(scale=3, elem_classes="panel reader"):
                self.reader = gr.Markdown("Pick a topic and a document to read it here.", elem_id="kb-reader")
        self.upload = UploadPanel(advisor)
        self.upload.added.then(self.topics, None, self.outputs)  # a new document may bring a new topic
        self.search.click(self._search, [self.query, self.topic_filter], self.hits)
        self.query.submit(self._search, [self.query, self.topic_filter], self.hits)
        self.topic.change(self._documents, self.topic, self.docs)
        self.docs.change(self._read, self.docs, self.reader)

    @property
    def outputs(self) -> list[Any]:
        """The components `topics` fills on page load."""
        return [self.topic, self.topic_filter]

    def topics(self) -> dict[Any, Any]:
        """Fill the topic pickers from the index."""
        names = [(_pretty(t), t) for t in self.advisor.topics()]
        first = names[0][1] if names else None
        return {
            self.topic: gr.update(choices=names, value=first),
            self.topic_filter: gr.update(choices=[("All topics", ""), *names], value=""),
        }

    def _documents(self, topic: str | None) -> Any:
        docs = self.advisor.topics().get(topic or "", [])
        return gr.update(choices=[(d["title"] or d["source"], d["source"]) for d in docs], value=None)

    def _read(self, source: str | None) -> str:
        if not source:
            return "Pick a document to read it here."
        try:
            return _FRONT_MATTER.sub("", self.advisor.document(source), count=1)
        except Exception as exc:  # shown in the reader, in place of the document
            return notice_html(exc)

    def _search(self, query: str, topic: str | None) -> str:
        try:
            if not (query or "").strip():
                raise Notice("Type some words to search for, e.g. service credits.")
            hits = self.advisor.search(query, k=8, topic=topic or None)
        except Exception as exc:  # shown where the results would be
            return notice_html(exc)
        if not hits:
            return '<p class="muted">No passages match. Try other words.</p>'
        return "".join(
            f'<div class="hit"><div class="hit-head"><span class="hit-rank">{i}</span> '
            f"<strong>{html.escape(h.title)}</strong> · {html.escape(h.section)}"
            f'<span class="hit-score">relevance {h.score:.2f}</span></div>'
            f"<p>{html.escape(snippet(h.text, 480))}</p>"
            f'<div class="source-file">{html.escape(h.source)}</div></div>'
            for i, h in enumerate(hits, 1)
        )


def _pretty(topic: str) -> str:
    return topic.replace("-", " ").replace("_", " ").capitalize()
