#!/usr/bin/python3
"""Measures a libvirt daemon with python3-libvirt (Debian's), for bench/virtd.

  virtbench.py populate URI COUNT PREFIX     define COUNT domains; prints the median define in ms
  virtbench.py calls URI PREFIX COUNT [DEFINE]
                                             many calls in this one process; prints "name median_ms" lines;
                                             with DEFINE, defines that many domains first (for test:///default,
                                             whose domains live in this process)
  virtbench.py undefine URI PREFIX           undefines the domains whose names start with PREFIX
  virtbench.py per-command VIRSH URI PREFIX NEW FILE RUNS
                                             one virsh process per command, reading PREFIX domains and defining
                                             NEW ones; prints "name median_ms" lines
  virtbench.py hold URI                      keeps a connection open until stdin closes (libvirtd frees its
                                             shared test:///default driver when its last client leaves)
"""
import random
import statistics
import subprocess
import sys
import time
import uuid

import libvirt

DOMAIN = """<domain type='test'>
  <name>{name}</name>
  <uuid>{uuid}</uuid>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>
"""


def xml(name):
    return DOMAIN.format(name=name, uuid=uuid.uuid4())


def ms(seconds):
    return seconds * 1000.0


def timed(action):
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_ms(samples):
    return "%.3f" % ms(statistics.median(samples))


def quiet_errors():
    # the default handler prints every error, even the ones a caller expects
    libvirt.registerErrorHandler(lambda ctx, err: None, None)


def populate(uri, count, prefix):
    conn = libvirt.open(uri)
    samples = [timed(lambda i=i: conn.defineXML(xml("%s%04d" % (prefix, i)))) for i in range(count)]
    print(median_ms(samples))


def dominfo(conn, name):
    """What virsh dominfo asks, in its order."""
    dom = conn.lookupByName(name)
    dom.OSType()
    dom.info()
    dom.isPersistent()
    dom.autostart()
    dom.hasManagedSaveImage()
    if conn.getSecurityModel()[0]:
        dom.securityLabel()


def list_all(conn):
    """What virsh list --all asks: every domain, then the state of each."""
    for dom in conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE | libvirt.VIR_CONNECT_LIST_DOMAINS_INACTIVE):
        dom.state()


def calls(uri, prefix, count, define):
    conn = libvirt.open(uri)
    if define:
        samples = [timed(lambda i=i: conn.defineXML(xml("%s%04d" % (prefix, i)))) for i in range(define)]
        print("define", median_ms(samples))
    names = [d.name() for d in conn.listAllDomains() if d.name().startswith(prefix)]
    rng = random.Random(7)
    runner = conn.lookupByName(names[0])
    if not runner.isActive():
        runner.create()
    results = {
        "dumpxml": [timed(lambda: conn.lookupByName(rng.choice(names)).XMLDesc(0)) for _ in range(count)],
        "dominfo": [timed(lambda: dominfo(conn, rng.choice(names))) for _ in range(count)],
        "list --all": [timed(lambda: list_all(conn)) for _ in range(max(5, count // 50))],
        "suspend+resume": [timed(lambda: (runner.suspend(), runner.resume())) for _ in range(count // 5)],
    }
    runner.destroy()
    for name, samples in results.items():
        print(name.replace(" ", "_"), median_ms(samples))


def per_command(virsh, uri, prefix, new_prefix, xml_file, runs):
    def run(*args):
        return timed(lambda: subprocess.run([virsh, "-q", "-c", uri] + list(args), check=True,
                                            stdout=subprocess.DEVNULL))
    rng = random.Random(11)
    names = ["%s%04d" % (prefix, i) for i in range(100)]
    results = {"define": [], "dumpxml": [], "dominfo": [], "list --all": []}
    for i in range(runs):
        with open(xml_file, "w") as f:
            f.write(xml("%s%03d" % (new_prefix, i)))
        results["define"].append(run("define", xml_file))
        results["dumpxml"].append(run("dumpxml", rng.choice(names)))
        results["dominfo"].append(run("dominfo", rng.choice(names)))
        results["list --all"].append(run("list", "--all"))
    for name, samples in results.items():
        print(name.replace(" ", "_"), median_ms(samples))


def undefine(uri, prefix):
    conn = libvirt.open(uri)
    for dom in conn.listAllDomains():
        if dom.name().startswith(prefix):
            if dom.isActive():
                dom.destroy()
            dom.undefine()


def hold(uri):
    conn = libvirt.open(uri)
    sys.stdin.read()
    conn.close()


def main(argv):
    quiet_errors()
    command = argv[1]
    if command == "populate":
        populate(argv[2], int(argv[3]), argv[4])
    elif command == "calls":
        calls(argv[2], argv[3], int(argv[4]), int(argv[5]) if len(argv) > 5 else 0)
    elif command == "undefine":
        undefine(argv[2], argv[3])
    elif command == "per-command":
        per_command(argv[2], argv[3], argv[4], argv[5], argv[6], int(argv[7]))
    elif command == "hold":
        hold(argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
