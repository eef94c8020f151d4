#!/usr/bin/env bash
# Time bombs of issue 9: one entry of deeply nested or very wide HTML (up to 1 MB), escaped in an
# RSS description, must parse and sanitize in at most 1 s on this machine. For each shape, writes
# the feed into bench/generated/nesting/SHAPE/ and runs `feedstand bench-parse` on it (one untimed
# pass, then ROUNDS timed ones); prints the seconds per parse and the verdict.
#
#   bash bench/nesting.sh [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${1:-3}"
out=bench/generated/nesting
rm -rf "$out" && mkdir -p "$out"
python3 - "$out" <<'PY'
import html, os, sys
out = sys.argv[1]
# (open, close, times): nested shapes of the issue, shapes whose end tags may be left out, and wide
# lists deep down (the tree builder walks the open elements for each of their start tags).
shapes = {
    "b-i": ("<b><i>", "</i></b>", 50000), "div": ("<div>", "</div>", 50000),
    "ul-li": ("<ul><li>", "</li></ul>", 50000), "blockquote": ("<blockquote>", "</blockquote>", 50000),
    "table": ("<table><tr><td>", "</td></tr></table>", 25000), "a-href": ('<a href="http://x/">', "</a>", 25000),
    "ul-li-open": ("<ul><li>x", "", 50000), "dl-open": ("<dl><dt>a<dd>", "", 25000), "ruby-open": ("<ruby><rt>", "", 25000),
    "select-open": ("<select><option>", "", 25000), "svg-g": ("<svg><g>", "", 25000), "math-mrow": ("<math><mrow>", "", 25000),
    "p-span-open": ("<p><span>", "", 50000), "mixed-open": ("<b><p><i><div><a href=#>", "", 20000),
}
for name, (o, c, n) in shapes.items():
    body = o * n + "x" + c * n
    while len(body) > 1_000_000:
        n = n * 9 // 10
        body = o * n + "x" + c * n
    shapes[name] = body
wide = {"deep-li": ("<div>" * 250 + "<ul>", "<li>x", 100000), "deep-p": ("<div>" * 250, "<p>x", 100000),
        "deep-b": ("<div>" * 250, "<b>x</b>", 80000), "wide-li": ("<ul>", "<li>x", 200000)}
for name, (head, item, n) in wide.items():
    shapes[name] = (head + item * n)[:1_000_000]
for name, body in shapes.items():
    os.makedirs(f"{out}/{name}")
    with open(f"{out}/{name}/feed.xml", "w") as f:
        f.write('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>i</title><description>'
                + html.escape(body) + "</description></item></channel></rss>")
PY
./feedstand --help >/dev/null
printf '%-12s %10s %12s %s\n' shape "input KB" "s per parse" verdict
worst=0
for dir in "$out"/*/; do
  name=$(basename "$dir")
  kb=$(( $(wc -c <"$dir/feed.xml") / 1024 ))
  seconds=$(./feedstand bench-parse "$dir" "$rounds" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p')
  per=$(python3 -c "print(f'{$seconds / $rounds:.3f}')")
  verdict=$(python3 -c "print('ok' if $per <= 1.0 else 'OVER 1 s')")
  worst=$(python3 -c "print(max($worst, $per))")
  printf '%-12s %10s %12s %s\n' "$name" "$kb" "$per" "$verdict"
done
echo "NESTING shapes=$(ls "$out" | wc -l) worst_seconds=$worst"
