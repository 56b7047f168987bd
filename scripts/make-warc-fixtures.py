#!/usr/bin/env python3
"""Writes the web archive fixtures of tests/data/warc/ (see tests/data/FIXTURES.md).

Usage: scripts/make-warc-fixtures.py [OUT_DIR]   (default tests/data/warc)

Every page is invented. The output is byte-for-byte reproducible: fixed record ids and
dates, gzip members written with mtime 0. Standard library only.
"""

import base64
import gzip
import hashlib
import sys
from pathlib import Path


def record(kind, fields, block):
    """One WARC/1.1 record: version line, fields, Content-Length, block, two CRLFs."""
    head = [b"WARC/1.1", b"WARC-Type: " + kind.encode()]
    head += [f"{k}: {v}".encode() for k, v in fields]
    head.append(b"Content-Length: %d" % len(block))
    return b"\r\n".join(head) + b"\r\n\r\n" + block + b"\r\n\r\n"


def sha1_digest(payload):
    """A WARC-Payload-Digest as crawlers write it: sha1, base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode()


def http(status, headers, body):
    """An HTTP/1.1 response message as a crawler stores it."""
    reason = {200: "OK", 301: "Moved Permanently", 404: "Not Found"}[status]
    lines = [f"HTTP/1.1 {status} {reason}".encode()]
    lines += [f"{k}: {v}".encode() for k, v in headers]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def chunked(body, size=64):
    """`body` in chunks of `size` bytes, with a chunk extension on the first."""
    out = b""
    for i in range(0, len(body), size):
        piece = body[i : i + size]
        ext = b";note=first" if i == 0 else b""
        out += b"%x" % len(piece) + ext + b"\r\n" + piece + b"\r\n"
    return out + b"0\r\n\r\n"


class Crawl:
    """Records of one archive, with ids and dates that follow each other."""

    def __init__(self, name, day):
        self.name, self.day, self.n, self.records = name, day, 0, []

    def add(self, kind, block, uri=None, content_type="application/http; msgtype=response", extra=()):
        self.n += 1
        fields = [
            ("WARC-Record-ID", f"<urn:uuid:{self.name}-{self.n:04d}>"),
            ("WARC-Date", f"{self.day}T09:{self.n:02d}:00Z"),
        ]
        if uri:
            fields.append(("WARC-Target-URI", uri))
        fields += list(extra)
        fields.append(("Content-Type", content_type))
        self.records.append(record(kind, fields, block))

    def info(self):
        self.add("warcinfo", b"software: gazette fixture writer\r\nformat: WARC File Format 1.1\r\n",
                 content_type="application/warc-fields")

    def request(self, uri):
        host = uri.split("/")[2]
        block = f"GET /{uri.split('/', 3)[3]} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: fixture\r\n\r\n"
        self.add("request", block.encode(), uri, "application/http; msgtype=request")

    def response(self, uri, message, digest=None):
        extra = [("WARC-Payload-Digest", digest)] if digest else []
        self.add("response", message, uri, extra=extra)


def page(title, paragraphs, head_extra="", site=None, charset="utf-8"):
    """A news page with the furniture real ones have around the story."""
    site_meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="{charset}"><title>{title}</title>{site_meta}{head_extra}</head>
<body><header><p>Subscribe for unlimited access</p></header>
<nav><p>News</p><p>Sport</p><p>Business</p></nav>
<article><h1>{title}</h1>
{body}
</article>
<aside><p>Most read: weather warnings</p></aside>
<footer><p>All rights reserved.</p></footer></body></html>
"""


HTML = ("Content-Type", "text/html; charset=utf-8")


def plain_crawl():
    """crawl/2025-11-03-news-crawl.warc: every record type, uncompressed."""
    c = Crawl("plain", "2025-11-03")
    c.info()
    strike_uri = "https://www.harbour-gazette.example/news/port-calder-strike-ends"
    strike = page(
        "Dock workers end strike at Port Calder",
        [
            "Dock workers at Port Calder voted on Sunday to end a nine-day strike over night-shift pay.",
            "The union said members had accepted a revised offer from the port authority.",
            "Cranes were expected to resume work on the container terminal by Monday evening.",
        ],
        head_extra='<meta property="og:url" content="https://amp.harbour-gazette.example/strike">',
        site="The Harbour Gazette",
    ).encode()
    c.request(strike_uri)
    c.response(strike_uri, http(200, [HTML, ("Content-Length", len(strike))], strike))
    c.add("metadata", b"fetchTimeMs: 212\r\n", strike_uri, "application/warc-fields")
    bridge_uri = "https://www.riverside-courier.example/2025/10/30/bridge-reopens"
    bridge = page(
        "Old Mill bridge reopens after repairs",
        [
            "The Old Mill bridge reopened to traffic after fourteen months of repairs, the council said.",
            "Cyclists will share a widened lane with buses during the morning peak.",
        ],
        head_extra='<meta property="article:published_time" content="2025-10-29T18:00:00Z">',
    ).encode()
    c.response(
        bridge_uri,
        http(200, [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")], chunked(bridge)),
    )
    c.response(
        "http://harbour-gazette.example/news/port-calder-strike-ends",
        http(301, [("Location", strike_uri), HTML], b"<html><p>Redirecting to the story</p></html>"),
    )
    c.response(
        "https://www.harbour-gazette.example/robots.txt",
        http(200, [("Content-Type", "text/plain")], b"User-agent: *\nDisallow: /admin\n"),
    )
    c.response(
        "https://www.harbour-gazette.example/img/cranes.png",
        http(200, [("Content-Type", "image/png")], b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
    )
    c.response(
        "https://www.harbour-gazette.example/reports/annual.pdf",
        http(200, [("Content-Type", "application/pdf")], b"%PDF-1.7\n<p>Quarterly accounts</p>\n%%EOF\n"),
    )
    c.add(
        "revisit",
        http(200, [HTML], b""),
        strike_uri,
        extra=[("WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest")],
    )
    # The strike story again under a tracking URL: the same payload, one article.
    c.response(strike_uri + "?utm_source=feed", http(200, [HTML, ("Content-Length", len(strike))], strike))
    c.add("response", b"harbour-gazette.example.\t300\tIN\tA\t192.0.2.7\n", "dns:harbour-gazette.example",
          "text/dns")
    index = b"<html><head><title>Harbour Gazette - News</title></head><body><nav><p>News</p></nav>" \
            b"<ul><li><a href='/news/port-calder-strike-ends'>Strike ends</a></li></ul></body></html>"
    c.response("https://www.harbour-gazette.example/news/", http(200, [HTML], index))
    c.add("resource", b"<p>A file fetched by FTP</p>", "ftp://files.example/notes.html", "text/html")
    return c


def gzip_crawl():
    """crawl/2025-11-04-news-crawl.warc.gz: one gzip member per record."""
    c = Crawl("gzip", "2025-11-04")
    c.info()
    levy_uri = "https://meuse-observer.example/economy/cafe-levy"
    levy = page(
        "Liège café owners reject terrace levy",
        [
            "Café owners in Liège said “no” to a €2 levy on every terrace table on Tuesday.",
            "The city’s finance office – which proposed the levy – said it would consult again.",
        ],
        site="The Meuse Observer",
        charset="windows-1252",
    ).encode("cp1252")
    levy_gz = gzip.compress(levy, mtime=0)
    # The payload digest is of the payload as stored: here the gzip bytes.
    digest = sha1_digest(levy_gz)
    c.request(levy_uri)
    c.response(
        levy_uri,
        http(200, [("Content-Type", "text/html; charset=windows-1252"), ("Content-Encoding", "gzip")],
             levy_gz),
        digest=digest,
    )
    flood_uri = "https://valley-times.example/2025/09/12/flood-warning"
    flood = page(
        "Flood warning for the lower valley",
        ["Residents of the lower valley were told to move cars to higher ground as the river rose."],
    ).encode()
    c.response(flood_uri, http(200, [HTML], flood))
    # The same URL crawled again later with an updated story: a second article.
    update = page(
        "Flood warning lifted for the lower valley",
        ["The flood warning for the lower valley was lifted after the river fell overnight."],
    ).encode()
    c.response(flood_uri, http(200, [HTML], update))
    c.response("https://valley-times.example/gone", http(404, [HTML], b"<html><p>Not found</p></html>"))
    # The levy story under a print URL, the crawler's digest the same: one article.
    c.response(
        levy_uri + "/print",
        http(200, [("Content-Type", "text/html; charset=windows-1252"), ("Content-Encoding", "gzip")],
             levy_gz),
        digest=digest,
    )
    return c


def cut_crawl():
    """cut/2025-11-05-cut.warc: two whole records, then a response cut inside its page."""
    c = Crawl("cut", "2025-11-05")
    c.info()
    ferry = page("Ferry timetable changes for winter",
                 ["The island ferry will sail four times a day from the first of December."]).encode()
    c.response("https://island-post.example/ferry-winter", http(200, [HTML], ferry))
    market = page("Night market returns to the old square",
                  ["Stallholders set up in the old square for the first night market since spring."]).encode()
    c.response("https://island-post.example/night-market", http(200, [HTML], market))
    whole = b"".join(c.records)
    return whole[: len(whole) - len(c.records[-1]) // 2]


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/data/warc")
    (out / "crawl").mkdir(parents=True, exist_ok=True)
    (out / "cut").mkdir(parents=True, exist_ok=True)
    (out / "crawl/2025-11-03-news-crawl.warc").write_bytes(b"".join(plain_crawl().records))
    members = [gzip.compress(r, mtime=0) for r in gzip_crawl().records]
    (out / "crawl/2025-11-04-news-crawl.warc.gz").write_bytes(b"".join(members))
    (out / "cut/2025-11-05-cut.warc").write_bytes(cut_crawl())


if __name__ == "__main__":
    main()
