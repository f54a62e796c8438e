#!/usr/bin/env python3
"""Writes the mailscan evaluation set: hand-written scenarios modelled on
today's phishing and today's normal mail, in several languages.

Run from this folder: python3 make_eval.py. Output is deterministic.
The held-out scenarios (heldout/) were written before any tuning and are
never used to tune rules; eval_test.go reports them separately.
"""
import base64, hashlib, io, os, zipfile
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timezone, timedelta

OUT = os.path.dirname(os.path.abspath(__file__))
N = {"phish": 0, "benign": 0, "heldout/phish": 0, "heldout/benign": 0}
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==") * 40

def auth(spf, dkim, dmarc, domain, mailfrom=None, d=None):
    return ("mx.example-corp.com; spf=%s smtp.mailfrom=%s; dkim=%s header.d=%s; dmarc=%s header.from=%s"
            % (spf, mailfrom or domain, dkim, d or domain, dmarc, domain))

def write(kind, slug, frm, subject, text=None, html=None, to="alex.morgan@example-corp.com",
          ar=None, reply_to=None, return_path=None, attach=(), headers=(), day=0, ip="203.0.113.10"):
    m = EmailMessage()
    m["Return-Path"] = "<%s>" % (return_path or frm.split("<")[-1].strip(">"))
    m["Received"] = "from mail.sender.example ([%s]) by mx.example-corp.com with ESMTPS; %s" % (ip, format_datetime(datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc) + timedelta(days=day)))
    if ar:
        m["Authentication-Results"] = ar
    m["From"] = frm
    m["To"] = to
    if reply_to:
        m["Reply-To"] = reply_to
    m["Subject"] = subject
    m["Date"] = format_datetime(datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc) + timedelta(days=day, minutes=N[kind] * 7))
    m["Message-ID"] = "<%s.%d@%s>" % (hashlib.sha1((kind + slug).encode()).hexdigest()[:16], N[kind], frm.split("@")[-1].strip(">"))
    for k, v in headers:
        m[k] = v
    if text:
        m.set_content(text)
    if html:
        if text:
            m.add_alternative(html, subtype="html")
        else:
            m.set_content(html, subtype="html")
    for name, ctype, data in attach:
        maintype, subtype = ctype.split("/")
        if maintype == "text" and isinstance(data, str):
            m.add_attachment(data, subtype=subtype, filename=name)
        else:
            m.add_attachment(data if isinstance(data, bytes) else data.encode(), maintype=maintype, subtype=subtype, filename=name)
    N[kind] += 1
    path = os.path.join(OUT, kind, "%03d-%s.eml" % (N[kind], slug))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(bytes(m))

def zipped(entries, encrypt=False):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        for name, data in entries:
            z.writestr(name, data)
    data = bytearray(b.getvalue())
    if encrypt:  # set the "encrypted" flag bit on every entry (listing only)
        i = 0
        while True:
            i = data.find(b"PK\x03\x04", i)
            if i < 0: break
            data[i + 6] |= 1; i += 4
        i = 0
        while True:
            i = data.find(b"PK\x01\x02", i)
            if i < 0: break
            data[i + 8] |= 1; i += 4
    return bytes(data)

def page(body):
    return "<html><body style='font-family:Arial'>%s</body></html>" % body

SMUGGLE = """<html><body><script>var d=atob('%s');var b=new Blob([d],{type:'application/octet-stream'});
var a=document.createElement('a');a.href=URL.createObjectURL(b);a.download='Invoice.iso';a.click();</script>
<p>Loading your document...</p></body></html>""" % base64.b64encode(b"MZ" + bytes(range(256)) * 3).decode()

LOGIN_PAGE = """<html><body><h2>%s</h2><p>Your session expired. Sign in to view the document.</p>
<form action="%s" method="post"><input name="email" value="alex.morgan@example-corp.com">
<input type="password" name="pw"><button>Sign in</button></form></body></html>"""

exec(open(os.path.join(OUT, "scenarios_phish.py")).read())
exec(open(os.path.join(OUT, "scenarios_benign.py")).read())
exec(open(os.path.join(OUT, "scenarios_heldout.py")).read())
print(N)
