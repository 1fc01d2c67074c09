#!/usr/bin/env python3
"""Turns an strace log (-xx -s 65536 -e trace=recvmsg,recvfrom -e read=all) into a netlink vector file.

Usage: strace2vector.py STRACE_LOG OUT.txt "COMMAND" [NOTE...]
Every received datagram (MSG_PEEK calls skipped) becomes one "# datagram N" block of lowercase hex, 16 bytes a
line, in the format of tests/LinuxIsolation.Netlink.Tests/Vectors/README.md. The byte count of each dump is checked
against the syscall's return value and the netlink lengths inside it.
"""
import re
import struct
import sys

log, out, command, notes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
datagrams, current, expected = [], None, 0
call = re.compile(r'^\d+\s+(recvmsg|recvfrom)\(.*\)\s+=\s+(\d+)')
dump = re.compile(r'^ \| [0-9a-f]{5}  ((?:[0-9a-f]{2} ?){1,16}(?:\s+[0-9a-f]{2} ?)*)')
for line in open(log, encoding='latin-1'):
    m = call.match(line)
    if m:
        if current is not None and len(current) == expected and expected > 0:
            datagrams.append(bytes(current))
        peek = 'MSG_PEEK' in line
        current, expected = (None, 0) if peek else ([], int(m.group(2)))
        continue
    if current is not None and line.startswith(' | '):
        hexpart = line[10:10 + 16 * 3 + 1]
        current.extend(int(b, 16) for b in hexpart.split())
if current is not None and len(current) == expected and expected > 0:
    datagrams.append(bytes(current))

for d in datagrams:
    off = 0
    while off + 16 <= len(d):
        n = struct.unpack_from('<I', d, off)[0]
        assert 16 <= n <= len(d) - off, (out, off, n, len(d))
        off += (n + 3) & ~3
    assert off >= len(d), (out, off, len(d))

with open(out, 'w') as f:
    f.write(f'# command: {command}\n')
    f.write(f'# captured-with: strace -f -xx -s 65536 -e trace=recvmsg,recvfrom -e read=all (tests/Fuzz/Corpus/capture.sh)\n')
    f.write('# direction: reply\n')
    for n in notes:
        f.write(f'# note: {n}\n')
    for i, d in enumerate(datagrams, 1):
        f.write(f'# datagram {i}\n')
        for o in range(0, len(d), 16):
            f.write(' '.join(f'{b:02x}' for b in d[o:o + 16]) + '\n')
print(f'{out}: {len(datagrams)} datagrams, {sum(map(len, datagrams))} bytes')
