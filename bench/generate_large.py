#!/usr/bin/env python3
"""Writes the large feeds of the parser benchmark, the same bytes on every run.

    python3 bench/generate_large.py [OUT]        (OUT defaults to bench/generated/)

Each feed goes into its own folder, so `bench-parse DIR` can time it alone:

    OUT/rss2-5mb/rss2-5mb.xml      RSS 2.0, about 5 MB, content:encoded in CDATA
    OUT/rss2-50mb/rss2-50mb.xml    RSS 2.0, about 50 MB
    OUT/atom10-20mb/atom10-20mb.xml  Atom 1.0, about 20 MB, content type="html" (escaped)

Entries look like engineering-blog posts: headings, paragraphs with links, inline code and
emphasis, images with relative src/srcset, code blocks full of < > &, lists, blockquotes,
tables, entities (&amp; &#8217; &#8220; &nbsp; &mdash;), now and then an embed with a script
or an iframe (for the sanitizer to drop), enclosures, categories, authors; dates in RFC 822
(RSS) and RFC 3339 (Atom) with assorted zones. Only the standard library is used, and a
seeded random.Random, so the output depends on nothing but this file.
"""

import datetime
import os
import random
import sys
from xml.sax.saxutils import escape

MB = 1_000_000

WORDS = (
    "latency throughput cache eviction queue backpressure replica leader follower quorum shard "
    "index planner vacuum compaction allocator pointer buffer span slice iterator closure trait "
    "generic async await scheduler thread kernel syscall socket handshake certificate proxy "
    "gateway container image layer registry pipeline deploy rollback canary feature flag metric "
    "trace span exemplar histogram percentile budget incident postmortem on-call runbook pager "
    "the a of and to in is that for it as with was on be at by this we our you not are from or "
    "have an they which one had but what all were when there can more if so about out up into "
    "than them only other new some could time these two may then first any way like well also"
).split()

TOPICS = (
    "Postgres", "Kubernetes", "Rust", "Go", "C#", "SQLite", "Kafka", "Redis", "Linux", "TLS",
    "HTTP/2", "gRPC", "WebAssembly", "Nginx", "Terraform", "eBPF", "JIT", "GC", "DNS", "QUIC",
)

TAGS = ("engineering", "databases", "performance", "distributed-systems", "security", "tooling",
        "career", "management", "frontend", "observability", "reliability", "compilers")

AUTHORS = (("Ada Moreau", "ada@blog.example.com"), ("Björn Ekström", "bjorn@blog.example.com"),
           ("Chidi Okafor", "chidi@blog.example.com"), ("Dana O’Neil", "dana@blog.example.com"),
           ("Émilie Laurent", "emilie@blog.example.com"), ("Farid Haddad", "farid@blog.example.com"))

CODE = (
    ("go", 'func (c *Cache) Get(key string) ([]byte, bool) {\n\tc.mu.RLock()\n\tdefer c.mu.RUnlock()\n'
           '\tif e, ok := c.items[key]; ok && e.expires.After(time.Now()) {\n\t\treturn e.value, true\n\t}\n'
           '\treturn nil, false\n}'),
    ("csharp", 'public static async Task<int> CountAsync(Stream s, CancellationToken ct)\n{\n'
               '    var buffer = new byte[16 * 1024];\n    int n, total = 0;\n'
               '    while ((n = await s.ReadAsync(buffer, ct)) > 0 && total < int.MaxValue)\n'
               '    {\n        total += buffer.AsSpan(0, n).Count((byte)\'\\n\');\n    }\n    return total;\n}'),
    ("rust", 'fn parse<T: FromStr>(s: &str) -> Result<Vec<T>, T::Err> {\n'
             '    s.split(\',\').map(|p| p.trim().parse::<T>()).collect()\n}\n\n'
             'impl<\'a> Iterator for Tokens<\'a> {\n    type Item = &\'a str;\n}'),
    ("sql", "SELECT f.id, count(*) AS entries\nFROM feeds f\nJOIN entries e ON e.feed_id = f.id\n"
            "WHERE e.published_at > now() - interval '7 days' AND f.url <> ''\n"
            "GROUP BY f.id\nHAVING count(*) >= 10\nORDER BY entries DESC\nLIMIT 50;"),
    ("bash", 'for f in "$dir"/*.xml; do\n  [ -s "$f" ] && grep -c "<item>" "$f" 2>/dev/null || echo "empty: $f" >&2\n'
             'done | sort -n | tail -5 > /tmp/top && cat /tmp/top'),
    ("html", '<link rel="alternate" type="application/rss+xml" href="/feed.xml" title="Posts &amp; notes">\n'
             '<script>window.dataLayer = window.dataLayer || [];</script>'),
)

ENTITIES = ("&amp;", "&#8217;", "&#8220;", "&#8221;", "&nbsp;", "&mdash;", "&hellip;", "&lt;", "&gt;", "&#x2014;")


class Writer:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def words(self, lo, hi):
        r = self.r
        return " ".join(r.choice(WORDS) for _ in range(r.randint(lo, hi)))

    def title(self):
        r = self.r
        topic = r.choice(TOPICS)
        form = r.randrange(5)
        if form == 0:
            return f"Why we moved our {self.words(1, 2)} to {topic}"
        if form == 1:
            return f"{topic} & the {self.words(1, 3)} problem"
        if form == 2:
            return f"What I learned about {topic} {self.words(1, 3)}"
        if form == 3:
            return f"“{self.words(2, 4).capitalize()}” — notes on {topic}"
        return f"{self.words(3, 6).capitalize()} in {topic}: part {r.randint(1, 9)}"

    def sentence(self):
        r = self.r
        parts = [self.words(4, 14).capitalize()]
        for _ in range(r.randint(0, 3)):
            kind = r.randrange(7)
            if kind == 0:
                slug = "-".join(self.words(2, 4).split())
                parts.append(f'<a href="https://{r.choice(("example.org", "docs.example.com", "github.com/example"))}/{slug}">{self.words(1, 4)}</a>')
            elif kind == 1:
                parts.append(f"<code>{r.choice(WORDS)}_{r.choice(WORDS)}()</code>")
            elif kind == 2:
                parts.append(f"<em>{self.words(1, 3)}</em>")
            elif kind == 3:
                parts.append(f"<strong>{self.words(1, 2)}</strong>")
            elif kind == 4:
                parts.append(r.choice(ENTITIES))
            elif kind == 5:
                parts.append(f'<a href="/posts/{r.randint(2015, 2026)}/{"-".join(self.words(2, 3).split())}/">an earlier post</a>')
            else:
                parts.append(f"we&#8217;re {self.words(1, 3)}")
            parts.append(self.words(2, 10))
        return " ".join(parts) + r.choice((".", ".", ".", "?", "!", "&hellip;"))

    def paragraph(self):
        return "<p>" + " ".join(self.sentence() for _ in range(self.r.randint(2, 6))) + "</p>"

    def block(self, post_year):
        r = self.r
        kind = r.randrange(12)
        if kind == 0:
            name = "-".join(self.words(1, 3).split())
            return (f'<figure><img src="/images/{post_year}/{name}.png" '
                    f'srcset="/images/{post_year}/{name}.png 1x, /images/{post_year}/{name}@2x.png 2x" '
                    f'alt="{escape(self.words(3, 8), {chr(34): "&quot;"})}" width="{r.choice((640, 800, 1200))}" height="{r.choice((360, 450, 675))}">'
                    f"<figcaption>{self.words(3, 10).capitalize()}</figcaption></figure>")
        if kind == 1:
            lang, code = r.choice(CODE)
            return f'<pre><code class="language-{lang}">{escape(code)}</code></pre>'
        if kind == 2:
            tag = r.choice(("ul", "ol"))
            items = "".join(f"<li>{self.sentence()}</li>" for _ in range(r.randint(2, 6)))
            return f"<{tag}>{items}</{tag}>"
        if kind == 3:
            return f"<blockquote><p>{self.sentence()}</p></blockquote>"
        if kind == 4:
            level = r.choice((2, 3))
            return f"<h{level}>{escape(self.title())}</h{level}>"
        if kind == 5 and r.randrange(4) == 0:
            rows = "".join(f"<tr><td>{r.choice(TOPICS)}</td><td>{r.randint(1, 999)} ms</td><td>{r.randint(0, 100)}%</td></tr>"
                           for _ in range(r.randint(2, 5)))
            return f"<table><thead><tr><th>system</th><th>p99</th><th>hit rate</th></tr></thead><tbody>{rows}</tbody></table>"
        if kind == 6 and r.randrange(8) == 0:
            if r.randrange(2):
                return (f'<iframe width="560" height="315" src="https://www.youtube.com/embed/{r.randrange(16**11):011x}" '
                        'frameborder="0" allowfullscreen></iframe>')
            return ('<blockquote class="twitter-tweet"><p>' + self.words(5, 15) + '</p></blockquote>'
                    '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>')
        if kind == 7 and r.randrange(6) == 0:
            return f'<p onclick="track(\'{r.randrange(1000)}\')" style="color: #333">{self.sentence()}</p>'
        return self.paragraph()

    def post_html(self, post_year):
        r = self.r
        return "\n".join(self.block(post_year) for _ in range(r.randint(6, 30)))

    def author(self):
        return self.r.choice(AUTHORS)


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc822(when, r):
    zone = r.choice(("+0000", "GMT", "-0500", "+0200", "-0800", "+0530"))
    hours = {"+0000": 0, "GMT": 0, "-0500": -5, "+0200": 2, "-0800": -8, "+0530": 5.5}[zone]
    local = when + datetime.timedelta(hours=hours)
    return f"{DAYS[local.weekday()]}, {local.day:02d} {MONTHS[local.month - 1]} {local.year} {local:%H:%M:%S} {zone}"


def rfc3339(when, r):
    zone = r.choice(("Z", "Z", "+00:00", "-05:00", "+02:00", "+09:00"))
    hours = {"Z": 0, "+00:00": 0, "-05:00": -5, "+02:00": 2, "+09:00": 9}[zone]
    local = when + datetime.timedelta(hours=hours)
    frac = "" if r.randrange(3) else f".{r.randrange(1000):03d}"
    return local.strftime("%Y-%m-%dT%H:%M:%S") + frac + zone


START = datetime.datetime(2026, 11, 1, 12, 0, 0)


def rss(path, size, seed):
    w, r = Writer(seed), None
    r = w.r
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:media="http://search.yahoo.com/mrss/">\n<channel>\n'
        "<title>Systems &amp; Stories: an engineering blog</title>\n"
        "<link>https://blog.example.com/</link>\n"
        '<atom:link href="https://blog.example.com/feed.xml" rel="self" type="application/rss+xml"/>\n'
        "<description>Long-form posts about systems, databases and the people who run them.</description>\n"
        "<language>en-us</language>\n<generator>bench/generate_large.py</generator>\n"
        f"<lastBuildDate>{rfc822(START, r)}</lastBuildDate>\n"
        "<image><url>https://blog.example.com/logo.png</url><title>Systems &amp; Stories</title>"
        "<link>https://blog.example.com/</link></image>\n"
    )
    tail = "</channel>\n</rss>\n"
    chunks, total, n = [head], len(head.encode()), 0
    while total < size - len(tail):
        n += 1
        when = START - datetime.timedelta(hours=7 * n, minutes=r.randrange(60), seconds=r.randrange(60))
        title = w.title()
        slug = f"{when.year}/{when.month:02d}/post-{n}"
        name, email = w.author()
        html = w.post_html(when.year)
        summary = w.sentence()
        parts = [
            "<item>\n",
            f"<title>{escape(title)}</title>\n",
            f"<link>https://blog.example.com/{slug}/</link>\n",
            f'<guid isPermaLink="{"false" if n % 5 == 0 else "true"}">'
            f'{"tag:blog.example.com,2026:" + str(n) if n % 5 == 0 else "https://blog.example.com/" + slug + "/"}</guid>\n',
            f"<pubDate>{rfc822(when, r)}</pubDate>\n",
            f"<dc:creator>{escape(name)}</dc:creator>\n" if n % 3 else f"<author>{email} ({escape(name)})</author>\n",
        ]
        for tag in r.sample(TAGS, r.randint(1, 4)):
            parts.append(f"<category>{tag}</category>\n")
        parts.append(f"<description>{escape(summary)}</description>\n")
        parts.append(f"<content:encoded><![CDATA[{html}]]></content:encoded>\n")
        parts.append(f"<comments>https://blog.example.com/{slug}/#comments</comments>\n"
                     f"<wfw:commentRss>https://blog.example.com/{slug}/feed/</wfw:commentRss>\n"
                     f"<slash:comments>{r.randrange(40)}</slash:comments>\n")
        if n % 7 == 0:
            parts.append(f'<enclosure url="https://cdn.example.com/audio/episode-{n}.mp3" '
                         f'length="{r.randrange(5_000_000, 90_000_000)}" type="audio/mpeg"/>\n')
        if n % 4 == 0:
            parts.append(f'<media:thumbnail url="https://blog.example.com/images/{when.year}/thumb-{n}.jpg" width="300" height="200"/>\n')
        parts.append("</item>\n")
        item = "".join(parts)
        chunks.append(item)
        total += len(item.encode())
    chunks.append(tail)
    write(path, chunks)
    return n


def atom(path, size, seed):
    w = Writer(seed)
    r = w.r
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en" xml:base="https://notes.example.net/">\n'
        '<title type="text">Field Notes &amp; Benchmarks</title>\n'
        '<subtitle type="html">Essays on &lt;em&gt;software&lt;/em&gt; and the machines under it</subtitle>\n'
        '<link rel="alternate" type="text/html" href="https://notes.example.net/"/>\n'
        '<link rel="self" type="application/atom+xml" href="https://notes.example.net/atom.xml"/>\n'
        "<id>tag:notes.example.net,2026:feed</id>\n"
        f"<updated>{rfc3339(START, r)}</updated>\n"
        '<generator uri="https://notes.example.net/" version="1.0">bench/generate_large.py</generator>\n'
        "<icon>/favicon.png</icon>\n"
    )
    tail = "</feed>\n"
    chunks, total, n = [head], len(head.encode()), 0
    while total < size - len(tail):
        n += 1
        when = START - datetime.timedelta(hours=5 * n, minutes=r.randrange(60), seconds=r.randrange(60))
        updated = when + datetime.timedelta(days=r.randrange(3), hours=r.randrange(24))
        title = w.title()
        words = ("".join(c for c in word if c.isascii() and c.isalnum()) for word in title.lower().split())
        slug = f"{when.year}/{when.month:02d}/{'-'.join(w for w in words if w)}-{n}"
        name, email = w.author()
        html = w.post_html(when.year)
        parts = [
            "<entry>\n",
            f'<title type="{"html" if n % 2 else "text"}">{escape(escape(title)) if n % 2 else escape(title)}</title>\n',
            f'<link rel="alternate" type="text/html" href="{slug}/"/>\n',
            f"<id>tag:notes.example.net,{when.year}:{n}</id>\n",
            f"<published>{rfc3339(when, r)}</published>\n",
            f"<updated>{rfc3339(updated, r)}</updated>\n",
            f"<author><name>{escape(name)}</name><email>{email}</email></author>\n",
        ]
        for tag in r.sample(TAGS, r.randint(1, 4)):
            parts.append(f'<category term="{tag}" label="{tag.replace("-", " ").title()}"/>\n')
        parts.append(f'<summary type="html">{escape("<p>" + w.sentence() + "</p>")}</summary>\n')
        parts.append(f'<content type="html" xml:base="https://notes.example.net/{slug}/">{escape(html)}</content>\n')
        if n % 9 == 0:
            parts.append(f'<link rel="enclosure" type="video/mp4" length="{r.randrange(10_000_000, 200_000_000)}" '
                         f'href="https://cdn.example.net/video/talk-{n}.mp4"/>\n')
        parts.append("</entry>\n")
        entry = "".join(parts)
        chunks.append(entry)
        total += len(entry.encode())
    chunks.append(tail)
    write(path, chunks)
    return n


def write(path, chunks):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = path + ".part"
    with open(temporary, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(chunks)
    os.replace(temporary, path)


FEEDS = (
    ("rss2-5mb", rss, 5 * MB, 5),
    ("rss2-50mb", rss, 50 * MB, 50),
    ("atom10-20mb", atom, 20 * MB, 20),
)


def main(argv):
    out = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "generated")
    for name, make, size, seed in FEEDS:
        path = os.path.join(out, name, name + ".xml")
        if os.path.exists(path):
            print(f"generate_large: {path} exists", file=sys.stderr)
            continue
        entries = make(path, size, seed)
        print(f"generate_large: wrote {path} ({os.path.getsize(path)} bytes, {entries} entries)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
