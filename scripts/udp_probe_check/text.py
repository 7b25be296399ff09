"""Text protocols: SSDP (1900), SIP (5060), WS-Discovery (3702), and plain text (echo, daytime...)."""
import re
import xml.etree.ElementTree as ET

from .core import Bad, need


# ---------------------------------------------------------------- text protocols

def crlf_lines(d, what):
    need(all(c in (9, 10, 13) or 0x20 <= c < 0x7F for c in d), f"{what}: non-ASCII or control bytes")
    need(b"\r\n\r\n" in d, f"{what}: no empty line (CRLF CRLF) ends the header")
    head, body = d.split(b"\r\n\r\n", 1)
    need(b"\n" not in head.replace(b"\r\n", b"") and b"\r" not in head.replace(b"\r\n", b""),
         f"{what}: bare CR or LF in the header: every line must end with CRLF")
    lines = head.decode("ascii").split("\r\n")
    headers = []
    for line in lines[1:]:
        need(":" in line and not line[0].isspace(), f"{what}: malformed header line {line!r}")
        k, v = line.split(":", 1)
        need(k == k.strip() and k, f"{what}: bad header name {k!r}")
        headers.append((k.lower(), v.strip()))
    return lines[0], headers, body


def check_ssdp(d):
    start, headers, body = crlf_lines(d, "SSDP")
    need(start == "M-SEARCH * HTTP/1.1", f"request line {start!r}")
    need(body == b"", "bytes after the empty line")
    h = dict(headers)
    need(len(h) == len(headers), "repeated header")
    need(h.get("host") in ("239.255.255.250:1900", "[ff02::c]:1900", "[ff05::c]:1900"), "HOST is not the SSDP multicast address:1900")
    need(h.get("man") == '"ssdp:discover"', 'MAN must be "ssdp:discover" with the quotes')
    need(h.get("mx", "").isdigit() and 1 <= int(h["mx"]) <= 5, "MX must be 1..5")
    need(h.get("st"), "ST missing")
    return f"SSDP M-SEARCH ST={h['st']} MX={h['mx']}"


def check_sip(d):
    start, headers, body = crlf_lines(d, "SIP")
    m = re.fullmatch(r"([A-Z]+) (sips?:\S+) SIP/2\.0", start)
    need(m, f"request line {start!r}")
    method = m.group(1)
    h = {}
    for k, v in headers:
        h.setdefault({"v": "via", "f": "from", "t": "to", "i": "call-id", "l": "content-length", "m": "contact"}.get(k, k), v)
    for k in ("via", "max-forwards", "from", "to", "call-id", "cseq"):
        need(k in h, f"mandatory header {k} missing (RFC 3261 8.1.1)")
    need(re.search(r";branch=z9hG4bK", h["via"]), "Via branch must start with z9hG4bK (RFC 3261 8.1.1.7)")
    need(h["via"].startswith("SIP/2.0/UDP "), "Via transport is not UDP")
    need(re.search(r";tag=", h["from"]), "From has no tag")
    need(";tag=" not in h["to"], "To of an out-of-dialog request has no tag")
    cseq = h["cseq"].split()
    need(len(cseq) == 2 and cseq[0].isdigit() and cseq[1] == method, "CSeq method differs from the request method")
    need(h["max-forwards"].isdigit() and int(h["max-forwards"]) <= 255, "bad Max-Forwards")
    need("content-length" in h, "Content-Length missing (needed on UDP for a clear message end)")
    need(int(h["content-length"]) == len(body), f"Content-Length {h['content-length']} but the body is {len(body)} bytes")
    rport = "rport" if re.search(r";rport(;|$|=)", h["via"]) else "no rport"
    return f"SIP {method} {m.group(2)} Max-Forwards={h['max-forwards']} ({rport})"


def check_text_any(d, what):
    need(all(c in (9, 10, 13) or 0x20 <= c < 0x7F for c in d), f"{what}: non-ASCII or control bytes")
    return f"{what}: {len(d)} byte(s) of text {d[:24]!r}"


def check_wsdiscovery(d):
    try:
        root = ET.fromstring(d)
    except ET.ParseError as e:
        raise Bad(f"WS-Discovery: XML does not parse: {e}")
    soap, wsa = "{http://www.w3.org/2003/05/soap-envelope}", "{http://schemas.xmlsoap.org/ws/2004/08/addressing}"
    wsd = "{http://schemas.xmlsoap.org/ws/2005/04/discovery}"
    need(root.tag == soap + "Envelope", f"root element {root.tag}, want a SOAP 1.2 Envelope")
    header, body = root.find(soap + "Header"), root.find(soap + "Body")
    need(header is not None and body is not None, "Envelope needs Header and Body")
    action, to, mid = (header.findtext(wsa + x) for x in ("Action", "To", "MessageID"))
    need(action == "http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe", f"Action {action!r}")
    need(to == "urn:schemas-xmlsoap-org:ws:2005:04:discovery", f"To {to!r}")
    need(mid and re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", mid), f"MessageID {mid!r}")
    need(len(body) == 1 and body[0].tag == wsd + "Probe", "Body must hold exactly one d:Probe")
    return f"WS-Discovery 2005/04 Probe MessageID={mid}"
