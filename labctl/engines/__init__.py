"""The lab in three engines: `make test-engines` (Firefox and WebKit) and `make engines-table`.

``python -m labctl.engines`` starts the lab on free ports and, in Firefox ESR (WebDriver BiDi,
puppeteer-core) and WebKitGTK (WebKitWebDriver, Selenium) side by side, runs the experiments
page's "Run all" from both page origins, the playground's presets and a sample of the model's
matrix. The pages judge themselves against the expectations written in them, by hand, for the
engine they detect; this only reads their verdicts. Exit status 0 when every check passed, 1
otherwise, 2 when an engine is missing (one line says what to install).

``python -m labctl.engines --table`` also runs Chromium (as `make test` drives it) and rewrites
the behaviour table in docs/browser-facts.md between its marker comments. Only a
maintainer runs it; no test rewrites it.
"""
