"""CPU seconds (user + system, from /proc/<pid>/stat) spent during one benchmark phase by the JVM and by the
PostgreSQL backends connected to the benchmark's database.

Usage: python3 cpu_sampler.py JVM_PID DATABASE OUT_FILE   (stop it with SIGTERM at the end of the phase)

Backends come and go (pgbench opens its own connections), and an exited process's times can no longer be read,
so every backend is sampled every 50 ms and its last sample counts: a backend that exits loses at most its last
50 ms, one started during the phase counts from zero. Writes "jvm_cpu_s" (and of it "jvm_system_cpu_s", the kernel's part), "pg_cpu_s" and the JVM's largest
resident set seen ("jvm_max_rss_mb") to OUT_FILE.
"""
import os
import re
import signal
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid, system_only=False):
    try:
        with open("/proc/%s/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        if system_only:
            return int(fields[12])
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)
    except (OSError, IndexError, ValueError):
        return None


def thread_ticks(pid):
    """CPU ticks per thread group of a process: thread names with their numbers dropped ("http-nio-...-exec-N")."""
    groups = {}
    try:
        tids = os.listdir("/proc/%s/task" % pid)
    except OSError:
        return groups
    for tid in tids:
        try:
            with open("/proc/%s/task/%s/stat" % (pid, tid)) as f:
                raw = f.read()
        except OSError:
            continue
        name = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw.rsplit(")", 1)[1].split()
        group = re.sub(r"[0-9]+", "N", name)
        groups[group] = groups.get(group, 0) + int(fields[11]) + int(fields[12])
    return groups


def rss_mb(pid):
    try:
        with open("/proc/%s/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except (OSError, ValueError):
        pass
    return 0.0


def backends(database):
    """Backends whose title is 'postgres: <cluster>: <user> <database> <client> <state>'."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                title = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if title.startswith("postgres:") and (" %s " % database) in title:
            found.append(pid)
    return found


def main():
    jvm_pid, database, out = sys.argv[1], sys.argv[2], sys.argv[3]
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    jvm_start = cpu_ticks(jvm_pid) or 0
    jvm_system_start = cpu_ticks(jvm_pid, system_only=True) or 0
    jvm_system_last = jvm_system_start
    threads_start = thread_ticks(jvm_pid)
    first = {pid: cpu_ticks(pid) for pid in backends(database)}
    first = {pid: t for pid, t in first.items() if t is not None}
    last = dict(first)
    jvm_last = jvm_start
    jvm_rss = rss_mb(jvm_pid)
    rescan = 0
    pids = list(first)
    open(out + ".ready", "w").close()  # the phase may start: its first sample is taken
    while not stop:
        if rescan == 0:
            pids = backends(database)
            rescan = 4
        rescan -= 1
        for pid in pids:
            t = cpu_ticks(pid)
            if t is not None:
                last[pid] = t
        t = cpu_ticks(jvm_pid)
        if t is None:
            break  # the server is gone: the benchmark is ending
        jvm_last = t
        jvm_system_last = cpu_ticks(jvm_pid, system_only=True) or jvm_system_last
        if rescan == 0:
            jvm_rss = max(jvm_rss, rss_mb(jvm_pid))
        time.sleep(0.05)
    for pid in list(last):
        t = cpu_ticks(pid)
        if t is not None:
            last[pid] = t
    t = cpu_ticks(jvm_pid)
    if t is not None:
        jvm_last = t
        jvm_system_last = cpu_ticks(jvm_pid, system_only=True) or jvm_system_last
    threads_end = thread_ticks(jvm_pid)
    pg = sum(t - first.get(pid, 0) for pid, t in last.items())
    with open(out, "w") as f:
        f.write("jvm_cpu_s: %.2f\n" % ((jvm_last - jvm_start) / TICK))
        f.write("jvm_system_cpu_s: %.2f\n" % ((jvm_system_last - jvm_system_start) / TICK))
        f.write("pg_cpu_s: %.2f\n" % (pg / TICK))
        f.write("jvm_max_rss_mb: %.0f\n" % jvm_rss)
        # Threads' names are cut to 15 characters by the kernel; exited threads' time is missing here.
        spent = sorted(((t - threads_start.get(g, 0), g) for g, t in threads_end.items()), reverse=True)
        total = sum(t for t, _ in spent) or 1
        f.write("jvm_threads: %s\n" % ", ".join(
            "%s %.0f%%" % (g, 100.0 * t / total) for t, g in spent[:8] if t > 0))


main()
