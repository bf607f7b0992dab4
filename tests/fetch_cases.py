"""Shared cases of the fetch tests: two real-looking stories and the hostile URL table.

``HOSTILE`` is the one list of URLs the SSRF guard must refuse without connecting anywhere; the
library tests (tests/test_fetch_guard.py) and the ``fetch_url`` command tests
(tests/test_fetch_command.py) both run every row. ``{port}`` is a listening port on 127.0.0.1
(allowed by the policy), so a guard that let a loopback spelling through would be caught
connecting. The names under "fake resolver" are answered from ``HOSTILE_DNS`` (install it with
the ``fake_dns`` fixture of tests/httpfixtures.py).
"""

from __future__ import annotations

PUBLIC_IP = "93.184.215.14"  # only ever handed to a fake connect, never dialled

# What tests (the ``loopback`` fixture) and tests/drill_worker.py set VERIFY_FETCH_POLICY to: the
# factory in tests/httpfixtures.py that allows loopback. A plain string here, so test modules
# and the drill worker can name it without importing the fixtures module.
LOOPBACK_POLICY = "tests.httpfixtures.loopback_policy"

ENGLISH_STORY = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Monsoon rains arrive early in Kerala, weather office says | Wire</title>
<script>window.tracking = "do-not-extract";</script>
<style>.ad { color: red }</style>
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe now</a></nav></header>
<article>
<h1>Monsoon rains arrive early in Kerala, weather office says</h1>
<p>THIRUVANANTHAPURAM, May 29 (Wire) - Monsoon rains arrived over the southern state of Kerala
three days ahead of schedule, the India Meteorological Department said on Thursday, raising hopes
of a strong start to the planting season for summer crops.</p>
<p>The monsoon delivers nearly 70% of the rain India needs to water farms and recharge reservoirs
and aquifers. Nearly half of the country's farmland, without any irrigation cover, depends on the
annual June-September rains.</p>
<p>"Conditions are favourable for further advance of the monsoon into more parts of the central
Arabian Sea and the northeastern states during the next three to four days," the weather office
said in a statement.</p>
<p>Farmers typically start planting rice, cotton, soybeans and sugar cane with the arrival of the
rains. The weather office has forecast above-average rainfall for the season for a second year.</p>
<p>Good rains could help cool food inflation, which has stayed above the central bank's target for
most of the past year, analysts said.</p>
</article>
<aside>Most read: Celebrity gossip you cannot miss</aside>
<footer>Copyright Wire 2025. All rights reserved. Cookie settings.</footer>
</body></html>
"""

# Charset only in <meta>, not in the Content-Type header: decoding must find it there.
HINDI_STORY = """<!doctype html>
<html lang="hi"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>दिल्ली में मेट्रो का नया गलियारा खुला | समाचार</title></head><body>
<nav><a href="/">मुखपृष्ठ</a> <a href="/desh">देश</a> <a href="/login">लॉग इन करें</a></nav>
<article>
<h1>दिल्ली में मेट्रो का नया गलियारा खुला</h1>
<p>नई दिल्ली, 12 जून (समाचार एजेंसी) दिल्ली मेट्रो रेल निगम ने बुधवार को शहर के पूर्वी हिस्से में
नए गलियारे पर यात्री सेवा शुरू कर दी, जिससे रोज़ाना लगभग दो लाख यात्रियों को फायदा होने की उम्मीद है।</p>
<p>निगम के एक प्रवक्ता ने बताया कि नया गलियारा बारह किलोमीटर लंबा है और इसमें दस स्टेशन हैं। उन्होंने
कहा कि सुबह छह बजे से रात ग्यारह बजे तक हर पांच मिनट पर ट्रेनें चलेंगी।</p>
<p>परिवहन मंत्री ने उद्घाटन के मौके पर कहा कि इस परियोजना से सड़कों पर भीड़ कम होगी और प्रदूषण घटाने में
मदद मिलेगी। उन्होंने बताया कि परियोजना पर कुल तीन हज़ार करोड़ रुपये खर्च हुए हैं।</p>
<p>यात्रियों ने नई सेवा का स्वागत किया, हालांकि कुछ लोगों ने स्टेशनों तक पहुंचने के लिए बेहतर बस
सेवा की मांग की। निगम ने कहा कि अगले महीने से फीडर बसें भी चलाई जाएंगी।</p>
</article>
<footer>सर्वाधिकार सुरक्षित। विज्ञापन के लिए संपर्क करें।</footer>
</body></html>
"""


HOSTILE = [
    # loopback in every spelling getaddrinfo understands
    ("http://127.0.0.1:{port}/", "refused: 127.0.0.1 is a loopback address"),
    ("http://127.0.0.2:{port}/", "refused: 127.0.0.2 is a loopback address"),
    ("http://2130706433:{port}/", "refused: 2130706433 resolves to 127.0.0.1, a loopback address"),
    ("http://0x7f000001:{port}/", "resolves to 127.0.0.1, a loopback address"),
    ("http://0x7f.1:{port}/", "refused: 0x7f.1 resolves to 127.0.0.1, a loopback address"),
    ("http://127.1:{port}/", "refused: 127.1 resolves to 127.0.0.1, a loopback address"),
    ("http://0177.0.0.1:{port}/", "refused: invalid URL"),
    ("http://[::1]:{port}/", "refused: ::1 is a loopback address"),
    ("http://[::ffff:7f00:1]:{port}/", "IPv4-mapped IPv6 address (of 127.0.0.1)"),
    ("http://[0:0:0:0:0:ffff:127.0.0.1]:{port}/", "IPv4-mapped IPv6 address (of 127.0.0.1)"),
    ("http://[::127.0.0.1]:{port}/", "IPv4-compatible IPv6 address (of 127.0.0.1)"),
    ("http://[2002:7f00:1::1]:{port}/", "6to4 address embedding 127.0.0.1, a loopback address"),
    ("http://[64:ff9b::7f00:1]:{port}/", "NAT64 address embedding 127.0.0.1, a loopback address"),
    ("http://localhost:{port}/", "refused: localhost is this machine"),
    ("http://localhost.:{port}/", "refused: localhost is this machine"),
    ("http://LocalHost:{port}/", "refused: localhost is this machine"),
    ("http://api.localhost:{port}/", "refused: api.localhost is a local network name"),
    ("http://ＬＯＣＡＬＨＯＳＴ:{port}/", "refused: invalid URL"),
    ("http://%6c%6f%63%61%6c%68%6f%73%74:{port}/", "percent-encoded host names are not allowed"),
    ("http://%31%32%37.0.0.1:{port}/", "percent-encoded host names are not allowed"),
    ("http://0.0.0.0:{port}/", "refused: 0.0.0.0 is an unspecified address"),
    ("http://0:{port}/", "refused: 0 resolves to 0.0.0.0, an unspecified address"),
    ("http://[::]:{port}/", "refused: :: is an unspecified address"),
    # private, shared, link-local and other non-global ranges
    ("http://10.0.0.1/", "refused: 10.0.0.1 is a private address"),
    ("http://172.16.5.4/", "refused: 172.16.5.4 is a private address"),
    ("http://192.168.1.1/admin", "refused: 192.168.1.1 is a private address"),
    ("http://100.64.0.1/", "refused: 100.64.0.1 is a shared (carrier-grade NAT) address"),
    ("http://169.254.169.254/latest/meta-data/", "link-local address (cloud metadata service)"),
    ("http://[fe80::1]/", "refused: fe80::1 is a link-local address"),
    ("http://[fe80::1%25eth0]/", "percent-encoded host names are not allowed"),
    ("http://[fd00::1]/", "refused: fd00::1 is a private address"),
    ("http://[::ffff:a9fe:a9fe]/", "IPv4-mapped IPv6 address (of 169.254.169.254)"),
    ("http://[2002:a9fe:a9fe::1]/", "6to4 address embedding 169.254.169.254"),
    ("http://[64:ff9b::a00:1]/", "NAT64 address embedding 10.0.0.1, a private address"),
    ("http://224.0.0.1/", "refused: 224.0.0.1 is a multicast address"),
    ("http://240.0.0.1/", "refused: 240.0.0.1 is a reserved address"),
    ("http://192.0.2.10/", "refused: 192.0.2.10 is a documentation address"),
    ("http://198.18.0.1/", "refused: 198.18.0.1 is a benchmarking address"),
    ("http://metadata.google.internal/", "refused: metadata.google.internal is a local network name"),
    # names whose DNS answers point inside (fake resolver)
    ("http://rebind.example:{port}/", "refused: rebind.example resolves to 10.0.0.5, a private address"),
    ("http://mixed.example:{port}/", "refused: mixed.example resolves to 127.0.0.1, a loopback address"),
    ("http://meta.example/", "refused: meta.example resolves to 169.254.169.254"),
    ("http://v6.example/", "refused: v6.example resolves to fd12:3456::1, a private address"),
    # scheme, credentials, port, malformed
    ("http://user:secret@127.0.0.1:{port}/", "refused: credentials in URLs are not allowed"),
    ("http://news.example@127.0.0.1:{port}/", "refused: credentials in URLs are not allowed"),
    ("ftp://127.0.0.1/", "refused: scheme ftp is not allowed"),
    ("file:///etc/passwd", "refused: scheme file is not allowed"),
    ("gopher://127.0.0.1:{port}/_GET", "refused: scheme gopher is not allowed"),
    ("http://news.example:8080/", "refused: port 8080 is not allowed"),
    ("http://news.example:0/", "refused: port 0 is not allowed"),
    ("http:///no-host", "refused: the URL has no host"),
    ("http://exa_mple..com/", "is not a valid host name"),
]

HOSTILE_DNS = {
    "rebind.example": ["10.0.0.5"],
    "mixed.example": [PUBLIC_IP, "127.0.0.1"],
    "meta.example": ["169.254.169.254"],
    "v6.example": ["fd12:3456::1"],
}
