"""HJ 212 framing for the python3 field units of the server tests, written apart from envmon's
Swift code: the CRC as ../shared/reference/hj212.md §3 describes it, and the frame around a
data segment."""


def crc(data: bytes) -> int:
    reg = 0xFFFF
    for b in data:
        reg = (reg >> 8) ^ b
        for _ in range(8):
            lsb = reg & 1
            reg >>= 1
            if lsb:
                reg ^= 0xA001
    return reg


def frame(segment: str, crc_override=None) -> bytes:
    """`##` + 4-digit length + segment + 4 hex CRC digits (or `crc_override`) + CR LF."""
    seg = segment.encode()
    c = crc_override if crc_override is not None else "%04X" % crc(seg)
    return b"##%04d" % len(seg) + seg + c.encode() + b"\r\n"
