"""tshark tests of what makes sipresp feel native: the statistics tree
(`-z sipresp,tree`) and the per-rule preferences. Expected counts come from
the captures' own expectations (test_plugin.py, pcaps/README.md) and from
the SIP dissector, never from sipresp's output."""
import collections
import os
import re
import unittest

import subprocess

from test_plugin import (CALLS, CALLS_WHOLE_FILE, CLEAN, EXPECTED_RULES, EXPECTED_SEVERITY, FRAGMENTS, MALFORMED, RULES,
                         SECTION6, TCP_SPLIT, call, call_rows)
from tshark_run import TOP, fields, tshark

PROFILE = os.path.join(TOP, "packaging", "profile", "sipresp")

SEVERITY_OF = dict(EXPECTED_SEVERITY, **SECTION6)
RESPONSES = "Responses analysed (2xx and 3xx)"
RULES_HIT = "Rules hit"
TARGETS = "Redirect targets"
COPIES = "Retransmitted responses (counted once above)"
DUPLICATES = "Responses captured twice (under 1 ms apart; counted once above)"
UNREADABLE = "SIP messages not analysed (unreadable)"


def stats_tree(capture, *extra, grandchildren=None):
    """{top-level node: (count, {child: count})} of `tshark -z sipresp,tree`;
    `grandchildren`, a dict, gets {(top, child): {grandchild: count}}"""
    out = tshark("-r", capture, "-q", "-z", "sipresp,tree", *extra)
    nodes, top, child = {}, None, None
    for line in out.splitlines():
        m = re.match(r"^( {0,2})(\S.*?)\s{2,}(\d+)\s", line)
        if not m:
            continue
        depth, name, count = len(m.group(1)), m.group(2), int(m.group(3))
        if depth == 2:
            if grandchildren is not None:
                grandchildren.setdefault((top, child), {})[name] = count
        elif depth == 1:
            child = name
            nodes[top][1][name] = count
        else:
            top = name
            nodes[name] = (count, {})
    return nodes


def sip_responses(capture):
    """first copies of the 2xx/3xx responses per the SIP dissector (a copy
    repeats Call-ID, CSeq, status and bytes of an earlier response)"""
    seen, firsts = set(), []
    for row in fields(capture, ["sip.Call-ID", "sip.CSeq", "sip.Status-Line", "sip.contact.uri", "frame.len"],
                      "sip.Status-Code >= 200 && sip.Status-Code < 400"):
        key = (row["sip.Call-ID"][0], row["sip.CSeq"][0], row["sip.Status-Line"][0], row["frame.len"][0])
        if key not in seen:
            seen.add(key)
            firsts.append(row)
    return firsts


class StatisticsTree(unittest.TestCase):
    def test_calls_capture_counts_statuses_rules_and_targets(self):
        nodes = stats_tree(CALLS, "-2")
        firsts = sip_responses(CALLS)
        statuses = collections.Counter(r["sip.Status-Line"][0].split(" ", 1)[1] for r in firsts)
        self.assertEqual(nodes[RESPONSES], (len(firsts), dict(statuses)))
        # every rule once per message that carries it (copies counted once)
        rules = collections.Counter("%s (%s)" % (r, SEVERITY_OF[r]) for v in CALLS_WHOLE_FILE.values() for r in v)
        self.assertEqual(nodes[RULES_HIT], (sum(rules.values()), dict(rules)))
        # each 3xx Contact URI, as the SIP dissector reads it
        targets = collections.Counter(u for r in firsts if r["sip.Status-Line"][0].split(" ")[1].startswith("3")
                                      for u in r["sip.contact.uri"])
        self.assertEqual(nodes[TARGETS], (sum(targets.values()), dict(targets)))
        # copies (pcaps/README.md): s-noack3xx and s-noack2xx twice more each,
        # s-lateack2xx three times, s-lateack3xx twice, s-crossed and
        # s-ownbranch once
        self.assertEqual(nodes[COPIES][0], 2 + 2 + 3 + 2 + 1 + 1)
        # s-mirror's 200 seen twice 50 us apart: a second capture, not sent again
        self.assertEqual(nodes[DUPLICATES][0], 1)
        self.assertEqual(nodes[UNREADABLE][0], 0)

    def test_each_status_is_split_by_the_method_it_answers(self):
        # calls.pcap: per the SIP dissector's CSeq of each first copy
        grand = {}
        stats_tree(CALLS, "-2", grandchildren=grand)
        expected = {}
        for r in sip_responses(CALLS):
            status = r["sip.Status-Line"][0].split(" ", 1)[1]
            method = "to " + r["sip.CSeq"][0].split()[1]
            counts = expected.setdefault((RESPONSES, status), {})
            counts[method] = counts.get(method, 0) + 1
        self.assertEqual(grand, expected)
        # clean.pcap, from its making (pcaps/README.md): a 200 to each of
        # INVITE, BYE and OPTIONS, to six REGISTERs (the bindings added,
        # then removed one at a time; a query; another binding added, then
        # a query), two PUBLISHes, two SUBSCRIBEs and their two NOTIFYs;
        # the 302, 301 and 305 to INVITEs; a 202 to REFER
        grand = {}
        stats_tree(CLEAN, grandchildren=grand)
        self.assertEqual(grand, {
            (RESPONSES, "200 OK"): {"to REGISTER": 6, "to INVITE": 1, "to BYE": 1, "to OPTIONS": 1, "to PUBLISH": 2,
                                    "to SUBSCRIBE": 2, "to NOTIFY": 2},
            (RESPONSES, "302 Moved Temporarily"): {"to INVITE": 1},
            (RESPONSES, "301 Moved Permanently"): {"to INVITE": 1},
            (RESPONSES, "305 Use Proxy"): {"to INVITE": 1},
            (RESPONSES, "202 Accepted"): {"to REFER": 1},
        })
        # malformed.pcap's 200 without CSeq answers a request nobody can
        # name; its other 200 answers an INVITE
        grand = {}
        stats_tree(MALFORMED, grandchildren=grand)
        self.assertEqual(grand[(RESPONSES, "200 OK")], {"to an unknown request (no readable CSeq)": 1, "to INVITE": 1})

    def test_rules_capture_counts_each_rule_of_sections_4_and_5_once(self):
        nodes = stats_tree(RULES)
        expected = collections.Counter("%s (%s)" % (r, EXPECTED_SEVERITY[r]) for v in EXPECTED_RULES.values() for r in v)
        self.assertEqual(nodes[RULES_HIT][1], dict(expected))

    def test_a_single_pass_counts_only_what_the_past_shows(self):
        backward = {"target-retried", "cached-without-lifetime", "used-after-expiry", "moved-permanently-ignored",
                    "redirect-chain-too-long"}
        nodes = stats_tree(CALLS)
        self.assertEqual(set(nodes[RULES_HIT][1]), {"%s (%s)" % (r, SECTION6[r]) for r in backward})

    def test_a_message_no_frame_holds_whole_counts_as_unreadable(self):
        # fragments.pcap (pcaps/README.md): the first fragments of f-lost's
        # 302 (11) and f-filtered's 200 (21), whose other fragments were
        # never captured
        self.assertEqual(stats_tree(FRAGMENTS, "-2")[UNREADABLE][0], 2)
        # tcp_split.pcap: the starts of 2xx and requests that go on past
        # their TCP segment (frames 5, 7, 8, 9, 12 and 17; see
        # TcpSplitNotReassembled) are whole nowhere once Wireshark does not
        # put segments together, and are whole in a later frame when it does
        self.assertEqual(stats_tree(TCP_SPLIT, "-2", "-o", "tcp.desegment_tcp_streams:FALSE")[UNREADABLE][0], 6)
        self.assertEqual(stats_tree(TCP_SPLIT, "-2")[UNREADABLE][0], 0)


class RulePreferences(unittest.TestCase):
    """sipresp.rule_<id>: FALSE turns one rule off everywhere it shows."""
    OFF = ["-o", "sipresp.rule_target_retried:FALSE", "-o", "sipresp.rule_redirect_not_followed:FALSE"]

    def rules_by_message(self, *extra):
        out = {}
        for row in fields(CALLS, ["sip.Call-ID", "sip.CSeq.seq", "sip.Method", "sip.Status-Code", "sipresp.rule"],
                          "sip", two_pass=True, extra=extra):
            key = (call(row), row["sip.CSeq.seq"][0], (row["sip.Method"] or row["sip.Status-Code"])[0])
            out.setdefault(key, sorted(row["sipresp.rule"]))
        return out

    def test_turned_off_rules_vanish_from_tree_and_others_stay(self):
        rows = self.rules_by_message(*self.OFF)
        off = {"target-retried", "redirect-not-followed"}
        for key, expected in CALLS_WHOLE_FILE.items():
            with self.subTest(message=key):
                self.assertEqual(rows[key], sorted(r for r in expected if r not in off))

    def test_turned_off_rules_vanish_from_expert_info_info_column_and_stats(self):
        expert = tshark("-r", CALLS, "-2", "-q", "-z", "expert,sipresp", *self.OFF)
        self.assertNotIn("[target-retried,", expert)
        self.assertNotIn("[redirect-not-followed,", expert)
        self.assertIn("[cached-without-lifetime,", expert)
        summary = tshark("-r", CALLS, "-2", *self.OFF)
        self.assertNotIn("target-retried", summary)
        self.assertIn("cached-without-lifetime", summary)
        nodes = stats_tree(CALLS, "-2", *self.OFF)
        self.assertNotIn("target-retried (Error)", nodes[RULES_HIT][1])
        self.assertIn("cached-without-lifetime (Error)", nodes[RULES_HIT][1])

    @unittest.skipIf(os.environ.get("SIPRESP_PRELOAD"), "tshark -G hangs with sanitizer runtimes preloaded")
    def test_every_rule_has_a_preference_that_defaults_to_on(self):
        prefs = tshark("-G", "defaultprefs")
        for rule_id in SEVERITY_OF:
            with self.subTest(rule=rule_id):
                self.assertRegex(prefs, r"#sipresp\.rule_%s: TRUE" % rule_id.replace("-", "_"))


SECTION5 = {"redirect-loop", "sips-downgrade", "dialog-2xx-sips-required", "no-notification-out-of-dialog"}


class CallsNotTracked(unittest.TestCase):
    """sipresp.track_calls:FALSE: each response judged alone (RULES.md 1-4)."""
    OFF = ["-o", "sipresp.track_calls:FALSE"]
    QUIET = OFF + ["-o", "sipresp.info_summary:FALSE"]

    def test_section_4_rules_stay_and_those_needing_the_request_go(self):
        rows = fields(RULES, ["sip.Call-ID", "sipresp.rule", "sipresp.request_frame", "sipresp.request_missing"],
                      "sipresp.status_code", extra=self.OFF)
        seen = {call(r): r for r in rows}
        # a 2xx to REFER owes a Contact only where its REFER shows it opened
        # a dialog (RFC 3515 2): judged alone, it owes none
        needs_the_request = {"r-refer-no-contact"}
        for key, expected in EXPECTED_RULES.items():
            with self.subTest(call=key):
                stays = set() if key in needs_the_request else expected - SECTION5
                self.assertEqual(set(seen[key]["sipresp.rule"]), stays)
                self.assertEqual(seen[key]["sipresp.request_frame"], [])
                self.assertEqual(seen[key]["sipresp.request_missing"], ["calls not tracked"])

    def test_no_links_and_no_section_6_findings_on_the_second_pass(self):
        names = ["sipresp.rule", "sipresp.redirected_by", "sipresp.target.followed_in", "sipresp.ack"]
        for row in fields(CALLS, names, "sipresp", two_pass=True, extra=self.OFF):
            for name in names:
                self.assertEqual(row[name], [], name)
        # every 2xx/3xx is still analysed
        analysed = fields(CALLS, ["frame.number"], "sipresp.status_code", two_pass=True, extra=self.OFF)
        self.assertEqual(len(analysed), len(fields(CALLS, ["frame.number"], "sip.Status-Code >= 200 && "
                                                   "sip.Status-Code < 400")))

    def test_with_the_info_summary_off_too_output_is_as_without_sipresp(self):
        quiet = tshark("-r", RULES, *self.QUIET)
        self.assertEqual(quiet, tshark("-r", RULES, "--disable-protocol", "sipresp"))
        # ...yet whoever asks still gets the answers: a filter, expert info, statistics
        self.assertTrue(fields(RULES, ["frame.number"], "sipresp.rule == \"redirect-without-contact\"",
                               extra=self.QUIET))
        self.assertIn("[redirect-without-contact,", tshark("-r", RULES, "-q", "-z", "expert,sipresp", *self.QUIET))
        self.assertIn("redirect-without-contact (Warning)",
                      stats_tree(RULES, *self.QUIET)[RULES_HIT][1])


class FirstTarget(unittest.TestCase):
    NAMES = ["sip.Call-ID", "sipresp.status_code", "sipresp.first_target", "sipresp.first_target.lifetime"]

    def test_rank_one_target_and_its_lifetime(self):
        rows = fields(CLEAN, self.NAMES, "sipresp.status_code >= 300")
        by_code = {r["sipresp.status_code"][0]: r for r in rows}
        # clean.pcap's 302: q=0.7 with expires=3600 beats q=0.1; its 301 gives no lifetime
        self.assertEqual(by_code["302"]["sipresp.first_target"], ["sip:bob@192.0.2.4"])
        self.assertEqual(by_code["302"]["sipresp.first_target.lifetime"], ["3600 s"])
        self.assertEqual(by_code["301"]["sipresp.first_target.lifetime"], ["permanent"])
        # a q that is no qvalue counts as 1.0 and so ranks first (RFC 3261 20.10)
        bad_q = [r for r in fields(RULES, self.NAMES, "sipresp") if call(r) == "r-bad-q"][0]
        self.assertEqual(bad_q["sipresp.first_target"], ["sip:bob@192.0.2.4"])
        self.assertEqual(bad_q["sipresp.first_target.lifetime"], ["no lifetime"])

    def test_only_redirects_have_one(self):
        self.assertEqual(fields(CLEAN, self.NAMES, "sipresp.first_target && sipresp.status_code < 300"), [])


def with_profile(*args):
    """tshark with packaging/profile/sipresp installed and selected"""
    os.environ["SIPRESP_PROFILE"] = PROFILE
    try:
        return tshark("-C", "sipresp", *args)
    finally:
        del os.environ["SIPRESP_PROFILE"]


class ConfigurationProfile(unittest.TestCase):
    def test_columns_show_status_first_target_lifetime_and_rules(self):
        lines = with_profile("-r", CLEAN, "-Y", "sipresp.status_code == 302").splitlines()
        self.assertEqual(len(lines), 1)
        self.assertRegex(lines[0], r"SIP 302 sip:bob@192\.0\.2\.4 3600 s\s+Status: 302")
        rows = call_rows(True)
        loop = rows[("s-loop", "3", "INVITE")]["frame.number"][0]
        out = with_profile("-r", CALLS, "-2", "-Y", "frame.number == %s" % loop)
        self.assertRegex(out, r"SIP\s+target-retried Request: INVITE")

    def test_coloring_rules_mark_error_and_warning_findings(self):
        rows = call_rows(True)
        expected = {}
        for key, rules in CALLS_WHOLE_FILE.items():
            severities = {SECTION6[r] for r in rules}
            color = "sipresp Error" if "Error" in severities else "sipresp Warning" if "Warning" in severities else ""
            expected[rows[key]["frame.number"][0]] = color
        for row in rows.values():
            expected.setdefault(row["frame.number"][0], "")
        out = with_profile("-r", CALLS, "-2", "--color", "-T", "fields", "-e", "frame.number",
                           "-e", "frame.coloring_rule.name")
        colored = dict((line.split("\t") + [""])[:2] for line in out.splitlines())
        self.assertIn("sipresp Error", expected.values())
        self.assertIn("sipresp Warning", expected.values())
        for frame, color in expected.items():
            with self.subTest(frame=frame):
                self.assertEqual(colored[frame], color)


class Demo(unittest.TestCase):
    """What the README's main command prints (scripts/demo.sh: set-up and
    build, then scripts/demo-show.sh, run here with the test's plugin)."""

    @classmethod
    def setUpClass(cls):
        done = subprocess.run(["sh", os.path.join(TOP, "scripts", "demo-show.sh")], capture_output=True, text=True)
        if done.returncode != 0:
            raise AssertionError("demo-show.sh failed (%d): %s" % (done.returncode, done.stderr))
        cls.sections = {}
        title = None
        for line in done.stdout.splitlines():
            if line.startswith("== "):
                title = line
                cls.sections[title] = []
            elif line.strip() and title is not None:
                cls.sections[title].append(line)

    def section(self, start):
        found = [lines for title, lines in self.sections.items() if title.startswith("== " + start)]
        self.assertEqual(len(found), 1, start)
        self.assertTrue(found[0], "section %r printed nothing" % start)
        return found[0]

    def test_six_sections(self):
        self.assertEqual(len(self.sections), 6, list(self.sections))

    def test_info_column_has_a_line_per_response_and_the_302_summary(self):
        lines = self.section("pcaps/handmade/clean.pcap: SIP responses")
        self.assertEqual(len(lines), len(fields(CLEAN, ["frame.number"], "sip.Status-Code")))
        # clean.pcap's 302: rank 1 sip:bob@192.0.2.4 (q=0.7, expires=3600), one more target
        summaries = [l for l in lines if "302 Moved Temporarily" in l and l.endswith("| → sip:bob@192.0.2.4 (3600 s) +1")]
        self.assertEqual(len(summaries), 1, lines)

    def test_tree_of_the_first_3xx(self):
        lines = [l.strip() for l in self.section("the first 3xx")]
        self.assertEqual(lines[0], "SIP Response Analysis: 302 Moved Temporarily, 2 targets")
        self.assertIn("Target 1: sip:bob@192.0.2.4 (q=0.7, rank 1)", lines)
        self.assertTrue(any(l.startswith("[Followed in frame 6,") for l in lines), lines)

    def test_expert_summary_names_every_rule_of_the_rules_capture(self):
        text = "\n".join(self.section("rule hits over pcaps/handmade/rules.pcap"))
        for rule in set().union(*EXPECTED_RULES.values()):
            with self.subTest(rule=rule):
                self.assertIn("[%s, " % rule, text)

    def test_findings_across_calls_are_those_of_the_calls_capture(self):
        shown = set()
        for line in self.section("calls across the capture"):
            number, info, rules = line.split("\t")
            # the Info column carries sipresp's summary after the SIP
            # dissector's text (-T fields lost it from Wireshark 4.2 on)
            self.assertRegex(info, r" \| [→↳⚠]", number)
            shown.update(rules.split(","))
        self.assertEqual(shown, {r for rules in CALLS_WHOLE_FILE.values() for r in rules})

    def test_proxy_tree_shows_the_ack_sent_elsewhere(self):
        lines = [l.strip() for l in self.section("at a proxy")]
        self.assertTrue(lines[0].startswith("SIP Response Analysis: 200 OK to INVITE"), lines[0])
        # the callee's 200 cites the caller's ACK, which never went back to
        # the callee (README, "Following a call"): so the demo shows why
        self.assertTrue([l for l in lines if l.startswith("[ACK in frame ") and
                         l.endswith(", to another address (none to this 2xx's sender)]")], lines)
        self.assertTrue([l for l in lines if l.startswith("[Rule: invite-2xx-not-acked: ")], lines)

    def test_statistics_counts_are_whole(self):
        # the demo cuts the tree's lines for width: each count must survive the cut
        counts = {}
        for line in self.section("statistics over pcaps/handmade/calls.pcap"):
            m = re.match(r"^(\S.*?)\s{2,}(\d+)\s*", line)
            if m:
                counts[m.group(1)] = int(m.group(2))
        self.assertEqual(counts[RESPONSES], len(sip_responses(CALLS)))
        self.assertEqual(counts[RULES_HIT], sum(len(rules) for rules in CALLS_WHOLE_FILE.values()))
        self.assertEqual(counts[COPIES], 2 + 2 + 3 + 2 + 1 + 1)


if __name__ == "__main__":
    unittest.main()
