"""What the page does in the browser alone: `[n]` links open their source; the dark-mode choice is remembered."""

from __future__ import annotations

THEME_KEY = "bpo-advisor-theme"
THEME_TOGGLE = (
    '<button id="theme-toggle" type="button" aria-label="Switch between light and dark mode">'
    '<span class="when-light">☾ Dark</span><span class="when-dark">☀ Light</span></button>'
)
HEAD = (
    """<script>
(() => {
  const KEY = "__KEY__";
  const wanted = () => localStorage.getItem(KEY);
  const apply = () => { const w = wanted(); if (w) document.body.classList.toggle("dark", w === "dark"); };
  const openSource = (cite) => {
    const message = cite.closest(".message-row, .message, [data-testid='bot']") || document;
    // The chat's HTML sanitiser keeps links but drops data attributes: find the source by its shown number.
    const n = (cite.getAttribute("href") || "").replace("#source-", "");
    const source = [...message.querySelectorAll("details.source")]
      .find((d) => d.querySelector(".source-n")?.textContent.trim() === n);
    if (!source) return;
    source.open = true;
    source.classList.add("cited");
    source.scrollIntoView({block: "nearest", behavior: "smooth"});
    setTimeout(() => source.classList.remove("cited"), 1600);
  };
  document.addEventListener("click", (event) => {
    if (event.target.closest("#theme-toggle")) {
      localStorage.setItem(KEY, document.body.classList.contains("dark") ? "light" : "dark");
      apply();
      return;
    }
    const cite = event.target.closest("a.cite");
    if (!cite) return;
    event.preventDefault();
    event.stopPropagation();
    openSource(cite);
  }, true);
  const start = () => {
    apply();
    // Gradio sets light or dark itself once the app has loaded: put the person's choice back.
    new MutationObserver(() => {
      const w = wanted();
      if (w && document.body.classList.contains("dark") !== (w === "dark")) apply();
    }).observe(document.body, {attributes: true, attributeFilter: ["class"]});
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
</script>"""
).replace("__KEY__", THEME_KEY)
CSS = """
#theme-toggle { margin-left: auto; align-self: flex-start; border: 1px solid var(--border-color-primary);
  border-radius: 8px; padding: 4px 10px; background: var(--block-background-fill); color: var(--body-text-color);
  font-size: 0.85rem; cursor: pointer; white-space: nowrap; }
#theme-toggle .when-dark, .dark #theme-toggle .when-light { display: none; }
.brand { position: relative; }
@media (max-width: 640px) {  /* in the corner, so the tagline keeps the width and Send stays above the fold */
  #theme-toggle { position: absolute; top: 0; right: 0; padding: 2px 8px; font-size: 0.8rem; }
  .brand-name { padding-right: 80px; }
}
.dark #theme-toggle .when-dark { display: inline; }
a.cite { color: var(--color-accent); font-weight: 600; text-decoration: none; font-size: 0.8em;
  vertical-align: super; cursor: pointer; }
#chatbot .options { display: flex; flex-flow: row wrap; justify-content: flex-start; gap: 6px;
  margin: 4px 0 8px; padding: 0 8px; max-width: 100%; }
#chatbot .option { width: auto; padding: 6px 12px; margin: 0; font-size: 0.9rem; }
.interview-bar { flex-wrap: nowrap !important; }
details.source.cited { outline: 2px solid var(--color-accent); }
details.source mark { background: #fde68a; color: inherit; padding: 0 2px; border-radius: 3px; }
.dark details.source mark { background: #854d0e; }
"""
