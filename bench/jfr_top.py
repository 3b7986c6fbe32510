"""Hottest frames of a JDK Flight Recorder recording's execution samples (jdk.ExecutionSample).

Usage: python3 jfr_top.py RECORDING.jfr [N]   (JFR_TOOL: the jfr command of the recording's JDK, default jfr)

Prints each layer's share of the samples (a sample counts for the layer of the frame nearest its top that belongs
to a known layer: self time by layer), the N (15) frames most often on top of the stack (self time), then the 2N
methods most often anywhere on the stack (inclusive time, each counted once per sample), restricted to this
service's code and the libraries on its request path.
"""
import collections
import os
import re
import subprocess
import sys

recording = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 15
text = subprocess.run([os.environ.get("JFR_TOOL", "jfr"), "print", "--events", "jdk.ExecutionSample",
                       "--stack-depth", "4096", recording], check=True, capture_output=True, text=True).stdout

frame = re.compile(r"^\s+([\w$.<>/]+\.[\w$<>]+)\(.*\)\s+line:")
samples = []
current = None
cut = 0
for line in text.splitlines():
    if "stackTrace = [" in line:
        current = []
    elif current is not None:
        m = frame.match(line)
        if m:
            current.append(m.group(1))
        elif line.strip() == "...":
            cut += 1
        elif line.strip().startswith("]"):
            samples.append(current)
            current = None

total = len(samples)
print("samples: %d" % total)
if cut:
    # A cut stack lacks its outer frames, so the inclusive shares below undercount them.
    print("stacks cut at the recording's stack depth: %d (-XX:FlightRecorderOptions:stackdepth)" % cut)
if not total:
    sys.exit(0)
LAYERS = [
    ("PostgreSQL JDBC driver", ("org.postgresql.",)),
    ("HikariCP", ("com.zaxxer.",)),
    ("JSON (Jackson)", ("tools.jackson.", "com.fasterxml.")),
    ("logging", ("ch.qos.logback.", "org.slf4j.", "org.apache.commons.logging.")),
    ("metrics/observations (Micrometer)", ("io.micrometer.",)),
    ("Axon", ("org.axonframework.",)),
    ("Spring JDBC/transactions", ("org.springframework.jdbc.", "org.springframework.transaction.")),
    ("Spring Security", ("org.springframework.security.",)),
    ("service code", ("com.bankaccounts.",)),
    ("Spring MVC/web", ("org.springframework.web.", "org.springframework.http.")),
    ("Tomcat", ("org.apache.catalina.", "org.apache.coyote.", "org.apache.tomcat.")),
    ("other Spring", ("org.springframework.",)),
]
layers = collections.Counter()
for s in samples:
    for method in s:
        layer = next((name for name, prefixes in LAYERS if method.startswith(prefixes)), None)
        if layer:
            break
    layers[layer or "JDK/other"] += 1
print("self time by layer:")
for layer, count in layers.most_common():
    print("  %5.1f%%  %s" % (100.0 * count / total, layer))
self_counts = collections.Counter(s[0] for s in samples if s)
print("top frames (self):")
for method, count in self_counts.most_common(n):
    print("  %5.1f%%  %s" % (100.0 * count / total, method))
interesting = ("com.bankaccounts.", "org.axonframework.", "org.springframework.security.", "org.postgresql.",
               "com.zaxxer.", "tools.jackson.", "com.fasterxml.", "org.springframework.jdbc.",
               "org.springframework.transaction.", "org.springframework.web.", "org.apache.catalina.",
               "org.apache.coyote.", "java.security.", "sun.security.")
inclusive = collections.Counter()
for s in samples:
    for method in set(s):
        if method.startswith(interesting):
            inclusive[method] += 1
print("top methods (inclusive, request-path code):")
for method, count in inclusive.most_common(n * 2):
    print("  %5.1f%%  %s" % (100.0 * count / total, method))
