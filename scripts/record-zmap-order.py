#!/usr/bin/env python3
"""Records ZMap 4's target orders from the reference build for Tests/XMapCoreTests/ZMapOrderFixture.swift.

    scripts/record-zmap-order.py > body.txt     # the elements of `zmapRecordedOrders`

Needs the reference build in $ZMAP_REF (default /work/ref: bin/ziterate, bin/zmap, ns-run.sh). zmap runs only
as `--dryrun` inside ns-run.sh (a private network namespace with loopback only). Single-threaded orders and
sender-thread segments come from ziterate (thread t of -T T --shards N --shard n is its sub-shard n*T+t of
N*T); the --max-targets cases from zmap --dryrun with real sender threads (a high rate and a large batch, so
ZMap neither drops to one sender nor interleaves a thread's output); the generator from zmap's metadata (-m).
"""
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile

REF = os.environ.get('ZMAP_REF', '/work/ref')
HEAD = 4  # targets shown at each end of a segment too long to list

# One case per entry (indented lines continue it): the arguments of case() after `work`.
SPEC = """
# Small spaces, listed in full.
'a /28, seed 1', '192.0.2.0/28', full=True
'a single address, no port', '192.0.2.7', seed=3, full=True
'a single address, two ports', '192.0.2.7', ports='80,443', full=True
'three addresses: most elements decode past the last address index', '192.0.2.1 192.0.2.9 192.0.2.200',
    seed=31, full=True
'five addresses, three ports', '192.0.2.0/30 192.0.2.100', ports='1,2,3', seed=7, full=True
'unsorted ports', '192.0.2.0/28', ports='443,80,22,8080', seed=6, full=True
'a repeated port', '192.0.2.0/29', ports='80,80,443', seed=6, full=True
# A /24 under several seeds (ZMap parses --seed with strtoll: 2^64-1 is given as -1).
'a /24, seed 0', '198.51.100.0/24', seed=0
'a /24, seed 2', '198.51.100.0/24', seed=2
'a /24, seed 5, one port', '198.51.100.0/24', ports='80', seed=5
'a /24, seed 42, one port', '198.51.100.0/24', ports='443', seed=42
'a /24, seed 2^63-1', '198.51.100.0/24', seed=9223372036854775807
'a /24, seed 2^64-1', '198.51.100.0/24', seed=18446744073709551615
# Larger prefixes, several subnets, lists.
'a /20', '10.20.16.0/20', seed=1
'a /20, one port', '10.20.16.0/20', ports='80', seed=9
'a /16', '10.7.0.0/16', seed=1
'a /16, one port', '172.30.0.0/16', ports='22', seed=77
'several subnets', '192.0.2.0/28 198.51.100.128/25 203.0.113.5 10.0.0.0/22', seed=11
'a blocklist punching holes', '10.0.0.0/22', block='10.0.1.0/24 10.0.2.7 10.0.0.128/26', seed=13
'a /16 among small prefixes, with holes', '9.9.9.9 10.0.0.0/16 10.1.0.0/20 192.168.1.0/30 172.16.0.0/17',
    block='10.0.64.5 10.0.200.0/24', seed=21
'overlapping prefixes, a /18 with one hole', '10.0.0.0/16 10.0.0.0/30 8.8.8.8/31 10.5.0.0/18 10.6.0.0/19',
    block='10.5.0.1', seed=4
# Port lists.
'three ports', '192.0.2.0/26', ports='80,443,22', seed=3
'a port range and single ports', '192.0.2.0/27', ports='1000-1010,22,80', seed=8
# Shards (one sender thread each).
'shard 0 of 3', '198.51.100.0/24', ports='80,443', seed=17, shards=3, shard=0
'shard 1 of 3', '198.51.100.0/24', ports='80,443', seed=17, shards=3, shard=1
'shard 2 of 3', '198.51.100.0/24', ports='80,443', seed=17, shards=3, shard=2
# Sender threads: one segment per thread.
'two threads', '198.51.100.0/24', ports='80', seed=19, threads=2
'four threads', '198.51.100.0/23', ports='80,443', seed=19, threads=4
'shard 2 of 3 with four threads', '10.1.0.0/20', ports='80', seed=23, shards=3, shard=2, threads=4
'three threads, three addresses: an empty segment', '192.0.2.1 192.0.2.9 192.0.2.200', seed=31, threads=3, full=True
# --max-targets, split over sub-shards (recorded from zmap --dryrun with real sender threads).
'max 10, one thread', '198.51.100.0/24', ports='80', seed=5, mx=10, full=True
'max 9 over 4 threads', '198.51.100.0/24', ports='80', seed=9, threads=4, mx=9
'max 100 over 4 threads', '198.51.100.0/24', ports='80', seed=5, threads=4, mx=100
'max 103 over 4 threads', '198.51.100.0/23', ports='80', seed=6, threads=4, mx=103
'max 101 over 2 shards x 3 threads, shard 1', '198.51.100.0/22', ports='80,443', seed=7, shards=2, shard=1,
    threads=3, mx=101
'max 5 over 2 threads, three ports', '192.0.2.0/28', ports='80,443,22', seed=11, threads=2, mx=5
# Every group of the table (the first 20,000 targets of spaces too large to list).
'a /8 (group 2^24+43)', '10.0.0.0/8', seed=1, prefix=20000
'a /16 with 4096 ports (group 2^28+3)', '10.0.0.0/16', ports='1-4096', seed=2, prefix=20000
'all of IPv4 (group 2^32+15)', '', ports='80', seed=1, prefix=20000
'all of IPv4, two ports (group 2^33+17)', '', ports='80,443', seed=2, prefix=20000
'all of IPv4, three ports (group 2^34+25)', '', ports='80,443,8080', seed=3, prefix=20000
'all of IPv4, 16 ports (group 2^36+31)', '', ports='1-16', seed=4, prefix=20000
'all of IPv4, 256 ports (group 2^40+15)', '', ports='1-256', seed=5, prefix=20000
'all of IPv4, 1024 ports (group 2^44+7, overflowing step)', '', ports='1-1024', seed=1, prefix=20000
'all of IPv4, 40001 ports (group 2^48+23, overflowing step)', '', ports='0-40000', seed=7, prefix=20000
"""


def zmap_seed(seed):
    """ZMap parses --seed with strtoll: a seed of 2^63 or more is given as its negative twin."""
    return str(seed if seed < 2**63 else seed - 2**64)


def dryrun(work, args):
    """zmap --dryrun (tcp_synscan) in a private network namespace: 'ip,port' lines in output order."""
    block = [] if '-b' in args else ['-b', '/dev/null']
    cmd = [REF + '/ns-run.sh', REF + '/bin/zmap', '--dryrun', '-i', 'lo', '-G', '00:11:22:33:44:55', *block,
           '--batch', '65535', '-r', '100000000', '-q', *args]
    with open(work + '/zmap.err', 'w') as err:
        text = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, text=True, check=True).stdout
    lines, port = [], None
    for line in text.splitlines():
        if line.startswith('tcp {'):
            port = line.split('dest: ')[1].split()[0]
        elif line.startswith('ip {'):
            lines.append(line.split('daddr: ')[1].split()[0] + ',' + port)
    return lines


def fnv(targets):
    """FNV-1a 64 over each target's address (4 bytes) and port (2 bytes), big-endian."""
    h = 0xcbf29ce484222325
    for ip, port in targets:
        for b in struct.pack('>IH', ip, port):
            h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def parse(lines):
    """'ip[,port]' lines to (address, port) pairs (ziterate prints no port for port 0)."""
    out = []
    for line in lines:
        a, _, p = line.partition(',')
        out.append((struct.unpack('>I', socket.inet_aton(a))[0], int(p) if p else 0))
    return out


def ziterate(seed, args, subnets, subshards, index, limit=None):
    """Sub-shard `index` of `subshards` (or the first `limit` targets of it)."""
    cmd = [REF + '/bin/ziterate', '--seed', zmap_seed(seed)]
    if subshards > 1:
        cmd += ['--shards', str(subshards), '--shard', str(index)]
    cmd += args + subnets
    if limit:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        lines = [proc.stdout.readline().rstrip('\n') for _ in range(limit)]
        proc.kill()
        proc.wait()
    else:
        lines = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()
    return parse(lines)


def zmap_threads(work, seed, args, subnets, shards, shard, threads, mx):
    """Each sender thread's targets under --max-targets, from one zmap dry run."""
    cmd = ['--seed', zmap_seed(seed), '-T', str(threads), '-n', str(mx)]
    if shards > 1:
        cmd += ['--shards', str(shards), '--shard', str(shard)]
    out = parse(dryrun(work, cmd + args + subnets))
    err = open(work + '/zmap.err').read()
    assert 'Using 1 sending thread' not in err and 'dropping to one sender' not in err
    # Each thread printed one block of consecutive positions of the single-threaded order.
    pos = {t: k for k, t in enumerate(ziterate(seed, args, subnets, 1, 0))}
    blocks = []
    for t in out:
        if blocks and pos[t] == pos[blocks[-1][-1]] + 1:
            blocks[-1].append(t)
        else:
            blocks.append([t])
    blocks.sort(key=lambda b: pos[b[0]])
    assert len(blocks) == threads, (len(blocks), threads)
    return blocks


def generator(work, seed, args, subnets, shards, shard):
    """The metadata field `generator` of zmap -m for the scan."""
    cmd = ['--seed', zmap_seed(seed), '-T', '1', '-n', str(shards), '-m', work + '/meta.json']
    if '-p' not in args:
        cmd += ['-p', '0']
    if shards > 1:
        cmd += ['--shards', str(shards), '--shard', str(shard)]
    dryrun(work, cmd + args + subnets)
    return json.load(open(work + '/meta.json'))['generator']


def fmt(t, ports):
    ip = socket.inet_ntoa(struct.pack('>I', t[0]))
    return f'"{ip},{t[1]}"' if ports else f'"{ip}"'


def wrap(items, indent):
    """Comma-separated items in lines of at most 120 columns."""
    lines, cur = [], ''
    for it in items:
        add = (', ' if cur else '') + it
        if len(' ' * indent + cur + add) > 118:
            lines.append(' ' * indent + cur + ',')
            cur = it
        else:
            cur += add
    if cur:
        lines.append(' ' * indent + cur)
    return '\n'.join(lines)


def segment_literal(seg, ports, full, prefix):
    start = f'.init(count: {len(seg)}, hash: 0x{fnv(seg):016x}'
    if full or len(seg) <= 2 * HEAD:
        if not seg:
            return start + ', head: []),'
        one = start + ', head: [' + ', '.join(fmt(t, ports) for t in seg) + ']),'
        if len(one) + 12 <= 120:
            return one
        return start + ', head: [\n' + wrap([fmt(t, ports) for t in seg], 16) + ',\n            ]),'
    head = ', '.join(fmt(t, ports) for t in seg[:HEAD])
    tail = ', '.join(fmt(t, ports) for t in seg[-HEAD:])
    return (start + (', prefixOnly: true' if prefix else '') + ',\n                head: [' + head + '],\n'
            + '                tail: [' + tail + ']),')


def case(work, title, allow, block='', ports='', seed=1, shards=1, shard=0, threads=1, mx=None, full=False,
         prefix=None):
    args = []
    if block:
        with open(work + '/block.txt', 'w') as f:
            f.write('\n'.join(block.split()) + '\n')
        args += ['-b', work + '/block.txt']
    if ports:
        args += ['-p', ports]
    subnets = allow.split()
    if mx:
        segs = zmap_threads(work, seed, args, subnets, shards, shard, threads, mx)
    else:
        segs = [ziterate(seed, args, subnets, shards * threads, shard * threads + t, prefix) for t in range(threads)]
    fields = [f'"{title}"', f'allow: "{allow}"']
    if block:
        fields.append(f'block: "{block}"')
    if ports:
        fields.append(f'ports: "{ports}"')
    fields.append(f'seed: {seed}')
    if shards > 1:
        fields += [f'shards: {shards}', f'shard: {shard}']
    if threads > 1:
        fields.append(f'threads: {threads}')
    if mx:
        fields.append(f'maxTargets: {mx}')
    fields.append(f'generator: {generator(work, seed, args, subnets, shards, shard)}')
    text = '    RecordedOrder(\n' + wrap(fields, 8) + ',\n        segments: [\n'
    for seg in segs:
        text += '            ' + segment_literal(seg, ports, full, prefix is not None) + '\n'
    return text + '        ]),'


def main():
    work = tempfile.mkdtemp(prefix='zmap-order.')
    try:
        entries = []
        for line in SPEC.strip().split('\n'):
            if line.startswith(' ') and entries:
                entries[-1] += ' ' + line.strip()
            elif line.strip():
                entries.append(line)
        for entry in entries:
            if entry.startswith('#'):
                print('    //' + entry[1:])
            else:
                print(eval('case(work, ' + entry + ')'))
    finally:
        shutil.rmtree(work)


if __name__ == '__main__':
    main()
