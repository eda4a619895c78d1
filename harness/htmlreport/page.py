"""The HTML run report: one self-contained page (no network: inline CSS, SVG and script).

Top: the total and a table of exercises. Then per exercise (a capstone's SLO table first:
objective, target, measured, result, points), per task, each test with its
status and points; a test that did not pass shows its message, its hint and, when it ran a
cluster, the seed and the replay command. Every cluster test has a timeline
(:mod:`~sysdesign.htmlreport.timeline`), open under a failure and folded under a pass; figures a
test recorded are drawn beside it (:mod:`~sysdesign.htmlreport.charts`). Hidden tests show their
status only. A passing test's timeline (and a failing one's after the first ``OPEN_TIMELINES``)
sits folded in a ``<template>`` the script unfolds when it is opened, so a page of hundreds of
timelines loads quickly.

The script (a few dozen lines) zooms timelines, toggles message labels and scrolls each
timeline to its end (where a failure is). It also leaves two attributes on ``<html>`` for
automated checks: ``data-errors`` (script errors seen on the page) and ``data-figures`` (the
size of every timeline and chart, measured after load). Opened as ``index.html#open-all`` every
folded section is unfolded first; ``#open-all,zoom=2`` also zooms every timeline (a check of the
zoom).
"""

from __future__ import annotations

import html
from collections import defaultdict
from typing import Any

from sysdesign.grade.reporting import SLO_COLUMNS, fmt, is_visible, label, slo_cells, slo_tests
from sysdesign.results import ERROR, NOT_STARTED, PASSED, GradeReport, TestResult
from sysdesign.htmlreport import charts, timeline
from sysdesign.htmlreport.capture import RunData, TestCapture


#: Failing tests whose timelines are drawn open; later ones are folded, so a page with many failures
#: still loads quickly.
OPEN_TIMELINES = 8


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


STATUS_CLASS = {"passed": "ok", "passing": "ok", "failed": "bad", "failing": "bad", "error": "bad", "timed_out": "bad",
                "crashed": "bad", "out_of_memory": "bad", "not_started": "todo", "not started": "todo",
                "in progress": "todo", "missing": "todo", "not run": "todo"}


def _badge(status: str, text: str | None = None) -> str:
    return f'<span class="st {STATUS_CLASS.get(status, "todo")}">{_e(text or label(status))}</span>'


def _slug_id(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text)


def _test_block(test: TestResult, capture: TestCapture | None, run: RunData, counter: list[int]) -> str:
    visible = is_visible(test)
    failed = test.status != PASSED
    parts = [f'<div class="test {"fail" if failed else "pass"}" id="t-{_slug_id(test.nodeid)}">'
             f'<div class="th">{_badge(test.status)} <code>{_e(test.name)}</code> '
             f'<span class="pts">{fmt(test.points)}/{fmt(test.max_points)} pt</span></div>']
    if failed and not visible:
        parts.append('<p class="muted">A hidden test: details are not shown.</p></div>')
        return "".join(parts)
    if failed and test.message:
        parts.append(f'<pre class="msg{" todo" if test.status == NOT_STARTED else ""}">{_e(test.message)}</pre>')
    if failed and test.hint and test.status not in (ERROR, NOT_STARTED):  # a stub's hint is the task's, shown once
        parts.append(f'<p class="hint"><b>Hint</b>{f" (task {test.task})" if test.task else ""}: {_e(test.hint)}</p>')
    if capture is not None and visible and test.status != NOT_STARTED:  # a stub's run shows nothing yet
        for fig in capture.figures:
            parts.append(charts.render(fig))
        for cap in capture.clusters:
            counter[0] += 1
            uid = f"tl{counter[0]}"
            seeds = f' (other clusters of this test: seeds {", ".join(map(str, capture.other_seeds[:12]))}' \
                    f'{"…" if len(capture.other_seeds) > 12 else ""})' if capture.other_seeds else ""
            which = "the failing cluster" if cap.failed else ("the cluster" if not capture.other_seeds else "the last cluster")
            head = f'Timeline of {which}, seed {cap.seed}{seeds}'
            replay = (f'<p class="replay">{"Replay the failing seed" if failed else "Replay"}: '
                      f'<code class="cmd">{_e(cap.replay)}</code></p>')
            drawn = timeline.render(cap, uid, run.event_cap)
            shown = failed and counter[1] < OPEN_TIMELINES
            if shown:
                counter[1] += 1
            else:  # folded: the browser builds it only when it is opened
                drawn = f"<template>{drawn}</template>"
                if failed:
                    head += f" (folded: the first {OPEN_TIMELINES} failing tests' timelines are open)"
            if failed:  # the replay command stays in sight
                parts.append(replay)
                replay = ""
            parts.append(f'<details class="tld"{" open" if shown else ""}><summary>{_e(head)}</summary>{replay}'
                         f'{drawn}</details>')
    parts.append("</div>")
    return "".join(parts)


def _slo_table(ex) -> str:
    """A capstone's service-level objectives: one row per SLO test, linked to the test."""
    tests = slo_tests(ex)
    if not tests:
        return ""
    head = "".join(f'<th class="r">{_e(name)}</th>' if name == "points" else f"<th>{_e(name)}</th>"
                   for name in SLO_COLUMNS)
    rows = []
    for t in tests:
        objective, target, measured, result, points = slo_cells(t)
        status = "passed" if result == "pass" else "failed" if result == "FAIL" else t.status
        rows.append(f'<tr><td><a href="#t-{_slug_id(t.nodeid)}">{_e(objective)}</a></td><td>{_e(target)}</td>'
                    f'<td>{_e(measured)}</td><td>{_badge(status, result)}</td><td class="r">{_e(points)}</td></tr>')
    return (f'<table class="summary slo"><caption>Service-level objectives</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def render(report: GradeReport, run: RunData | None = None, title: str = "sysdesign-kit run report") -> str:
    run = run or RunData()
    counter = [0, 0]  # timelines drawn, failing ones drawn open
    out: list[str] = []
    add = out.append
    maximum = fmt(report.max_points) if report.max_known else "?"
    add(f"<header><h1>{_e(title)}</h1><p>{_e(report.implementation)}</p>"
        f'<p class="total">{_e(report.points_line)}</p></header>')
    if report.problems:
        add('<ul class="problems">' + "".join(f"<li>{_e(p)}</li>" for p in report.problems) + "</ul>")
    add('<table class="summary"><thead><tr><th>exercise</th><th>status</th><th class="r">points</th><th>tests</th>'
        "</tr></thead><tbody>")
    for ex in report.exercises:
        passed = sum(1 for t in ex.tests if t.status == PASSED)
        add(f'<tr><td><a href="#ex-{_slug_id(ex.slug)}">{_e(ex.slug)}</a></td><td>{_badge(ex.status, ex.status)}</td>'
            f'<td class="r">{fmt(ex.points)}/{fmt(ex.max_points) if ex.max_known else "?"}</td>'
            f"<td>{passed} of {len(ex.tests)} passed</td></tr>")
    add(f'</tbody><tfoot><tr><td>total</td><td></td><td class="r">{fmt(report.points)}/{maximum}</td><td></td></tr></tfoot></table>')
    for ex in report.exercises:
        problems = [t for t in ex.tests if t.status != PASSED]
        add(f'<section class="ex" id="ex-{_slug_id(ex.slug)}"><h2>{_e(ex.slug)} {_badge(ex.status, ex.status)} '
            f'<span class="pts">{fmt(ex.points)}/{fmt(ex.max_points) if ex.max_known else "?"} points</span></h2>'
            f'<p class="muted">{_e(ex.title)}</p>')
        if ex.error:
            add(f'<pre class="msg">{_e(ex.error)}</pre>')
        add(_slo_table(ex))
        tasks: dict[int | None, list[TestResult]] = defaultdict(list)
        for t in ex.tests:
            tasks[t.task].append(t)
        for number in sorted(tasks, key=lambda n: (n is None, n or 0)):
            tests = tasks[number]
            got = sum(t.points for t in tests)
            top = sum(t.max_points for t in tests)
            bad = [t for t in tests if t.status != PASSED]
            status = "passing" if not bad else "failing" if any(t.status not in ("not_started", "missing") for t in bad) else "not started"
            name = f"Task {number}" if number is not None else "Other tests"
            add(f'<details class="task"{" open" if bad or any(run.tests.get(t.nodeid) and run.tests[t.nodeid].figures for t in tests) else ""}>'
                f'<summary><b>{_e(name)}</b> {_badge(status, status)} <span class="pts">{fmt(got)}/{fmt(top)} points, '
                f'{len(tests) - len(bad)} of {len(tests)} tests passed</span></summary>')
            waiting = [t for t in bad if t.status == NOT_STARTED and t.hint and is_visible(t)]
            if waiting:
                add(f'<p class="hint"><b>Hint</b> (task {number}, not started): {_e(waiting[0].hint)}</p>'
                    if number is not None else f'<p class="hint"><b>Hint</b>: {_e(waiting[0].hint)}</p>')
            for t in tests:
                add(_test_block(t, run.tests.get(t.nodeid), run, counter))
            add("</details>")
        if not problems and not ex.tests:
            add('<p class="muted">No tests ran.</p>')
        add("</section>")
    body = "".join(out)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width\"><title>{_e(title)}: {_e(report.points_line)}</title>"
            f"<style>{CSS}{timeline.CSS}{charts.CSS}</style></head><body>{timeline.DEFS}{body}"
            f"<footer class=\"muted\">Written by sysdesign-kit. Timelines are drawn from the same cluster trace "
            f"<code>pytest --cluster-trace=DIR</code> writes; hover a mark for its time and text.</footer>"
            f"<script>{SCRIPT}</script></body></html>\n")


CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:0 18px 40px;max-width:1400px;color:#222;background:#f6f7f9}
header h1{margin:.6em 0 .1em;font-size:22px}
.total{font-size:18px;font-weight:bold}
.muted{color:#777;font-size:12px}
table.summary{border-collapse:collapse;background:#fff;margin:.5em 0 1.5em}
table.summary th,table.summary td{border:1px solid #ddd;padding:3px 10px;text-align:left}
table.summary .r{text-align:right}
table.summary tfoot td{font-weight:bold}
table.slo caption{text-align:left;font-weight:bold;padding:2px 0}
.st{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;font-weight:600}
.st.ok{background:#d5f5e3;color:#1e8449}
.st.bad{background:#fadbd8;color:#a93226}
.st.todo{background:#fcf3cf;color:#9a7d0a}
section.ex{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:4px 14px 10px;margin:14px 0}
section.ex h2{font-size:18px;margin:.5em 0 0}
.pts{color:#555;font-size:12px;font-weight:normal}
details.task{margin:.4em 0;border-left:3px solid #e3e3e3;padding-left:10px}
details.task>summary{cursor:pointer;padding:2px 0}
.test{margin:.5em 0 .8em}
.test .th code{font-size:13px}
pre.msg{background:#fdf2f2;border:1px solid #f5c6cb;padding:6px 8px;white-space:pre-wrap;word-break:break-word;font-size:12px;max-height:360px;overflow:auto;margin:.3em 0}
pre.msg.todo{background:#fdfaf0;border-color:#f3e3a6}
.hint{background:#eef6fc;border:1px solid #cfe2f3;padding:4px 8px;margin:.3em 0;font-size:13px}
.replay code.cmd{background:#222;color:#eee;padding:2px 6px;border-radius:3px;font-size:12px;user-select:all}
details.tld>summary{cursor:pointer;font-size:13px;color:#333}
ul.problems{color:#a93226}
footer{margin-top:2em}
"""

SCRIPT = r"""
(function(){
var root=document.documentElement, errors=[];
function note(m){errors.push(String(m)); root.setAttribute('data-errors', JSON.stringify(errors));}
window.addEventListener('error', function(e){note(e.message||'error');});
root.setAttribute('data-errors','[]');
function zoomable(svg){
  if(svg._base) return svg._base;
  var base=[], els=svg.querySelectorAll('*');
  for(var i=0;i<els.length;i++){var el=els[i], a={}, any=false;
    ['x','x1','x2','cx','width'].forEach(function(k){var v=el.getAttribute(k); if(v!==null){a[k]=parseFloat(v); any=true;}});
    if(any) base.push([el,a]);}
  svg._base=base; svg._k=1; return base;}
function zoom(svg,k){
  var base=zoomable(svg), w=parseFloat(svg.getAttribute('data-w'));
  svg._k=Math.max(0.02,Math.min(40,k));
  for(var i=0;i<base.length;i++){var el=base[i][0], a=base[i][1];
    for(var key in a){ if(key==='width' && (el.tagName.toLowerCase()!=='rect' || el.classList.contains('nt'))) continue;
      el.setAttribute(key,(a[key]*svg._k).toFixed(1));}}
  svg.setAttribute('width',(w*svg._k).toFixed(1));}
function init(box){
  if(box._ready) return; box._ready=true;
  var svg=box.querySelector('svg.tl'), scroller=box.querySelector('.tls');
  box.querySelectorAll('button[data-zoom]').forEach(function(b){
    b.addEventListener('click',function(){var f=parseFloat(b.getAttribute('data-zoom'));
      var centre=(scroller.scrollLeft+scroller.clientWidth/2)/(svg._k||1);
      if(f===0){zoom(svg,scroller.clientWidth/parseFloat(svg.getAttribute('data-w')));}
      else{zoom(svg,(svg._k||1)*f);}
      scroller.scrollLeft=centre*svg._k-scroller.clientWidth/2;});});
  scroller.addEventListener('wheel',function(ev){ if(!ev.ctrlKey) return; ev.preventDefault();
    zoom(svg,(svg._k||1)*(ev.deltaY<0?1.25:0.8));},{passive:false});
  var cb=box.querySelector('input.lbl');
  if(parseInt(box.getAttribute('data-events'),10)<=200){cb.checked=true; svg.classList.add('labels');}
  cb.addEventListener('change',function(){svg.classList.toggle('labels',cb.checked);});
  scroller.scrollLeft=scroller.scrollWidth;}
function unfold(d){
  var t=d.querySelector(':scope > template');
  if(t){d.replaceChild(t.content.cloneNode(true),t);}
  d.querySelectorAll('.tlw').forEach(init);
  var s=d.querySelector('.tls'); if(s) s.scrollLeft=s.scrollWidth;}
document.querySelectorAll('.tlw').forEach(init);
document.querySelectorAll('details.tld').forEach(function(d){
  d.addEventListener('toggle',function(){ if(d.open) unfold(d);});});
function measure(){
  var hash=location.hash.slice(1).split(','), k=null;
  hash.forEach(function(h){ if(h.indexOf('zoom=')===0) k=parseFloat(h.slice(5));});
  if(hash.indexOf('open-all')>=0) document.querySelectorAll('details').forEach(function(d){
    d.open=true; if(d.classList.contains('tld')) unfold(d);});
  if(k) document.querySelectorAll('svg.tl').forEach(function(s){zoom(s,k);});
  var out=[];
  document.querySelectorAll('svg.tl, svg.fig').forEach(function(s){var r=s.getBoundingClientRect();
    out.push({kind:s.classList.contains('tl')?'timeline':'chart',w:Math.round(r.width),h:Math.round(r.height),
              marks:s.childElementCount});});
  root.setAttribute('data-figures',JSON.stringify(out));}
var measured=false;
function once(){ if(measured) return; measured=true; try{measure();}catch(e){note(e.message);}}
if(document.readyState==='complete') once(); else window.addEventListener('load',once);
})();
"""
