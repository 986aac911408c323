#!/usr/bin/env python3
"""Writes docs/REFERENCE.md and the profile's coloring rules
(packaging/profile/sipresp/colorfilters) from the code's own tables: the rule
table of the core (build/tools/sipresp_rule_catalogue) and the fields and
preferences the plugin registers (tshark -G fields / -G defaultprefs with the
built plugin).
  python3 scripts/make-reference.py          # rewrite both files
  python3 scripts/make-reference.py --check  # exit 1, with a diff, if either is stale
Env: BUILD_DIR (default build), SIPRESP_PLUGIN (default BUILD_DIR/plugin/sipresp.so)."""
import difflib
import os
import subprocess
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BUILD = os.path.join(TOP, os.environ.get("BUILD_DIR", "build"))
REFERENCE = "docs/REFERENCE.md"
COLORFILTERS = "packaging/profile/sipresp/colorfilters"
TYPES = {
    "FT_PROTOCOL": "protocol", "FT_UINT16": "unsigned integer", "FT_UINT32": "unsigned integer",
    "FT_STRING": "text", "FT_FRAMENUM": "frame number", "FT_DOUBLE": "number", "FT_BOOLEAN": "boolean",
    "FT_ABSOLUTE_TIME": "date and time (UTC)", "FT_RELATIVE_TIME": "time difference",
}


def run(*args):
    env = dict(os.environ)
    env.setdefault("SIPRESP_PLUGIN", os.path.join(BUILD, "plugin", "sipresp.so"))
    return subprocess.run(args, check=True, capture_output=True, text=True, env=env).stdout


def cell(text):
    return text.replace("|", "\\|")


def fields_section(out):
    rows = ["| field | type | shown as | meaning |", "|---|---|---|---|"]
    for line in run(os.path.join(TOP, "scripts", "tshark-with-plugin.sh"), "-G", "fields").splitlines():
        cols = line.split("\t")
        # expert infos are registered as FT_NONE fields too: they are the rules
        if cols[0] != "F" or cols[4] != "sipresp" or cols[3] == "FT_NONE":
            continue
        _, title, name, ftype, _, _, _, blurb = (cols + [""] * 8)[:8]
        rows.append("| `%s` | %s | %s | %s |" % (name, TYPES.get(ftype, ftype), cell(title), cell(blurb)))
    out += ["## Display-filter fields", "",
            "Every item sipresp adds; filter on any of them (`sipresp.target.lifetime < 60`,",
            "`sipresp.rule == \"redirect-loop\"`) or add them as columns.", "",
            "Items that repeat what another line of the same tree shows are hidden, as Wireshark",
            "hides `ip.addr` beside `ip.src`: they are not printed by `tshark -V` nor shown in the",
            "packet details unless `protocols.display_hidden_proto_items` is on, and filters,",
            "columns and `-T fields` find them as any other field. They are `sipresp.class` (in the",
            "Status line), `sipresp.method` (in a 2xx's title, and in the Request line when the",
            "request was seen), `sipresp.first_target` and `sipresp.first_target.lifetime` (the rank-1",
            "target's lines), `sipresp.request_uri` and `sipresp.response_time` (the Request line),",
            "`sipresp.target.uri`, `sipresp.target.rank` and a `sipresp.target.q` the Contact gives",
            "(the target's line; a default q is shown), `sipresp.target.lifetime_source` and",
            "`sipresp.target.expires_at` (the Lifetime line), `sipresp.policy` (the Meaning line and",
            "the targets' Lifetime lines), `sipresp.target.cacheable` (the Lifetime line, save for a 305",
            "with a lifetime: it is for that one request), and `sipresp.ack` when it is `acked` and",
            "`sipresp.ack_elsewhere` and `sipresp.ack_hidden` (the ACK line).", ""] + rows + [""]


def rule_table():
    """(name, severity, group, forward, reference, summary, example) per rule"""
    return [line.split("\t") for line in run(os.path.join(BUILD, "tools", "sipresp_rule_catalogue")).splitlines()]


def rules_section(out):
    rows = ["| rule | severity | fires when | RFC | example | shown |", "|---|---|---|---|---|---|"]
    for name, severity, group, forward, reference, summary, example in rule_table():
        shown = "second pass" if forward == "yes" else "always"
        rows.append("| `%s` | %s (%s) | %s | %s | %s | %s |" % (
            name, severity, group, cell(summary), reference, cell(example), shown))
    out += ["## Rules", "",
            "Each rule hit is a `sipresp.rule` item and an expert info named `sipresp.<rule with - as _>`",
            "(e.g. `sipresp.redirect_loop`), with the severity below; Protocol rules judge one response",
            "(and its request), Sequence rules judge the call across the capture. \"second pass\" rules need",
            "later messages: tshark shows them with `-2`, the GUI once the file is loaded. Each can be",
            "turned off with the preference `sipresp.rule_<rule with - as _>`.", ""] + rows + [""]


def preferences_section(out):
    rows = ["| preference | default | meaning |", "|---|---|---|"]
    comments = []
    for line in run(os.path.join(TOP, "scripts", "tshark-with-plugin.sh"), "-G", "defaultprefs").splitlines():
        if line.startswith("#sipresp."):
            name, _, default = line[1:].partition(": ")
            # the last comment line is the value's type ("TRUE or FALSE ...")
            meaning = " ".join(c for c in comments[:-1])
            rows.append("| `%s` | %s | %s |" % (name, default, cell(meaning)))
        comments = comments + [line[2:]] if line.startswith("# ") else []
    out += ["## Preferences", "",
            "Set in Edit > Preferences > Protocols > SIPRESP, or on the command line with",
            "`-o sipresp.<name>:<value>`.", ""] + rows + [""]


def reference():
    out = ["# sipresp reference", "",
           "Generated by `python3 scripts/make-reference.py` from the core's rule table",
           "(src/rules.cpp) and from what the plugin registers with Wireshark (`tshark -G fields`,",
           "`tshark -G defaultprefs`). Do not edit by hand: the ctest `reference_up_to_date` fails",
           "when this file and the code disagree.", ""]
    fields_section(out)
    rules_section(out)
    preferences_section(out)
    return "\n".join(out)


# foreground, background (16-bit RGB) of each colored severity
COLORS = {"Error": "[0,0,0][65535,40092,40092]", "Warning": "[0,0,0][65535,62451,36237]"}


def colorfilters():
    """One coloring rule per severity that matters, naming its rules (a
    message breaking an Error rule is red even if it breaks a Warning one)"""
    out = ["# Coloring rules of the sipresp profile, generated by scripts/make-reference.py",
           "# from the rule table (src/rules.cpp): do not edit by hand."]
    table = rule_table()
    for severity in ("Error", "Warning"):
        names = [name for name, sev, *_ in table if sev == severity]
        condition = " || ".join('sipresp.rule == "%s"' % n for n in names)
        out.append("@sipresp %s@%s@%s" % (severity, condition, COLORS[severity]))
    return "\n".join(out) + "\n"


def main():
    if os.environ.get("SIPRESP_PRELOAD"):
        # tshark -G hangs with sanitizer runtimes preloaded (androiddump,
        # see scripts/test-sanitized.sh); 77 is ctest's skip code here
        print("skipped: tshark -G with preloaded sanitizer runtimes")
        return 77
    stale = 0
    for path, text in ((REFERENCE, reference()), (COLORFILTERS, colorfilters())):
        full = os.path.join(TOP, path)
        if "--check" not in sys.argv[1:]:
            with open(full, "w", encoding="utf-8") as f:
                f.write(text)
            continue
        with open(full, encoding="utf-8") as f:
            current = f.read()
        if current != text:
            sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), text.splitlines(True), path,
                                                       "generated"))
            print("\n%s is stale: run python3 scripts/make-reference.py" % path)
            stale = 1
        else:
            print("%s matches the code" % path)
    return stale


if __name__ == "__main__":
    sys.exit(main())
