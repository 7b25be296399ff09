"""What every check shares: datagram limits, the Bad exception and a bounds-checked reader."""
import struct


IPV6_LIMIT = 1500 - 40 - 8
IPV4_LIMIT = 1500 - 20 - 8
EXTRA_FILES = {"README.md", ".gitattributes"}


class Bad(Exception):
    pass


def need(cond, msg):
    if not cond:
        raise Bad(msg)


class Reader:
    """Big-endian reader that fails (Bad) instead of reading past the end."""

    def __init__(self, data, what="payload"):
        self.d, self.i, self.what = data, 0, what

    def left(self):
        return len(self.d) - self.i

    def take(self, n, field="field"):
        need(n >= 0 and self.i + n <= len(self.d), f"{self.what}: truncated {field} at offset {self.i}")
        b = self.d[self.i:self.i + n]
        self.i += n
        return b

    def u8(self, f="u8"):
        return self.take(1, f)[0]

    def u16(self, f="u16"):
        return struct.unpack(">H", self.take(2, f))[0]

    def u32(self, f="u32"):
        return struct.unpack(">I", self.take(4, f))[0]

    def end(self):
        need(self.left() == 0, f"{self.what}: {self.left()} unexpected trailing byte(s) at offset {self.i}")
