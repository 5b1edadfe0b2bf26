#!/usr/bin/python3
"""Measures a libvirt daemon's qemu driver with real TCG guests, with python3-libvirt (Debian's), for bench/virtd-qemu.

  qemubench.py lifecycle URI GUEST_DIR PREFIX RUNS
        RUNS times, in this one process: define a new domain; start it (until create() returns: running); until its
        first console line (DPUVIRT-GUEST-UP, read on the console stream opened right after the start); suspend;
        resume; destroy. Prints "name median_ms" lines.
  qemubench.py pauses GUEST_DIR PREFIX COUNT URI...
        Starts a guest on each daemon, then suspends and resumes them COUNT times, the daemons taking turns, 20 ms
        between calls (the guests idle, the daemons warm: the steady state a single life cycle does not show).
        Prints "suspend-steady median_ms" and "resume-steady median_ms" lines, one pair per URI, in their order.
  qemubench.py populate URI GUEST_DIR PREFIX COUNT     defines COUNT domains (not started)
  qemubench.py list URI VIRSH RUNS                     virsh list --all, one process a run, and the same calls in
                                                       this process; prints "name median_ms" lines
  qemubench.py undefine URI PREFIX                     destroys and undefines the domains whose names start with PREFIX
"""
import os
import statistics
import subprocess
import sys
import time

import libvirt

FIRST_LINE = b"DPUVIRT-GUEST-UP"
DOMAIN = """<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>{cputune}
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>{guest}/vmlinuz</kernel>
    <initrd>{guest}/initramfs.gz</initrd>
    <cmdline>console=ttyS0 panic=-1 quiet</cmdline>
  </os>
  <features><acpi/></features>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' model='none'/>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <memballoon model='none'/>
  </devices>
</domain>
"""


def cputune():
    """QEMUBENCH_VCPU_CPU=N pins the guest's vCPU to CPU N (bench/offload --pin: the guest gets a core of its own)."""
    cpu = os.environ.get("QEMUBENCH_VCPU_CPU")
    return "\n  <cputune><vcpupin vcpu='0' cpuset='%s'/></cputune>" % cpu if cpu else ""


def ms(seconds):
    return "%.1f" % (seconds * 1000.0)


def first_console_line(conn, dom):
    stream = conn.newStream(0)
    dom.openConsole(None, stream, 0)
    seen = b""
    while FIRST_LINE not in seen:
        data = stream.recv(4096)
        if not data:
            raise RuntimeError("the console ended before the guest's first line: %r" % seen[-200:])
        seen += data
    stream.abort()


def lifecycle(uri, guest, prefix, runs):
    conn = libvirt.open(uri)
    samples = {name: [] for name in ("define", "start", "first-line", "suspend", "resume", "destroy")}
    for run in range(runs):
        xml = DOMAIN.format(name="%slife%d" % (prefix, run), guest=guest, cputune=cputune())
        begin = time.perf_counter()
        dom = conn.defineXML(xml)
        samples["define"].append(time.perf_counter() - begin)
        begin = time.perf_counter()
        dom.create()
        samples["start"].append(time.perf_counter() - begin)
        first_console_line(conn, dom)
        samples["first-line"].append(time.perf_counter() - begin)
        for name, action in (("suspend", dom.suspend), ("resume", dom.resume), ("destroy", dom.destroy)):
            begin = time.perf_counter()
            action()
            samples[name].append(time.perf_counter() - begin)
        dom.undefine()
    for name, values in samples.items():
        print(name, ms(statistics.median(values)))


def pauses(guest, prefix, runs, uris):
    gap = 0.02
    domains = []
    for uri in uris:
        conn = libvirt.open(uri)
        dom = conn.defineXML(DOMAIN.format(name=prefix + "pauses", guest=guest, cputune=cputune()))
        dom.create()
        first_console_line(conn, dom)
        domains.append(dom)
    time.sleep(2)  # past the guest's boot, whose last work would compete with the calls
    suspends = [[] for _ in uris]
    resumes = [[] for _ in uris]
    try:
        for _ in range(runs):
            for index, dom in enumerate(domains):
                for samples, action in ((suspends, dom.suspend), (resumes, dom.resume)):
                    begin = time.perf_counter()
                    action()
                    samples[index].append(time.perf_counter() - begin)
                    time.sleep(gap)
    finally:
        for dom in domains:
            dom.destroy()
            dom.undefine()
    for index in range(len(uris)):
        print("suspend-steady", ms(statistics.median(suspends[index])))
        print("resume-steady", ms(statistics.median(resumes[index])))


def populate(uri, guest, prefix, count):
    """Defines COUNT domains; prints the median define of the last half (a daemon that has warmed up)."""
    conn = libvirt.open(uri)
    times = []
    for i in range(count):
        xml = DOMAIN.format(name="%s%04d" % (prefix, i), guest=guest, cputune=cputune())
        begin = time.perf_counter()
        conn.defineXML(xml)
        times.append(time.perf_counter() - begin)
    print("define-warm", ms(statistics.median(times[count // 2:])))


def list_all(uri, virsh, runs):
    process = []
    for _ in range(runs):
        begin = time.perf_counter()
        subprocess.run([virsh, "-c", uri, "list", "--all"], check=True, stdout=subprocess.DEVNULL)
        process.append(time.perf_counter() - begin)
    conn = libvirt.open(uri)
    calls = []
    for _ in range(runs):
        begin = time.perf_counter()
        for dom in conn.listAllDomains(0):
            dom.state()
        calls.append(time.perf_counter() - begin)
    print("list-process", ms(statistics.median(process)))
    print("list-calls", ms(statistics.median(calls)))


def undefine(uri, prefix):
    conn = libvirt.open(uri)
    for dom in conn.listAllDomains(0):
        if dom.name().startswith(prefix):
            if dom.isActive():
                dom.destroy()
            if dom.isPersistent():
                dom.undefine()


def main():
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    command, args = sys.argv[1], sys.argv[2:]
    if command == "lifecycle":
        lifecycle(args[0], args[1], args[2], int(args[3]))
    elif command == "pauses":
        pauses(args[0], args[1], int(args[2]), args[3:])
    elif command == "populate":
        populate(args[0], args[1], args[2], int(args[3]))
    elif command == "list":
        list_all(args[0], args[1], int(args[2]))
    elif command == "undefine":
        undefine(args[0], args[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
