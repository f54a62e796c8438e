"""Second written batch (mailwrite lane, 2026-12-07): assembles the
messages in mailwrite/*.txt into phish/mw-NNN.eml and benign/mw-NNN.eml.

Every subject, sender and body in mailwrite/*.txt was written one by one,
by hand, from general knowledge of 2025-2027 mail; this script only puts
headers around that text. No corpus text was read or used. Called from
make_written.py; output is deterministic (fixed seeds, fixed dates).

Data format: messages are separated by lines starting with "%%". Header
lines come first, then a blank line, then the body:
  F: Display Name <mailbox@domain>   (sender; required)
  S: subject                         (required)
  A: spf dkim dmarc                  (authentication results; "-" for none:
                                      the default for mail from {org})
  R: reply-to address
  P: return path (bounce address), when not the sender's
  T: text | html | alt | img | qr | att:NAME.html | pdf:NAME.pdf | ics
  L: list                            (a newsletter: List-Unsubscribe)
Body markup: [label](url) is a link; {b:...} mathematical bold letters,
{z:...} zero-width spaces between letters, {c:...} Cyrillic look-alike
letters; {first} and {to} are the recipient's first name and address,
{org} the recipient's domain (for mail from colleagues).
"""
import glob, hashlib, html as htmlmod, os, random, re, unicodedata
from datetime import datetime, timezone, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

HERE = os.path.dirname(os.path.abspath(__file__))
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f0"
                    "5d0b0000000049454e44ae426082")
PEOPLE = [("Marisa", "Okafor"), ("Joost", "Verhoeven"), ("Beatriz", "Nogueira"), ("Matthias", "Brandt"),
          ("Élodie", "Carpentier"), ("Lorenzo", "Gallo"), ("Ainhoa", "Echeverría"), ("Priya", "Raman"),
          ("Tomás", "Aguilar"), ("Hanna", "Lindqvist"), ("Rafael", "Monteiro"), ("Sanne", "Kuipers"),
          ("Gabriel", "Fontaine"), ("Chiara", "Bellini"), ("Owen", "Fitzgerald"), ("Lucía", "Paredes")]
DOMAINS = ["quillmark.io", "ostrander-group.com", "baumhaus-technik.de", "polder-energie.nl",
           "vinhas-douro.pt", "estudio-alba.es", "maison-garance.fr", "officine-tevere.it", "example-corp.com"]
AUTH_PHISH = [("pass", "pass", "none"), ("softfail", "none", "none"), ("none", "none", "none"),
              ("pass", "none", "fail"), ("pass", "pass", "pass"), ("neutral", "none", "none")]
CYR = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "i": "\u0456",
       "x": "\u0445", "y": "\u0443", "A": "\u0410", "E": "\u0415", "O": "\u041e", "P": "\u0420",
       "C": "\u0421", "M": "\u041c", "T": "\u0422", "B": "\u0412", "H": "\u041d", "K": "\u041a"}
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def bold(s):
    out = []
    for ch in s:
        if "A" <= ch <= "Z":
            out.append(chr(0x1D400 + ord(ch) - 65))
        elif "a" <= ch <= "z":
            out.append(chr(0x1D41A + ord(ch) - 97))
        elif "0" <= ch <= "9":
            out.append(chr(0x1D7CE + ord(ch) - 48))
        else:
            out.append(ch)
    return "".join(out)


def tricks(s):
    s = re.sub(r"\{b:([^}]*)\}", lambda m: bold(m.group(1)), s)
    s = re.sub(r"\{z:([^}]*)\}", lambda m: "\u200b".join(m.group(1)), s)
    return re.sub(r"\{c:([^}]*)\}", lambda m: "".join(CYR.get(ch, ch) for ch in m.group(1)), s)


def parse(path):
    msgs = []
    for chunk in re.split(r"(?m)^%%.*\n", open(path, encoding="utf-8").read()):
        if not chunk.strip():
            continue
        head, _, body = chunk.partition("\n\n")
        h = {}
        for line in head.strip().splitlines():
            k, _, v = line.partition(":")
            h[k.strip()] = v.strip()
        if "F" not in h or "S" not in h:
            raise SystemExit("%s: message without F: or S: near %r" % (path, chunk[:60]))
        msgs.append((h, body.strip()))
    return msgs


def as_text(body):
    return LINK.sub(lambda m: m.group(2) if m.group(1) == m.group(2) else "%s <%s>" % m.groups(), body) + "\n"


def as_html(body, button):
    paras = []
    for p in body.split("\n\n"):
        esc = htmlmod.escape(p, quote=False)
        esc = LINK.sub(lambda m: "<a href=\"%s\"%s>%s</a>" % (m.group(2), button, m.group(1)), esc)
        paras.append("<p>" + esc.replace("\n", "<br>") + "</p>")
    return ("<html><body style=\"font-family:Helvetica,Arial,sans-serif;font-size:14px\">%s</body></html>"
            % "\n".join(paras))


def write(kind, idx, h, body, r):
    first, last = PEOPLE[r.randrange(len(PEOPLE))]
    local = unicodedata.normalize("NFKD", "%s.%s" % (first, last)).encode("ascii", "ignore").decode().lower()
    rcpt = "%s@%s" % (local, r.choice(DOMAINS))
    org = rcpt.split("@")[1]
    body = tricks(body.replace("{first}", first).replace("{to}", rcpt).replace("{org}", org))
    m = re.match(r"(.*?)\s*<([^>]+)>$", h["F"].replace("{to}", rcpt).replace("{org}", org))
    name, addr = (tricks(m.group(1).strip('"')), m.group(2)) if m else ("", h["F"])
    dom = addr.split("@")[-1]
    mfrom = h.get("P", addr).split("@")[-1]
    auth = h.get("A", "-" if "{org}" in h["F"] else "pass pass pass" if kind == "benign" else " ".join(r.choice(AUTH_PHISH)))
    when = datetime(2026, 8, 3, 7, 12, tzinfo=timezone.utc) + timedelta(minutes=idx * 211 + r.randrange(60))
    rdom = rcpt.split("@")[1]
    msg = EmailMessage()
    msg["Return-Path"] = "<%s>" % h.get("P", addr)
    msg["Received"] = "from mail.%s ([%s.%d]) by mx.%s with ESMTPS; %s" % (
        dom, r.choice(["198.51.100", "203.0.113"]), r.randrange(2, 254), rdom, format_datetime(when))
    if auth != "-":  # mail between colleagues is delivered inside the organisation, unchecked
        spf, dkim, dmarc = auth.split()
        msg["Authentication-Results"] = "mx.%s; spf=%s smtp.mailfrom=%s; dkim=%s header.d=%s; dmarc=%s header.from=%s" % (
            rdom, spf, mfrom, dkim, dom, dmarc, dom)
    msg["From"] = '"%s" <%s>' % (name, addr) if name else addr
    msg["To"] = rcpt
    msg["Subject"] = tricks(h["S"].replace("{first}", first))
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = "<%s@%s>" % (hashlib.sha1(("mw%s%d" % (kind, idx)).encode()).hexdigest()[:24], dom)
    if "R" in h:
        msg["Reply-To"] = h["R"]
    if h.get("L") == "list":
        msg["List-Unsubscribe"] = "<https://%s/unsubscribe/%s>" % (dom, hashlib.md5(addr.encode() + bytes([idx % 256])).hexdigest()[:16])
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    style = h.get("T", "text")
    links = LINK.findall(body)
    button = " style=\"background:#1a5fb4;color:#fff;padding:10px 20px;text-decoration:none\"" if kind == "phish" else ""
    if style == "text" or style.startswith(("pdf:", "att:")) or style in ("qr", "ics"):
        msg.set_content(as_text(body))
    elif style == "html":
        msg.set_content(as_html(body, button), subtype="html")
    elif style == "alt":
        msg.set_content(as_text(body))
        msg.add_alternative(as_html(body, button), subtype="html")
    elif style == "img":
        url = links[0][1] if links else "https://example.invalid/"
        alt = htmlmod.escape(LINK.sub(r"\1", body).replace("\n", " "), quote=True)
        msg.set_content("<html><body><center><a href=\"%s\"><img src=\"cid:hero%d\" width=\"640\" height=\"480\" "
                        "alt=\"%s\" border=\"0\"></a></center></body></html>" % (url, idx, alt), subtype="html")
        msg.add_attachment(PNG, maintype="image", subtype="png", filename="hero%d.png" % idx)
    else:
        raise SystemExit("unknown style %r" % style)
    if style == "qr":
        msg.add_attachment(PNG, maintype="image", subtype="png", filename="qrcode_%d.png" % idx)
    elif style.startswith("att:"):
        url = links[0][1] if links else "https://example.invalid/"
        page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title></head><body>"
                "<form action=\"%s\" method=\"post\"><input type=\"email\" name=\"login\" value=\"%s\">"
                "<input type=\"password\" name=\"pwd\"><button type=\"submit\">OK</button></form></body></html>"
                % (htmlmod.escape(msg["Subject"]), url, rcpt))
        msg.add_attachment(page, subtype="html", filename=style[4:])
    elif style.startswith("pdf:"):
        msg.add_attachment(b"%PDF-1.4\n% written sample (mailwrite)\n%%EOF\n", maintype="application",
                           subtype="pdf", filename=style[4:])
    elif style == "ics":
        msg.add_attachment("BEGIN:VCALENDAR\nVERSION:2.0\nMETHOD:REQUEST\nBEGIN:VEVENT\nSUMMARY:%s\n"
                           "ORGANIZER:mailto:%s\nATTENDEE:mailto:%s\nEND:VEVENT\nEND:VCALENDAR\n"
                           % (msg["Subject"], addr, rcpt), subtype="calendar", filename="invite.ics")
    with open(os.path.join(HERE, kind, "mw-%03d.eml" % idx), "wb") as f:
        f.write(bytes(msg))


def main():
    """Writes every message in mailwrite/<kind>_*.txt, in file-name order."""
    random.seed(20261207 + 2)  # the email package draws MIME boundaries from the global generator
    for kind in ("phish", "benign"):
        r = random.Random("mailwrite-" + kind)
        for old in glob.glob(os.path.join(HERE, kind, "mw-*.eml")):
            os.remove(old)
        idx = 0
        for path in sorted(glob.glob(os.path.join(HERE, "mailwrite", kind + "_*.txt"))):
            for h, body in parse(path):
                idx += 1
                write(kind, idx, h, body, r)
        print("mailwrite: %d %s" % (idx, kind))


if __name__ == "__main__":
    main()
