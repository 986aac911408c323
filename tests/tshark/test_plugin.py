"""tshark tests of the sipresp plugin over pcaps/: every rule of RULES.md
sections 4-5 fires where it should and nowhere else, TCP framing, clean
traffic, two-pass stability, and the SIP dissector left untouched.
Expected values come from how each capture was built (pcaps/README.md),
not from the plugin's output."""
import os
import re
import subprocess
import unittest

from tshark_run import WRAPPER, assert_frames, fields, pcap, tshark, tshark_version

RULES = pcap("handmade/rules.pcap")
CLEAN = pcap("handmade/clean.pcap")
TCP = pcap("handmade/tcp.pcap")
TCP_RESEND = pcap("handmade/tcp_resend.pcap")
TCP_FORK_ACK = pcap("handmade/tcp_fork_ack.pcap")
TCP_SPLIT = pcap("handmade/tcp_split.pcap")
TCP_TRUNK_SPLITS = pcap("handmade/tcp_trunk_splits.pcap")
TCP_SIPFRAG = pcap("handmade/tcp_sipfrag.pcap")
TCP_KEEPALIVE = pcap("handmade/tcp_keepalive.pcap")
TEL = pcap("handmade/tel.pcap")
LONG_URIS = pcap("handmade/long_uris.pcap")
TLS_SIPFRAG = pcap("handmade/tls_sipfrag.pcapng")
TLS_SPLIT = pcap("handmade/tls_split.pcapng")
CAPTURE_RUNS_ON = pcap("handmade/capture_runs_on.pcap")
MALFORMED = pcap("handmade/malformed.pcap")
DECODE_AS = pcap("handmade/decode-as.pcap")
WEBSOCKET = pcap("handmade/websocket.pcap")
TLS = pcap("handmade/tls.pcapng")
CALLS = pcap("handmade/calls.pcap")
SCTP = pcap("handmade/sctp.pcap")
ICMP = pcap("handmade/icmp.pcap")
PROXY = pcap("handmade/proxy.pcap")
FORKS = pcap("handmade/forks.pcap")
ODD_TEXT = pcap("handmade/odd_text.pcap")
SNAPLEN = pcap("handmade/snaplen.pcap")
TORTURE = pcap("handmade/rfc4475.pcap")
ODD_TIMES = pcap("handmade/odd_times.pcapng")
FRAGMENTS = pcap("handmade/fragments.pcap")
REGISTRAR = pcap("handmade/registrar.pcap")

# Call-ID (before '@') of each response in rules.pcap -> the rules it must
# raise, exactly (RULES.md sections 4 and 5).
EXPECTED_RULES = {
    "r-no-contact": {"redirect-without-contact"},
    "r-305-no-contact": {"use-proxy-without-contact"},
    "r-380-no-body": {"alternative-service-without-body"},
    "r-wildcard": {"wildcard-contact-in-response"},
    "r-expires-bad": {"expires-malformed"},
    "r-cexp-bad": {"contact-expires-malformed"},
    "r-out-of-range": {"expires-out-of-range"},
    "r-two-expires": {"multiple-expires-headers"},
    "r-bad-q": {"qvalue-malformed"},
    "r-duplicate": {"duplicate-target"},
    "r-zero": {"redirect-zero-lifetime"},
    "r-unregistered": {"unregistered-status-code"},
    "r-uri-headers": {"uri-headers-outside-redirect"},
    "r-2xx-no-contact": {"dialog-2xx-without-contact"},
    "r-2xx-two-contacts": {"dialog-2xx-contact-count"},
    "r-2xx-tel": {"dialog-2xx-contact-scheme"},
    "r-reg-no-exp": {"register-binding-without-expires"},
    "r-ack": {"response-to-ack"},
    "r-cancel": {"redirect-of-cancel"},
    "r-204-publish": {"no-notification-misuse"},
    "r-202-subscribe": {"accepted-deprecated"},
    "r-loop": {"redirect-loop"},
    "r-loop-headers": {"redirect-loop"},
    "r-sips-down": {"sips-downgrade"},
    "r-sips-2xx": {"dialog-2xx-sips-required"},
    "r-204-initial": {"no-notification-out-of-dialog"},
    "r-refer-no-contact": {"dialog-2xx-without-contact"},
}

# RULES.md severities, as tshark names them in _ws.expert.severity
SEVERITY = {"Error": 8388608, "Warning": 6291456, "Note": 4194304}
EXPECTED_SEVERITY = {
    "redirect-without-contact": "Warning", "use-proxy-without-contact": "Error",
    "alternative-service-without-body": "Note", "wildcard-contact-in-response": "Error",
    "expires-malformed": "Warning", "contact-expires-malformed": "Warning", "expires-out-of-range": "Note",
    "multiple-expires-headers": "Error", "qvalue-malformed": "Warning", "duplicate-target": "Note",
    "redirect-zero-lifetime": "Note", "unregistered-status-code": "Note", "uri-headers-outside-redirect": "Warning",
    "dialog-2xx-without-contact": "Error", "dialog-2xx-contact-count": "Error", "dialog-2xx-contact-scheme": "Error",
    "register-binding-without-expires": "Error", "response-to-ack": "Error", "redirect-of-cancel": "Warning",
    "no-notification-misuse": "Error", "accepted-deprecated": "Note", "redirect-loop": "Warning",
    "sips-downgrade": "Warning", "dialog-2xx-sips-required": "Error", "no-notification-out-of-dialog": "Error",
}


def calls(row):
    """the local parts of a frame's Call-IDs (a TCP segment or an SCTP
    packet can carry more than one message)"""
    return [c.split("@")[0] for c in row["sip.Call-ID"]]


def call(row):
    return calls(row)[0]


class Loading(unittest.TestCase):
    # tshark -G starts Wireshark's extcap helpers, and with the sanitizer
    # runtimes preloaded (scripts/test-sanitized.sh) androiddump hangs and
    # holds tshark's output open; listing plugins runs no sipresp code, so
    # the sanitized run skips this one
    @unittest.skipIf(os.environ.get("SIPRESP_PRELOAD"), "tshark -G hangs with sanitizer runtimes preloaded")
    def test_tshark_lists_the_plugin_and_the_protocol(self):
        self.assertRegex(tshark("-G", "plugins"), r"sipresp\.so\s+0\.1\.0\s+dissector")
        protocols = tshark("-G", "protocols")
        self.assertIn("SIP Response Analysis\tSIPRESP\tsipresp", protocols)


class RulesFire(unittest.TestCase):
    def assert_rules_per_response(self, two_pass, added_to):
        """Each scenario's response raises its EXPECTED_RULES, plus
        redirect-not-followed for the scenarios in `added_to`."""
        rows = fields(RULES, ["sip.Call-ID", "sipresp.rule"], "sip.Status-Code", two_pass=two_pass)
        seen = {call(row): set(row["sipresp.rule"]) for row in rows}
        self.assertEqual(set(seen), set(EXPECTED_RULES), "every scenario has exactly one response")
        for call_id, expected in EXPECTED_RULES.items():
            with self.subTest(call=call_id, two_pass=two_pass):
                added = {"redirect-not-followed"} if call_id in added_to else set()
                self.assertEqual(seen[call_id], expected | added)

    def test_each_response_raises_exactly_its_rules(self):
        self.assert_rules_per_response(two_pass=False, added_to=set())

    def test_the_whole_file_adds_only_redirect_not_followed(self):
        # Every scenario is one transaction and nobody follows a redirect,
        # so a second pass adds redirect-not-followed (a Note) on each final
        # 3xx to INVITE that names a target the request had not asked for
        # already, and nothing else. Not on r-no-contact, r-305-no-contact,
        # r-380-no-body (no target), r-cancel (answers a CANCEL), r-loop and
        # r-loop-headers (their target is the Request-URI itself: tried).
        self.assert_rules_per_response(two_pass=True, added_to={
            "r-expires-bad", "r-cexp-bad", "r-out-of-range", "r-two-expires", "r-bad-q", "r-duplicate", "r-zero",
            "r-unregistered", "r-sips-down"})

    def test_a_sips_request_sent_only_sip_targets_is_told_why_nobody_followed(self):
        # r-sips-down: a 302 to INVITE sips:... whose one target is sip:
        # (8.1.3.4: the client may decline). r-zero: a plain sip: 302.
        why = "; each one left is a sip: URI for this sips: request, a downgrade the client may refuse " \
              "(RFC 3261 8.1.3.4)"
        for scenario, told in (("r-sips-down", True), ("r-zero", False)):
            with self.subTest(call=scenario):
                tree = tshark("-r", RULES, "-2", "-V", "-O", "sipresp",
                              "-Y", 'sip.Status-Code && sip.Call-ID ~ "^%s@"' % scenario)
                self.assertRegex(tree, r"redirect-not-followed: no later request of the caller went to any of its "
                                       r"targets in the [0-9.]+ \w+ the capture runs after it")
                self.assertEqual(why in tree, told)

    def test_no_request_carries_a_rule(self):
        # every scenario here has its own Call-ID; none reuses another's target
        rows = fields(RULES, ["frame.number", "sipresp.rule"], "sip.Method", two_pass=True)
        self.assertTrue(rows)
        self.assertEqual([r for r in rows if r["sipresp.rule"]], [])

    def test_a_2xx_to_refer_owes_a_contact_only_where_its_refer_shows_it_opened_a_dialog(self):
        # r-refer-no-contact: a REFER sent outside a dialog (no To tag) and
        # its 202 without a Contact (RFC 3515 2, RFC 3261 12.1.1). Judged
        # alone, the 202 cannot say whether its REFER was a transfer inside
        # a call, which owes none: no rule, and no Contact asked in its title.
        scenario = 'sip.Status-Code && sip.Call-ID ~ "^r-refer-no-contact@"'
        for track, rules, title in (("TRUE", ["dialog-2xx-without-contact"], "202 Accepted to REFER, no Contact"),
                                    ("FALSE", [], "202 Accepted to REFER")):
            with self.subTest(track_calls=track):
                extra = ["-o", "sipresp.track_calls:" + track]
                (row,) = fields(RULES, ["sipresp.rule"], scenario, extra=extra)
                self.assertEqual(row["sipresp.rule"], rules)
                tree = tshark("-r", RULES, "-V", "-O", "sipresp", "-Y", scenario, *extra)
                self.assertIn("SIP Response Analysis: %s\n" % title, tree)

    def test_every_rule_is_covered(self):
        covered = set().union(*EXPECTED_RULES.values())
        self.assertEqual(covered, set(EXPECTED_SEVERITY))

    def test_expert_info_per_rule_with_its_severity(self):
        for rule_id, severity in EXPECTED_SEVERITY.items():
            with self.subTest(rule=rule_id):
                expert = "sipresp." + rule_id.replace("-", "_")
                rows = fields(RULES, ["sip.Call-ID", "_ws.expert.severity"], expert)
                self.assertEqual(sorted(call(r) for r in rows),
                                 sorted(c for c, rules in EXPECTED_RULES.items() if rule_id in rules))
                for row in rows:
                    self.assertIn(str(SEVERITY[severity]), row["_ws.expert.severity"])

    def test_expert_statistics_list_the_rules(self):
        out = tshark("-r", RULES, "-q", "-z", "expert")
        for rule_id in EXPECTED_SEVERITY:
            self.assertRegex(out, r"SIPRESP\s+.*\[%s," % re.escape(rule_id))


class RulesAloneAndFullTree(unittest.TestCase):
    """A tree nobody sees (-Y without -V or -T fields, which make tshark
    build a visible tree) that is searched for sipresp or sipresp.rule alone
    gets the rule items, expert infos and Info column without the rest of
    the tree (render_rules_only). A filter that also names another sipresp
    field builds the whole tree. Both must select the same frames with the
    same Info column and raise the same expert infos."""

    # the same frames as the filter before it, with sipresp.status_code
    # named (true or not of every frame), so the whole tree is built
    WHOLE = " && (sipresp.status_code >= 0 || !sipresp.status_code)"

    def outputs(self, capture, suffix):
        listed = tshark("-r", capture, "-2", "-Y", "sipresp.rule" + suffix)
        expert = tshark("-r", capture, "-2", "-q", "-Y", "sipresp" + suffix, "-z", "expert,sipresp")
        return listed, expert

    def test_same_frames_info_column_and_expert_infos(self):
        # (malformed.pcap: unreadable Contacts and messages, notes but no rules)
        for capture, has_rules in ((RULES, True), (CALLS, True), (MALFORMED, False)):
            with self.subTest(capture=os.path.basename(capture)):
                listed, expert = self.outputs(capture, "")
                self.assertEqual("\u26a0" in listed, has_rules)
                self.assertIn("SIPRESP", expert)
                self.assertEqual((listed, expert), self.outputs(capture, self.WHOLE))


class CleanTraffic(unittest.TestCase):
    def test_no_rule_fires(self):
        rows = fields(CLEAN, ["frame.number", "sipresp.rule"], "sipresp")
        self.assertTrue(rows, "sipresp annotates the clean capture's responses")
        for row in rows:
            self.assertEqual(row["sipresp.rule"], [], "frame %s" % row["frame.number"])

    def test_no_warning_or_error_in_expert_info(self):
        for passes in ((), ("-2",)):
            with self.subTest(passes=passes):
                out = tshark("-r", CLEAN, *passes, "-q", "-z", "expert,warn")
                self.assertNotIn("SIPRESP", out)

    def test_the_whole_file_notes_reach_the_expert_statistics(self):
        # the two redirects nobody follows (Stability's table: c-301, c-305),
        # at Note level only (the test above)
        notes = tshark("-r", CLEAN, "-2", "-q", "-z", "expert,note")
        self.assertRegex(notes, r"\n\s+2\s+Sequence\s+SIPRESP\s+.*\[redirect-not-followed,")

    def test_302_targets_ranked_with_lifetimes(self):
        names = ["sipresp.target.uri", "sipresp.target.q", "sipresp.target.rank", "sipresp.target.lifetime",
                 "sipresp.target.lifetime_source", "sipresp.target.cacheable", "sipresp.target.display",
                 "sipresp.request_frame", "sipresp.method", "sipresp.status_code", "sipresp.target.expires_at"]
        (row,) = fields(CLEAN, names, "sipresp.status_code == 302")
        self.assertEqual(row["sipresp.target.uri"], ["sip:bob@192.0.2.4", "sip:bob@198.51.100.9"])
        self.assertEqual(row["sipresp.target.q"], ["0.7", "0.1"])
        self.assertEqual(row["sipresp.target.rank"], ["1", "2"])
        # only the first has a lifetime (its expires=3600); the second has none: 21.3.3
        self.assertEqual(row["sipresp.target.lifetime"], ["3600"])
        self.assertEqual(row["sipresp.target.lifetime_source"], ["Contact expires parameter", "none"])
        self.assertEqual(row["sipresp.target.cacheable"], ["1", "0"])
        self.assertEqual(row["sipresp.target.display"], ["Bob"])
        self.assertEqual(row["sipresp.request_frame"], ["3"])
        self.assertEqual(row["sipresp.method"], ["INVITE"])
        # the 302 is frame 4 at T0 + 0.040 s; T0 = 1700000000 = 2023-11-14 22:13:20 UTC; + 3600 s
        self.assertEqual(len(row["sipresp.target.expires_at"]), 1)
        self.assertIn("23:13:20.04", row["sipresp.target.expires_at"][0])

    def test_tree_labels_of_the_302_and_the_register_200(self):
        # from clean.pcap's making: frames 10 ms apart; REGISTER 1, its 200 2
        # (Contacts without q: 1.0), INVITE 3, the 302 4 (q=0.7 then q=0.1)
        lines = [line.strip() for line in tshark("-r", CLEAN, "-V", "-Y", "sipresp.status_code").splitlines()]
        for expected in [
            "SIP Response Analysis: 302 Moved Temporarily, 2 targets",
            "Status: 302 Moved Temporarily (Redirection)",
            "[Request: INVITE sip:bob@example.com [frame 3, 10.000 ms]]",
            "Target 1: sip:bob@192.0.2.4 (q=0.7, rank 1)",
            "Target 2: sip:bob@198.51.100.9 (q=0.1, rank 2)",
            # the 302 is at T0 + 0.040 s, T0 = 1700000000 = 2023-11-14 22:13:20 UTC; expires=3600
            "[Lifetime: 3600 s (Contact expires parameter), until Nov 14, 2023 23:13:20.040000000 UTC]",
            # a 2xx title names the method it answers; for REGISTER its
            # Contacts are the address-of-record's bindings (10.3)
            "SIP Response Analysis: 200 OK to REGISTER, 2 bindings",
            "Status: 200 OK (Success)",
            "[Request: REGISTER sip:example.com [frame 1, 10.000 ms]]",
            "Contact 1: sip:alice@192.0.2.10 (q=1, rank 1)",
            "[q: 1 (default)]",  # no q parameter (20.10)
            "SIP Response Analysis: 200 OK to INVITE, 1 Contact",
            # a 200 to BYE or OPTIONS owes no Contact: no count of zero
            "SIP Response Analysis: 200 OK to BYE",
            "SIP Response Analysis: 200 OK to OPTIONS",
        ]:
            self.assertIn(expected, lines)
        # a 2xx to INVITE (frame 7) has no targets to rank: its Contact is
        # where the caller sends the dialog's later requests (12.1.2)
        invite_ok = [line.strip() for line in tshark("-r", CLEAN, "-V", "-O", "sipresp", "-Y", "frame.number == 7")
                     .splitlines()]
        # the title names the method: no [Method] line under it
        self.assertIn("SIP Response Analysis: 200 OK to INVITE, 1 Contact", invite_ok)
        self.assertNotIn("[Method: INVITE]", invite_ok)
        self.assertIn("Contact 1: sip:bob@192.0.2.4 (remote target of the dialog)", invite_ok)
        self.assertFalse([line for line in invite_ok if "rank" in line or line.startswith("[q: ")], invite_ok)
        # still in the fields, for filters
        (row,) = fields(CLEAN, ["sipresp.target.q", "sipresp.target.rank"], "frame.number == 7")
        self.assertEqual((row["sipresp.target.q"], row["sipresp.target.rank"]), (["1"], ["1"]))
        meanings = [line for line in lines if line.startswith("[Meaning: ")]
        self.assertTrue(meanings)
        for line in meanings:
            self.assertRegex(line, r"^\[Meaning: .+ \((RFC \d+ [\d.]+|[^()]+)\)\]$")

    def test_titles_say_which_contact_is_missing(self):
        # rules.pcap: r-2xx-no-contact is a 200 to INVITE without the
        # Contact a dialog needs (12.1.1); r-no-contact a 302 without targets
        titles = {}
        for call_id in ["r-2xx-no-contact", "r-no-contact", "r-204-publish"]:
            lines = tshark("-r", RULES, "-V", "-O", "sipresp", "-Y",
                           f'sip.Status-Code and sip.Call-ID ~ "^{call_id}@"').splitlines()
            titles[call_id] = [line.strip() for line in lines if line.startswith("SIP Response Analysis")]
        self.assertEqual(titles, {
            "r-2xx-no-contact": ["SIP Response Analysis: 200 OK to INVITE, no Contact"],
            "r-no-contact": ["SIP Response Analysis: 302 Moved Temporarily, no targets"],
            "r-204-publish": ["SIP Response Analysis: 204 No Notification to PUBLISH"],
        })
        for capture in [CLEAN, RULES, CALLS, TCP]:
            shown = [line for line in tshark("-r", capture, "-V", "-O", "sipresp").splitlines()
                     if line.startswith("SIP Response Analysis")]
            self.assertTrue(shown)
            self.assertFalse([line for line in shown if re.search(r", 0 (Contact|target|binding)", line)], capture)

    def test_an_unregistered_code_is_named_by_what_it_is_handled_as(self):
        # rules.pcap's r-unregistered: "SIP/2.0 399 Something Else" with one
        # Contact. 399 is not registered and is handled as 300 (8.1.3.2):
        # 300's name is not 399's, and the reason phrase sent is shown
        lines = [line.strip() for line in tshark("-r", RULES, "-V", "-O", "sipresp", "-Y",
                                                 'sip.Call-ID contains "r-unregistered@"').splitlines()]
        self.assertIn("SIP Response Analysis: 399 (handled as 300 Multiple Choices), 1 target", lines)
        self.assertIn('Status: 399 (Redirection), not registered: handled as 300 Multiple Choices, '
                      'reason phrase "Something Else"', lines)
        nodes = {}
        stats_out = tshark("-r", RULES, "-q", "-z", "sipresp,tree")
        for line in stats_out.splitlines():
            m = re.match(r"^ (\d\d\d .*?)\s{2,}(\d+)\s", line)
            if m:
                nodes[m.group(1)] = int(m.group(2))
        self.assertEqual(nodes.get("399 (handled as 300 Multiple Choices)"), 1, stats_out)
        # clean.pcap's responses all carry their codes' registered names:
        # no Status line mentions a reason phrase
        clean = tshark("-r", CLEAN, "-V", "-O", "sipresp")
        self.assertIn("Status: 302 Moved Temporarily (Redirection)", clean)
        self.assertNotIn("reason phrase", clean)

    # Lines whose whole content another line of the same tree already shows
    # (DESIGN.md's output shape has none of them): the class is in the
    # Status line, the first target and its lifetime are Target 1's lines,
    # the method in the Request line (and in a 2xx's title),
    # the Request-URI and response time are in the Request line, a target's
    # URI, explicit q and rank are in its line, a lifetime's source and end
    # in the Lifetime line, "acked" in the ACK line; the redirect policy is
    # the Meaning line again, and whether a target may be cached its
    # Lifetime line (3600 s: yes; none, for a 302: no). From clean.pcap's 302
    # (frame 4: INVITE sip:bob@example.com in frame 3, ACK in frame 5,
    # Target 1 sip:bob@192.0.2.4;expires=3600 q=0.7, Target 2 q=0.1).
    DUPLICATE_LINES = [
        "[Class: Redirection]",
        "[First target: sip:bob@192.0.2.4]",
        "[First target lifetime: 3600 s]",
        "[Method: INVITE]",
        "[Request-URI: sip:bob@example.com]",
        # Wireshark writes a relative time in seconds up to 4.4, in a unit
        # that fits it from 4.6 on
        "[Response time: 10.000000 milliseconds]" if tshark_version() >= (4, 6)
        else "[Response time: 0.010000000 seconds]",
        "URI: sip:bob@192.0.2.4",
        "[q: 0.7]",
        "[Rank: 1]",
        "[Lifetime source: Contact expires parameter]",
        "[Expires at: Nov 14, 2023 23:13:20.040000000 UTC]",
        "[ACK: acked]",
        "[Redirect policy: temporary: retry at a target; cache only for the lifetime given, else use once]",
        "[Cacheable: True]",
        "[Cacheable: False]",
    ]

    def test_lines_that_repeat_another_are_hidden_but_filterable(self):
        shown = [line.strip() for line in tshark("-r", CLEAN, "-2", "-V", "-Y", "sipresp.status_code == 302").splitlines()]
        for line in self.DUPLICATE_LINES:
            self.assertNotIn(line, shown)
        # what the hidden lines repeat is still there
        for line in ["Status: 302 Moved Temporarily (Redirection)",
                     "[Request: INVITE sip:bob@example.com [frame 3, 10.000 ms]]",
                     "Target 1: sip:bob@192.0.2.4 (q=0.7, rank 1)",
                     "[Lifetime: 3600 s (Contact expires parameter), until Nov 14, 2023 23:13:20.040000000 UTC]",
                     "[ACK in frame 5, 10.000 ms later]"]:
            self.assertIn(line, shown)
        # a 3xx's method shows on its own only where no Request line names it
        alone = [line.strip() for line in tshark("-r", CLEAN, "-V", "-Y", "sipresp.status_code == 302",
                                                 "-o", "sipresp.track_calls:FALSE").splitlines()]
        self.assertIn("[Method: INVITE]", alone)
        self.assertNotIn("[Request: INVITE sip:bob@example.com [frame 3, 10.000 ms]]", alone)
        # a defaulted q says what the target line does not (20.10)
        register = [line.strip() for line in tshark("-r", CLEAN, "-V", "-Y", "sipresp.method == \"REGISTER\"").splitlines()]
        self.assertIn("[q: 1 (default)]", register)
        # Wireshark's own preference shows them, and filters find them
        every = [line.strip() for line in tshark("-r", CLEAN, "-2", "-V", "-Y", "sipresp.status_code == 302",
                                                 "-o", "protocols.display_hidden_proto_items:TRUE").splitlines()]
        for line in self.DUPLICATE_LINES:
            self.assertIn(line, every)
        (row,) = fields(CLEAN, ["frame.number"], 'sipresp.class == "Redirection" && sipresp.target.rank == 2 '
                                                 '&& sipresp.target.lifetime_source == "Contact expires parameter" '
                                                 '&& sipresp.first_target == "sip:bob@192.0.2.4"')
        self.assertEqual(row["frame.number"], ["4"])
        # and the machine-readable trees keep them: pdml marks them hidden
        pdml = tshark("-r", CLEAN, "-2", "-T", "pdml", "-Y", "sipresp.status_code == 302")
        self.assertRegex(pdml, r'<field name="sipresp.class" showname="Class: Redirection" hide="yes"')
        self.assertRegex(pdml, r'<field name="sipresp.target.rank" showname="Rank: 2" hide="yes"')
        json = tshark("-r", CLEAN, "-2", "-T", "json", "-Y", "sipresp.status_code == 302")
        self.assertIn('"sipresp.first_target": "sip:bob@192.0.2.4"', json)

    def test_cacheable_shows_where_the_lifetime_line_would_mislead(self):
        # clean.pcap's 305 gives its proxy 600 s (Expires header), yet a 305
        # is for the one request it answers (RFC 3261 21.3.4): the Lifetime
        # line alone would read as "cache it 600 s", so the tree says not to
        lines = [line.strip() for line in tshark("-r", CLEAN, "-V", "-O", "sipresp",
                                                 "-Y", "sipresp.status_code == 305").splitlines()]
        self.assertIn("Target 1: sip:proxy.example.net (q=1, rank 1)", lines)
        self.assertTrue([line for line in lines if line.startswith("[Lifetime: 600 s (Expires header), until ")],
                        lines)
        self.assertIn("[Cacheable: False: a 305 names a proxy for this one request, whatever the lifetime "
                      "(RFC 3261 21.3.4)]", lines)
        self.assertFalse([line for line in lines if line.startswith("[Redirect policy")], lines)
        # the 301's permanence is in its Lifetime line: no Cacheable line
        moved = [line.strip() for line in tshark("-r", CLEAN, "-V", "-O", "sipresp",
                                                 "-Y", "sipresp.status_code == 301").splitlines()]
        self.assertIn("[Lifetime: none: permanent: keep using it until told otherwise (RFC 3261 21.3.2)]", moved)
        self.assertFalse([line for line in moved if line.startswith("[Cacheable")], moved)
        # the hidden ones stay fields
        rows = fields(CLEAN, ["sipresp.status_code", "sipresp.target.cacheable", "sipresp.policy"],
                      "sipresp.status_code >= 300")
        by_code = {r["sipresp.status_code"][0]: r for r in rows}
        self.assertEqual({code: r["sipresp.target.cacheable"] for code, r in by_code.items()},
                         {"302": ["1", "0"], "301": ["1"], "305": ["0"]})
        self.assertTrue(by_code["302"]["sipresp.policy"][0].startswith("temporary: "))
        self.assertTrue(by_code["305"]["sipresp.policy"][0].startswith("this request only: "))

    def test_an_expires_header_times_a_subscription_not_its_contact(self):
        # rules.pcap's r-202-subscribe: a 202 to SUBSCRIBE with Expires: 60;
        # that is how long the subscription runs (RFC 6665 4.1.2.1), while
        # its Contact is the dialog's remote target, with no lifetime
        lines = [line.strip() for line in tshark("-r", RULES, "-V", "-O", "sipresp", "-Y",
                                                 'sip.Status-Code and sip.Call-ID contains "r-202-subscribe@"')
                 .splitlines()]
        until = [line for line in lines if line.startswith("[Subscription: 60 s (Expires header), until ")]
        self.assertEqual(len(until), 1, lines)
        self.assertIn("Contact 1: sip:bob@192.0.2.20 (remote target of the dialog)", lines)
        self.assertFalse([line for line in lines if line.startswith("[Lifetime")], lines)
        (row,) = fields(RULES, ["sipresp.subscription_lifetime", "sipresp.target.lifetime"],
                        'sip.Status-Code and sip.Call-ID contains "r-202-subscribe@"')
        self.assertEqual(row, {"sipresp.subscription_lifetime": ["60"], "sipresp.target.lifetime": []})

    def test_an_expires_header_times_published_state(self):
        # clean.pcap's PUBLISH asks 3600 s, its 200 grants 1800 (RFC 3903 5);
        # its second PUBLISH (CSeq 2) removes that state
        first = 'sipresp.method == "PUBLISH" && sip.CSeq.seq == 1'
        lines = [line.strip() for line in tshark("-r", CLEAN, "-V", "-O", "sipresp", "-Y", first).splitlines()]
        self.assertIn("SIP Response Analysis: 200 OK to PUBLISH", lines)
        self.assertIn("[Meaning: event state published; SIP-ETag names it for refreshes (RFC 3903)]", lines)
        self.assertTrue([line for line in lines if line.startswith("[Publication: 1800 s (Expires header), until ")],
                        lines)
        self.assertFalse([line for line in lines if line.startswith("[Subscription")], lines)
        (row,) = fields(CLEAN, ["sipresp.publication_lifetime", "sipresp.subscription_lifetime"], first)
        self.assertEqual(row, {"sipresp.publication_lifetime": ["1800"], "sipresp.subscription_lifetime": []})

    def test_a_2xx_granting_0_s_ends_a_subscription_or_removes_published_state(self):
        # clean.pcap, from its making: alice subscribes to bob's presence for
        # 600 s (SUBSCRIBE 21, 200 22), then unsubscribes in the dialog with
        # Expires: 0 (SUBSCRIBE 25, 200 26 grants 0 s); her PUBLISH 29
        # removes the state that PUBLISH 19 published (200 30 grants 0 s).
        # The 0 s responses say what ended (RFC 6665 4.1.2.3, RFC 3903 4.5);
        # the others keep their method's meaning. No rule anywhere.
        names = ["frame.number", "sipresp.meaning", "sipresp.subscription_lifetime",
                 "sipresp.publication_lifetime", "sipresp.rule"]
        rows = {r["frame.number"][0]: r
                for r in fields(CLEAN, names, "frame.number >= 20 && frame.number <= 30 && sipresp", two_pass=True)}
        subscribed, unsubscribed = rows["22"], rows["26"]
        published, removed = rows["20"], rows["30"]
        self.assertEqual(subscribed["sipresp.subscription_lifetime"], ["600"])
        self.assertIn("subscription accepted", subscribed["sipresp.meaning"][0])
        self.assertEqual(unsubscribed["sipresp.subscription_lifetime"], ["0"])
        self.assertIn("subscription ends", unsubscribed["sipresp.meaning"][0])
        self.assertIn("terminated", unsubscribed["sipresp.meaning"][0])
        self.assertEqual(published["sipresp.publication_lifetime"], ["1800"])
        self.assertIn("published", published["sipresp.meaning"][0])
        self.assertEqual(removed["sipresp.publication_lifetime"], ["0"])
        self.assertIn("removed", removed["sipresp.meaning"][0])
        self.assertEqual(sorted(rows), ["20", "22", "24", "26", "28", "30"])  # every 2xx, requests not
        self.assertEqual([r["sipresp.rule"] for r in rows.values()], [[]] * 6)
        tree = [line.strip() for line in tshark("-r", CLEAN, "-V", "-O", "sipresp", "-Y", "frame.number == 26")
                .splitlines()]
        self.assertIn("[Meaning: subscription ends: 0 s granted; a last NOTIFY with state terminated is due "
                      "(RFC 6665 4.1.2.3)]", tree)

    def test_a_registrars_200_that_leaves_no_binding_says_none_remain(self):
        # clean.pcap, from its making: the 200 in frame 2 lists alice's two
        # bindings; REGISTER 31 removes one and its 200 (32) lists the other,
        # still live; REGISTER 33 removes that one and its 200 (34) lists it
        # at expires=0. A 200 to REGISTER lists every binding kept (RFC 3261
        # 10.3 step 8), so 34 leaves none; no rule anywhere.
        names = ["frame.number", "sipresp.meaning", "sipresp.target.lifetime", "sipresp.rule"]
        rows = {r["frame.number"][0]: r
                for r in fields(CLEAN, names, 'sipresp.method == "REGISTER" && frame.number <= 36', two_pass=True)}
        self.assertEqual(sorted(rows, key=int), ["2", "32", "34"])
        for frame in ("2", "32"):
            self.assertTrue(rows[frame]["sipresp.meaning"][0].startswith("bindings accepted"), frame)
        self.assertEqual(rows["32"]["sipresp.target.lifetime"], ["3598"])
        self.assertEqual(rows["34"]["sipresp.target.lifetime"], ["0"])
        self.assertEqual(rows["34"]["sipresp.meaning"], ["no bindings remain: every Contact listed has 0 s left"])
        self.assertEqual([r["sipresp.rule"] for r in rows.values()], [[]] * 3)
        tree = [line.strip() for line in tshark("-r", CLEAN, "-V", "-O", "sipresp", "-Y", "frame.number == 34")
                .splitlines()]
        self.assertIn("[Meaning: no bindings remain: every Contact listed has 0 s left (RFC 3261 10.3)]", tree)

    def test_a_200_to_a_registration_query_says_so_and_not_that_bindings_were_accepted_or_removed(self):
        # clean.pcap, from its making: REGISTERs 37 and 41 carry no Contact,
        # so they only ask for the bindings (RFC 3261 10.2.3). 38 answers
        # 37 with no Contact: none held (none left since frame 34). 39
        # binds one Contact, its 200 (40) is an ordinary acceptance; 42
        # answers 41 listing that binding at 598 s. No rule anywhere.
        names = ["frame.number", "sipresp.meaning", "sipresp.request_frame", "sipresp.target.lifetime",
                 "sipresp.rule"]
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = {r["frame.number"][0]: r
                        for r in fields(CLEAN, names, 'sipresp.method == "REGISTER" && frame.number > 36', two_pass)}
                self.assertEqual(sorted(rows, key=int), ["38", "40", "42"])
                self.assertEqual([rows[f]["sipresp.request_frame"] for f in ("38", "40", "42")],
                                 [["37"], ["39"], ["41"]])
                self.assertEqual(rows["38"]["sipresp.meaning"],
                                 ["registration query answered, nothing changed; the registrar holds no binding "
                                  "for this address-of-record"])
                self.assertTrue(rows["40"]["sipresp.meaning"][0].startswith("bindings accepted"))
                self.assertEqual(rows["42"]["sipresp.meaning"],
                                 ["registration query answered, nothing changed; the Contacts list every current "
                                  "binding with its expiry"])
                self.assertEqual(rows["42"]["sipresp.target.lifetime"], ["598"])
                self.assertEqual([r["sipresp.rule"] for r in rows.values()], [[]] * 3)
        tree = [line.strip() for line in tshark("-r", CLEAN, "-V", "-O", "sipresp", "-Y", "frame.number == 42")
                .splitlines()]
        self.assertIn("[Meaning: registration query answered, nothing changed; the Contacts list every current "
                      "binding with its expiry (RFC 3261 10.2.3)]", tree)
        # without calls tracked the request is not read: the 200 alone
        # cannot tell a query, and says what any registrar's 200 says
        alone = {r["frame.number"][0]: r["sipresp.meaning"]
                 for r in fields(CLEAN, ["frame.number", "sipresp.meaning"], "frame.number == 38 || frame.number == 42",
                                 extra=["-o", "sipresp.track_calls:FALSE"])}
        self.assertTrue(alone["38"][0].startswith("no bindings remain"), alone)
        self.assertTrue(alone["42"][0].startswith("bindings accepted"), alone)

    def test_the_contact_of_a_2xx_to_a_refer_that_opened_a_dialog_is_its_remote_target(self):
        # clean.pcap, from its making: REFER 35 is sent outside a dialog, so
        # it opens one (RFC 3515 2) and its 202 (36) owes the Contact it
        # carries (RFC 3261 12.1.1), which is the remote target; no rule.
        # (dialog.pcap's REFER rides inside a call: test_real_captures.py.)
        (row,) = fields(CLEAN, ["frame.number", "sipresp.request_frame", "sipresp.rule"], 'sipresp.method == "REFER"')
        self.assertEqual((row["frame.number"], row["sipresp.request_frame"], row["sipresp.rule"]), (["36"], ["35"], []))
        tree = [line.strip() for line in tshark("-r", CLEAN, "-V", "-O", "sipresp", "-Y", "frame.number == 36")
                .splitlines()]
        self.assertIn("SIP Response Analysis: 202 Accepted to REFER, 1 Contact", tree)
        self.assertIn("Contact 1: sip:bob@192.0.2.4 (remote target of the dialog)", tree)

    def test_meaning_of_200_depends_on_method(self):
        rows = fields(CLEAN, ["sipresp.method", "sipresp.meaning"], "sipresp.status_code == 200")
        meanings = {r["sipresp.method"][0]: r["sipresp.meaning"][0] for r in rows}
        self.assertIn("ACK", meanings["INVITE"])
        self.assertIn("ended", meanings["BYE"])
        self.assertIn("binding", meanings["REGISTER"])
        self.assertIn("Allow", meanings["OPTIONS"])

    def test_info_column_summary_and_its_preference(self):
        out = tshark("-r", CLEAN, "-Y", "sipresp.status_code == 302")
        self.assertIn("\u2192 sip:bob@192.0.2.4 (3600 s) +1", out)
        off = tshark("-r", CLEAN, "-Y", "sipresp.status_code == 302", "-o", "sipresp.info_summary:FALSE")
        self.assertNotIn("\u2192 sip:", off)
        self.assertIn("302 Moved Temporarily", off)


    def test_info_column_names_the_rules_broken(self):
        # warnings and errors follow a warning sign, comma-separated; notes
        # stay in the tree and expert info only
        # (the SIP dissector's own Info text holds '|', the field aggregator)
        info = {call(r): "|".join(r["_ws.col.Info"])
                for r in fields(RULES, ["sip.Call-ID", "_ws.col.Info"], "sip.Status-Code")}
        self.assertIn("\u26a0 redirect-without-contact", info["r-no-contact"])
        self.assertIn("\u26a0 use-proxy-without-contact", info["r-305-no-contact"])
        self.assertNotIn("\u26a0", info["r-380-no-body"])  # alternative-service-without-body is a note
        self.assertNotIn("\u26a0", info["r-unregistered"])  # so is unregistered-status-code


# calls.pcap (RULES.md 6): (Call-ID, CSeq number, method or status) of each
# message that must carry rules, and which, once the whole file is known.
# Everything else in the capture carries none.
CALLS_WHOLE_FILE = {
    ("s-ignored", "1", "302"): ["redirect-not-followed"],
    ("s-loop", "3", "INVITE"): ["target-retried"],
    ("s-cache2", "1", "INVITE"): ["cached-without-lifetime"],
    ("s-exp2", "1", "INVITE"): ["used-after-expiry"],
    ("s-moved3", "1", "INVITE"): ["moved-permanently-ignored"],
    # retransmitted twice, never ACKed, and not followed either
    ("s-noack3xx", "1", "302"): ["redirect-not-followed", "redirect-not-acked"],
    ("s-noack2xx", "1", "200"): ["invite-2xx-not-acked"],
    ("s-chain", "6", "302"): ["redirect-chain-too-long"],
    # ACKed, then sent twice more long after the ACK (a copy within T1 of it aside)
    ("s-lateack2xx", "1", "200"): ["invite-2xx-not-acked"],
    ("s-lateack3xx", "1", "302"): ["redirect-not-acked"],
    # followed at once as a new call (s-newleg-b): only the call after that reuses the target
    ("s-newleg-c", "1", "INVITE"): ["cached-without-lifetime"],
    # its only ACK came on a branch of its own, and the server sent it again
    ("s-ownbranch", "1", "302"): ["redirect-not-acked"],
}
# what a single pass may say: only findings about the past
BACKWARD = {"target-retried", "cached-without-lifetime", "used-after-expiry", "moved-permanently-ignored",
            "redirect-chain-too-long"}
SECTION6 = {"redirect-not-followed": "Note", "target-retried": "Error", "cached-without-lifetime": "Error",
            "used-after-expiry": "Warning", "moved-permanently-ignored": "Warning", "redirect-not-acked": "Warning",
            "invite-2xx-not-acked": "Warning", "redirect-chain-too-long": "Note"}
CALL_FIELDS = ["frame.number", "sip.Call-ID", "sip.CSeq.seq", "sip.Method", "sip.Status-Code", "sipresp.rule",
               "sipresp.redirected_by", "sipresp.redirect_depth", "sipresp.target.followed_in",
               "sipresp.target.tried_in", "sipresp.ack_other_branch", "sipresp.copy_of",
               "sipresp.ack", "sipresp.ack_frame", "sipresp.retransmissions", "sipresp.retransmissions_after_ack"]


def call_rows(two_pass, extra=()):
    """(Call-ID, CSeq, method or status) -> row, first copy of each message"""
    out = {}
    for row in fields(CALLS, CALL_FIELDS, "sip", two_pass=two_pass, extra=extra):
        key = (call(row), row["sip.CSeq.seq"][0], (row["sip.Method"] or row["sip.Status-Code"])[0])
        out.setdefault(key, row)
    return out


class RemovedBindingsKept(unittest.TestCase):
    """A registrar drops a binding its REGISTER gives 0 s, or fails the
    request (RFC 3261 10.3 steps 6-7); a 200 that still lists it with time
    left kept it."""

    def test_a_200_still_listing_a_binding_its_register_removed_names_it(self):
        # registrar.pcap, from its making: REGISTER 1 removes .10 (expires
        # parameter), 3 removes .11 (Expires: 0), 5 removes all (Contact: *,
        # Expires: 0); their 200s (2, 4, 6) still list the removed one with
        # time left. 7 removes an outbound flow (reg-id=1); its 200 (8)
        # lists the same instance's other flow (reg-id=2): another binding.
        names = ["frame.number", "sipresp.request_frame", "sipresp.target.removal_ignored", "sipresp.meaning",
                 "sipresp.rule"]
        kept = "bindings accepted, but the registrar still lists, with time left, a binding this REGISTER removed"
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = {r["frame.number"][0]: r for r in fields(REGISTRAR, names, "sip.Status-Code", two_pass)}
                self.assertEqual(sorted(rows, key=int), ["2", "4", "6", "8"])
                for frame, request in (("2", "1"), ("4", "3"), ("6", "5")):
                    self.assertEqual(rows[frame]["sipresp.request_frame"], [request])
                    self.assertEqual(rows[frame]["sipresp.target.removal_ignored"], ["1"])
                    self.assertTrue(rows[frame]["sipresp.meaning"][0].startswith(kept), rows[frame])
                self.assertEqual(rows["8"]["sipresp.target.removal_ignored"], [])
                self.assertTrue(rows["8"]["sipresp.meaning"][0].startswith("bindings accepted;"), rows["8"])
                # no rule of the catalogue names this
                self.assertEqual([r["sipresp.rule"] for r in rows.values()], [[]] * 4)
        # the line sits under the removed binding, not under the one beside it
        tree = [line.strip() for line in tshark("-r", REGISTRAR, "-V", "-O", "sipresp", "-Y", "frame.number == 2")
                .splitlines()]
        line = ("[Removal ignored: the REGISTER in frame 1 removed this binding, yet it is still listed with time "
                "left (RFC 3261 10.3 steps 6-7)]")
        self.assertEqual(tree.count(line), 1, tree)
        self.assertLess(tree.index("Contact 1: sip:alice@192.0.2.10 (q=1, rank 1)"), tree.index(line))
        self.assertLess(tree.index(line), tree.index("Contact 2: sip:alice@192.0.2.11 (q=1, rank 2)"))
        # and the title, all a collapsed tree shows, counts it
        titles = [t.strip() for t in tshark("-r", REGISTRAR, "-V", "-O", "sipresp", "-Y", "sip.Status-Code")
                  .splitlines() if t.startswith("SIP Response Analysis")]
        self.assertEqual(titles, ["SIP Response Analysis: 200 OK to REGISTER, 2 bindings, 1 removal ignored"] * 2 +
                         ["SIP Response Analysis: 200 OK to REGISTER, 1 binding, 1 removal ignored",
                          "SIP Response Analysis: 200 OK to REGISTER, 1 binding"])
        # without calls tracked the REGISTER is not read: nothing to compare
        alone = fields(REGISTRAR, ["frame.number"], "sipresp.target.removal_ignored",
                       extra=["-o", "sipresp.track_calls:FALSE"])
        self.assertEqual(alone, [])

    def test_no_other_capture_shows_a_removal_ignored(self):
        # every other registrar in pcaps/ (kamailio's, the handmade ones)
        # drops what it is told to: clean.pcap's REGISTERs 31 and 33,
        # kamailio's removals in real/query.pcap (Contact: *, then one of
        # two bindings) and the phones' de-registrations in real/ among them
        top = os.path.dirname(REGISTRAR)
        captures = [os.path.join(d, n) for d in (top, os.path.join(os.path.dirname(top), "real"))
                    for n in sorted(os.listdir(d)) if n.endswith((".pcap", ".pcapng"))]
        self.assertGreater(len(captures), 30)
        for capture in captures:
            if capture == REGISTRAR:
                continue
            with self.subTest(capture=os.path.basename(capture)):
                self.assertEqual(fields(capture, ["frame.number"], "sipresp.target.removal_ignored", True), [])


class CallsAcrossTheCapture(unittest.TestCase):
    def test_each_message_raises_exactly_its_section_6_rules_on_the_second_pass(self):
        for key, row in call_rows(True).items():
            with self.subTest(message=key):
                self.assertEqual(sorted(row["sipresp.rule"]), sorted(CALLS_WHOLE_FILE.get(key, [])))

    def test_a_single_pass_says_only_what_the_past_shows(self):
        for key, row in call_rows(False).items():
            with self.subTest(message=key):
                expected = [r for r in CALLS_WHOLE_FILE.get(key, []) if r in BACKWARD]
                self.assertEqual(sorted(row["sipresp.rule"]), sorted(expected))

    def test_every_section_6_rule_is_covered_with_its_severity_and_group(self):
        covered = set().union(*map(set, CALLS_WHOLE_FILE.values()))
        self.assertEqual(covered, set(SECTION6))
        out = tshark("-r", CALLS, "-2", "-q", "-z", "expert,sipresp")
        for rule_id, severity in SECTION6.items():
            with self.subTest(rule=rule_id):
                self.assertRegex(out, r"Sequence\s+SIPRESP\s+.*\[%s," % re.escape(rule_id))
                rows = fields(CALLS, ["_ws.expert.severity"], "sipresp." + rule_id.replace("-", "_"), two_pass=True)
                self.assertTrue(rows)
                self.assertIn(str(SEVERITY[severity]), rows[0]["_ws.expert.severity"])

    def test_a_caller_that_stops_where_its_chain_loops_back_breaks_no_rule(self):
        # A -> B -> A: the second 302 sends the caller back to the URI its
        # first INVITE asked; it stops there, as 8.1.3.4 wants (the first
        # test: s-stopped carries no rule, so no redirect-not-followed)
        rows = call_rows(True)
        back = rows[("s-stopped", "2", "302")]
        self.assertEqual(back["sipresp.target.followed_in"], [])
        self.assertEqual(back["sipresp.target.tried_in"], rows[("s-stopped", "1", "INVITE")]["frame.number"])
        # the first 302 was followed, and its target had not been asked before
        first = rows[("s-stopped", "1", "302")]
        self.assertEqual(first["sipresp.target.followed_in"], rows[("s-stopped", "2", "INVITE")]["frame.number"])
        self.assertEqual(first["sipresp.target.tried_in"], [])
        # only a whole file shows what the caller did next
        self.assertEqual(call_rows(False)[("s-stopped", "2", "302")]["sipresp.target.tried_in"], [])
        # make_handmade.py sends each message 10 ms after the one before:
        # INVITE A, 302, ACK, INVITE B, 302 is four steps
        tree = tshark("-r", CALLS, "-2", "-V", "-O", "sipresp", "-Y", "frame.number == " + back["frame.number"][0])
        self.assertRegex(tree, r"Not tried again: already asked in frame %s of this redirect chain, 40\.000 ms "
                               r"before this response \(.*RFC 3261 8\.1\.3\.4\)" % rows[("s-stopped", "1", "INVITE")]["frame.number"][0])

    def test_an_ack_on_a_branch_of_its_own_is_named_and_is_no_ack(self):
        rows = call_rows(True)
        redirect = rows[("s-ownbranch", "1", "302")]
        (own_branch_ack,) = [r for r in fields(CALLS, ["frame.number", "sip.Call-ID", "sip.Method", "sip.Via.branch"],
                                               "sip.Method == \"ACK\"") if call(r) == "s-ownbranch"
                             and r["sip.Via.branch"] == ["z9hG4bK-s-ownbranch-own"]]
        self.assertEqual(redirect["sipresp.ack"], ["missing"])
        self.assertEqual(redirect["sipresp.ack_frame"], [])
        self.assertEqual(redirect["sipresp.ack_other_branch"], own_branch_ack["frame.number"])
        self.assertEqual(redirect["sipresp.retransmissions"], ["1"])
        # no other message of the capture has such an ACK: every other ACK
        # of a 3xx is on its INVITE's branch
        named = [key for key, row in rows.items() if row["sipresp.ack_other_branch"]]
        self.assertEqual(named, [("s-ownbranch", "1", "302")])
        tree = tshark("-r", CALLS, "-2", "-V", "-O", "sipresp", "-Y", "frame.number == " + redirect["frame.number"][0])
        self.assertIn("ACK in frame %s is on another branch than the INVITE's: it matches no transaction, so "
                      "acknowledges nothing (RFC 3261 17.1.1.3)" % own_branch_ack["frame.number"][0], tree)

    def test_redirect_and_follow_up_link_both_ways(self):
        rows = call_rows(True)
        moved = rows[("s-followed", "1", "302")]
        follow = rows[("s-followed", "2", "INVITE")]
        self.assertEqual(follow["sipresp.redirected_by"], moved["frame.number"])
        self.assertEqual(moved["sipresp.target.followed_in"], follow["frame.number"])
        # both targets of the 300 were tried, each once: the second after the first was busy
        choices = rows[("s-sibling", "1", "300")]
        self.assertEqual(choices["sipresp.target.followed_in"],
                         rows[("s-sibling", "2", "INVITE")]["frame.number"] + rows[("s-sibling", "3", "INVITE")]["frame.number"])
        # the forward link needs the whole file
        self.assertEqual(call_rows(False)[("s-followed", "1", "302")]["sipresp.target.followed_in"], [])
        # a target's method parameter and headers are not on the request line
        # that follows it (19.1.5); redirect-not-followed stays quiet there
        # (the first test: s-uriheaders carries no rule)
        headers = rows[("s-uriheaders", "1", "302")]
        self.assertEqual(headers["sipresp.target.followed_in"], rows[("s-uriheaders", "2", "INVITE")]["frame.number"])
        self.assertEqual(rows[("s-uriheaders", "2", "INVITE")]["sipresp.redirected_by"], headers["frame.number"])
        # followed as a new call: another Call-ID and From tag, the same client, 30 ms after the ACK
        newleg = rows[("s-newleg", "1", "302")]
        self.assertEqual(newleg["sipresp.target.followed_in"], rows[("s-newleg-b", "1", "INVITE")]["frame.number"])
        self.assertEqual(rows[("s-newleg-b", "1", "INVITE")]["sipresp.redirected_by"], newleg["frame.number"])
        self.assertEqual(rows[("s-newleg-c", "1", "INVITE")]["sipresp.redirected_by"], [])
        tree = tshark("-r", CALLS, "-V", "-O", "sipresp", "-Y", "frame.number == " +
                      rows[("s-newleg-b", "1", "INVITE")]["frame.number"][0])
        self.assertIn("Redirected by frame %s, 40.000 ms earlier, as a new call (another Call-ID)"
                      % newleg["frame.number"][0], tree)
        tree = tshark("-r", CALLS, "-V", "-O", "sipresp", "-Y", "frame.number == " +
                      rows[("s-followed", "2", "INVITE")]["frame.number"][0])
        self.assertIn("Redirected by frame %s, " % moved["frame.number"][0], tree)
        self.assertNotIn("new call", tree)
        # the same IPv6 address written two ways is the same target (RFC 5954 4.2)
        v6 = rows[("s-v6", "1", "302")]
        self.assertEqual(v6["sipresp.target.followed_in"], rows[("s-v6", "2", "INVITE")]["frame.number"])
        self.assertEqual(rows[("s-v6", "2", "INVITE")]["sipresp.redirected_by"], v6["frame.number"])
        # a filter field too, on the new call's request only
        self.assertEqual([r["frame.number"] for r in fields(CALLS, ["frame.number"], "sipresp.redirected_as_new_call")],
                         [rows[("s-newleg-b", "1", "INVITE")]["frame.number"]])

    def test_a_packet_captured_twice_is_a_duplicate_not_a_retransmission(self):
        # s-mirror: the 200 and the ACK each captured twice, 50 us apart
        # (a mirror port): the 200's second copy is a duplicate of the
        # first, no copy counts as a retransmission, and no rule fires (the
        # first test: s-mirror carries none)
        rows = [r for r in fields(CALLS, CALL_FIELDS + ["sipresp.duplicate_of"], "sip", two_pass=True)
                if call(r) == "s-mirror"]
        self.assertEqual([(r["sip.Method"] or r["sip.Status-Code"]) for r in rows],
                         [["INVITE"], ["200"], ["200"], ["ACK"], ["ACK"]])
        first, twin = rows[1], rows[2]
        self.assertEqual(twin["sipresp.copy_of"], first["frame.number"])
        self.assertEqual(twin["sipresp.duplicate_of"], first["frame.number"])
        self.assertEqual(first["sipresp.duplicate_of"], [])
        self.assertEqual(first["sipresp.retransmissions"], [])
        self.assertEqual(first["sipresp.ack_frame"], rows[3]["frame.number"])
        for two_pass in ([], ["-2"]):
            with self.subTest(two_pass=two_pass):
                tree = tshark("-r", CALLS, *two_pass, "-V", "-O", "sipresp", "-Y",
                              "frame.number == " + twin["frame.number"][0])
                self.assertIn("[Duplicate of frame %s, captured again 0.050 ms later: the same packet seen twice, "
                              "too soon to be a retransmission (RFC 3261 17.1.1.1)]" % first["frame.number"][0], tree)
                self.assertNotIn("Retransmission of", tree)

    def test_info_column_of_a_request_that_follows_a_redirect(self):
        rows = fields(CALLS, ["sip.Call-ID", "sip.CSeq.seq", "sip.Method", "sipresp.redirected_by", "_ws.col.Info"],
                      "sip.Method == INVITE", two_pass=True)
        retry = next(r for r in rows if call(r) == "s-loop" and r["sip.CSeq.seq"] == ["3"])
        self.assertEqual(len(retry["sipresp.redirected_by"]), 1)
        self.assertTrue("|".join(retry["_ws.col.Info"]).endswith(
            " \u21b3 redirected by %s \u26a0 target-retried" % retry["sipresp.redirected_by"][0]), retry["_ws.col.Info"])

    def test_chain_depth(self):
        rows = call_rows(True)
        self.assertEqual([rows[("s-chain", str(k), "302")]["sipresp.redirect_depth"] for k in range(1, 7)],
                         [[str(k)] for k in range(1, 7)])
        self.assertEqual(rows[("s-chain", "7", "INVITE")]["sipresp.redirect_depth"], ["6"])
        # the limit is a preference
        strict = call_rows(True, extra=["-o", "sipresp.max_redirects:3"])
        self.assertEqual([strict[("s-chain", str(k), "302")]["sipresp.rule"] for k in range(3, 7)],
                         [[], ["redirect-chain-too-long"], ["redirect-chain-too-long"], ["redirect-chain-too-long"]])

    def test_acks_and_retransmissions(self):
        rows = call_rows(True)
        followed = rows[("s-followed", "1", "302")]
        self.assertEqual(followed["sipresp.ack"], ["acked"])
        self.assertEqual(followed["sipresp.ack_frame"], rows[("s-followed", "1", "ACK")]["frame.number"])
        noack = rows[("s-noack3xx", "1", "302")]
        self.assertEqual(noack["sipresp.ack"], ["missing"])
        self.assertEqual(noack["sipresp.retransmissions"], ["2"])
        copies = [r for r in fields(CALLS, CALL_FIELDS, "sip.Status-Code == 302") if call(r) == "s-noack3xx"]
        self.assertEqual([r["sipresp.copy_of"] for r in copies], [[], noack["frame.number"], noack["frame.number"]])
        self.assertEqual(rows[("s-noack2xx", "1", "200")]["sipresp.retransmissions"], ["2"])
        self.assertEqual(rows[("s-noack2xx", "1", "200")]["sipresp.retransmissions_after_ack"], [])

    def test_copies_long_after_the_ack_say_the_ack_did_not_arrive(self):
        rows = call_rows(True)
        for key, ack in ((("s-lateack2xx", "1", "200"), ("s-lateack2xx", "1", "ACK")),
                         (("s-lateack3xx", "1", "302"), ("s-lateack3xx", "1", "ACK"))):
            with self.subTest(response=key):
                final = rows[key]
                self.assertEqual(final["sipresp.ack"], ["acked"])
                self.assertEqual(final["sipresp.ack_frame"], rows[ack]["frame.number"])
                self.assertEqual(final["sipresp.retransmissions"], [])
                self.assertEqual(final["sipresp.retransmissions_after_ack"], ["2"])
        # the tree says which ACK went missing, and how often the final came back
        (ack_frame,) = rows[("s-lateack2xx", "1", "ACK")]["frame.number"]
        (late,) = rows[("s-lateack2xx", "1", "200")]["frame.number"]
        tree = tshark("-r", CALLS, "-2", "-V", "-O", "sipresp", "-Y", "frame.number == " + late)
        self.assertIn("invite-2xx-not-acked: sent 2 more times over 500 ms after the ACK in frame " + ack_frame, tree)
        # a copy 5 ms after the ACK left the callee before the ACK arrived: a clean call
        crossed = rows[("s-crossed", "1", "200")]
        self.assertEqual(crossed["sipresp.ack"], ["acked"])
        self.assertEqual(crossed["sipresp.retransmissions"], [])
        self.assertEqual(crossed["sipresp.retransmissions_after_ack"], [])
        self.assertEqual(crossed["sipresp.rule"], [])

    def test_a_single_pass_marks_each_copy_sent_long_after_the_ack(self):
        rows = call_rows(False)
        (ack_frame,) = rows[("s-lateack2xx", "1", "ACK")]["frame.number"]
        (late,) = rows[("s-lateack2xx", "1", "200")]["frame.number"]
        (crossed,) = rows[("s-crossed", "1", "200")]["frame.number"]
        # the 200's copies: 0.49 s (within T1 of the ACK), 1.49 s and 3.49 s after it
        copies = fields(CALLS, ["_ws.col.Info"], "sipresp.copy_of == " + late)
        self.assertEqual([" after ACK %s: ACK lost" % ack_frame in "|".join(r["_ws.col.Info"]) for r in copies],
                         [False, True, True])
        tree = tshark("-r", CALLS, "-V", "-O", "sipresp", "-Y", "sipresp.copy_of == " + late)
        self.assertEqual(tree.count("after the ACK in frame %s: that ACK did not reach the sender" % ack_frame), 2)
        # the copy that crossed the ACK is a plain retransmission
        (copy,) = fields(CALLS, ["_ws.col.Info"], "sipresp.copy_of == " + crossed)
        self.assertNotIn("ACK lost", "|".join(copy["_ws.col.Info"]))
        tree = tshark("-r", CALLS, "-V", "-O", "sipresp", "-Y", "sipresp.copy_of == " + crossed)
        self.assertIn("[Retransmission of frame %s]" % crossed, tree)

    def test_a_datagram_an_icmp_error_quotes_is_no_retransmission(self):
        # icmp.pcap (pcaps/README.md): frames 3, 8 and 12 are ICMP errors
        # quoting the 200 before each of them
        names = ["frame.number", "sip.Call-ID", "sipresp.status_code", "sipresp.copy_of", "sipresp.retransmissions",
                 "sipresp.ack", "sipresp.rule"]
        for two_pass in (False, True):
            by_frame = {r["frame.number"][0]: r for r in fields(ICMP, names, "sip", two_pass=two_pass)}
            for quoting in ("3", "8", "12"):
                self.assertEqual([by_frame[quoting][n] for n in names[2:]], [[]] * 5, quoting)
            # i-bounce: the 200 was sent again once (frame 4), not twice
            self.assertEqual(by_frame["4"]["sipresp.copy_of"], ["2"])
        self.assertEqual(by_frame["2"]["sipresp.retransmissions"], ["1"])
        self.assertEqual(by_frame["2"]["sipresp.rule"], ["invite-2xx-not-acked"])
        # i-quoted: delivered and ACKed at once, a bounced copy aside: a clean call
        self.assertEqual(by_frame["7"]["sipresp.ack"], ["acked"])
        self.assertEqual(by_frame["7"]["sipresp.retransmissions"], [])
        self.assertEqual(by_frame["7"]["sipresp.rule"], [])


class ProxyLegs(unittest.TestCase):
    """proxy.pcap (pcaps/README.md): captured at a proxy, each call's 200
    and ACK pass twice; each leg's 200 is answered by the ACK sent back to
    its own sender. Frames from the capture's making: p-ontime 1-6, p-late
    7-16 (the callee's 200 in 9, the proxy's in 10, the caller's ACK in 11,
    copies 12-15, the relay in 16), p-dropped 17-25 (200s 19 and 20, the
    caller's ACK 21, copies 22-25, no relay); then p-direct, seen at the
    caller, 26-29 (the proxy's 200 in 27, the caller's ACK straight to the
    callee in 28, the copy in 29), and p-direct-lost 30-34 (200 in 31, ACK
    in 32, copies 33 and 34)."""

    NAMES = ["frame.number", "sipresp.rule", "sipresp.ack_frame", "sipresp.ack_elsewhere", "sipresp.retransmissions",
             "sipresp.retransmissions_after_ack", "sipresp.copy_of", "_ws.col.Info"]

    def rows(self, two_pass):
        return {r["frame.number"][0]: r for r in fields(PROXY, self.NAMES, "sip.Status-Code", two_pass=two_pass)}

    def test_each_leg_cites_the_ack_sent_back_to_its_sender(self):
        rows = self.rows(True)
        expected = {
            # frame: (ack_frame, ack_elsewhere, retransmissions before, after, rules)
            "3": (["6"], [], [], [], []),  # the relay, 1 ms after the caller's ACK
            "4": (["5"], [], [], [], []),
            "9": (["16"], [], ["2"], [], ["invite-2xx-not-acked"]),  # both copies came before the late relay
            "10": (["11"], [], [], ["1"], ["invite-2xx-not-acked"]),  # 1.499 s after the ACK; 0.499 s may have crossed it
            # no ACK ever went to the callee: its copy 1.498 s after the
            # caller's ACK counts, the one 0.498 s after may have crossed it
            "19": (["21"], ["1"], [], ["1"], ["invite-2xx-not-acked"]),
            "20": (["21"], [], [], ["1"], ["invite-2xx-not-acked"]),
            # p-direct: the ACK went to the callee, not back to the proxy,
            # and the copy 0.2 s after it had crossed it
            "27": (["28"], ["1"], [], [], []),
            # p-direct-lost: the callee's copy 1.499 s after that ACK
            # counts, the one 0.499 s after it may have crossed it
            "31": (["32"], ["1"], [], ["1"], ["invite-2xx-not-acked"]),
        }
        assert_frames(self, rows, ["sipresp.ack_frame", "sipresp.ack_elsewhere", "sipresp.retransmissions",
                                   "sipresp.retransmissions_after_ack", "sipresp.rule"], expected)
        tree = tshark("-r", PROXY, "-2", "-V", "-O", "sipresp")
        self.assertIn("invite-2xx-not-acked: sent 2 more times before the ACK in frame 16", tree)
        self.assertIn("invite-2xx-not-acked: sent 1 more time after the ACK in frame 21, which went to another "
                      "address: no ACK reached the sender", tree)
        # the callee's 200 came with a Record-Route: the proxy was to relay
        # its ACK; the proxy's own 200s in p-direct had none: the caller
        # rightly sent the ACK to the Contact
        self.assertIn("[ACK in frame 21, 2.000 ms later, to another address (none to this 2xx's sender)]", tree)
        self.assertIn("[ACK in frame 28, 300.000 ms later, to another address than the 2xx came from: with no "
                      "Record-Route the ACK belongs at the Contact (RFC 3261 12.2.1.1)]", tree)
        self.assertIn("invite-2xx-not-acked: sent 1 more time after the ACK in frame 32, which went to another "
                      "address (with no Record-Route it belongs at the Contact): the UAS did not get it", tree)
        self.assertEqual(tree.count("(none to this 2xx's sender)"), 1)

    def test_copies_say_what_the_past_proves_in_one_pass_and_the_rest_with_two(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                info = {f: "|".join(r["_ws.col.Info"]) for f, r in self.rows(two_pass).items()}
                # the proxy's copies 1.5 s after the caller's ACK, which reached the proxy
                self.assertIn("1.5 s after ACK 11: ACK lost", info["15"])
                self.assertIn("1.5 s after ACK 21: ACK lost", info["25"])
                for frame in ("12", "13", "14", "23"):
                    self.assertNotIn("after ACK", info[frame])
                # the callee's copy 1.5 s after an ACK that went elsewhere:
                # only once the file shows no relay came; the one 0.5 s
                # after it may have crossed it, as if it went to its sender
                self.assertEqual("after ACK 21: none to sender" in info["24"], two_pass)
                self.assertNotIn("after ACK", info["22"])
                self.assertNotIn("after ACK", info["29"])
                # p-direct-lost: the ACK to the Contact was lost, known
                # once no relay to the proxy came either
                self.assertNotIn("after ACK", info["33"])
                self.assertEqual("after ACK 32: ACK lost" in info["34"], two_pass)


class ForkedAnswers(unittest.TestCase):
    """forks.pcap (pcaps/README.md): seen at the caller, both phones a
    proxy forked the INVITE to answer it; each 200 is a dialog of its own
    (RFC 3261 13.2.2.4). fork-both 1-7 (200s 2 and 3, ACKs 4 and 5, the
    second hung up in 6-7); fork-one-acked 8-13 (200s 9 and 10, one ACK in
    11, the second phone's copies 12 and 13); fork-ack-repeated 14-18 (200s
    15 and 17, the first's ACK 16 sent again as 18)."""

    NAMES = ["frame.number", "sipresp.rule", "sipresp.ack_frame", "sipresp.retransmissions", "sipresp.copy_of",
             "sipresp.ack", "sipresp.ack_other_fork", "_ws.col.Info"]

    def rows(self, two_pass):
        return {r["frame.number"][0]: r for r in fields(FORKS, self.NAMES, "sip.Status-Code", two_pass=two_pass)}

    def test_each_fork_has_its_own_ack_and_is_no_copy_of_the_other(self):
        rows = self.rows(True)
        expected = {
            # frame: (ack_frame, retransmissions, copy_of, rules)
            "2": (["4"], [], [], []),
            "3": (["5"], [], [], []),  # same branch as 2, another To tag
            "7": ([], [], [], []),
            "9": (["11"], [], [], []),
            "10": ([], ["2"], [], ["invite-2xx-not-acked"]),
            "12": ([], [], ["10"], []),
            "13": ([], [], ["10"], []),
            "15": (["16"], [], [], []),
            # 18 carries 15's To tag: 17 has no ACK of its own (13.2.2.4)
            "17": ([], [], [], ["invite-2xx-not-acked"]),
        }
        self.assertEqual(set(rows), set(expected))
        assert_frames(self, rows, ["sipresp.ack_frame", "sipresp.retransmissions", "sipresp.copy_of", "sipresp.rule"],
                      expected)
        self.assertEqual(rows["10"]["sipresp.ack"], ["missing"])
        self.assertEqual(rows["17"]["sipresp.ack"], ["missing"])
        named = {frame: row["sipresp.ack_other_fork"] for frame, row in rows.items() if row["sipresp.ack_other_fork"]}
        self.assertEqual(named, {"17": ["18"]})  # not 10, whose phone's copies went unanswered
        tree = tshark("-r", FORKS, "-2", "-V", "-O", "sipresp")
        self.assertIn("invite-2xx-not-acked: sent 2 more times and never ACKed", tree)
        self.assertIn("ACK in frame 18 is the one of frame 15's dialog (another To tag)", tree)
        self.assertIn("ACK: missing: none with this 2xx's To tag in the capture", tree)
        self.assertIn("invite-2xx-not-acked: no ACK of its own: the caller answered it with frame 18, the ACK of "
                      "frame 15's dialog sent again", tree)

    def test_one_pass_knows_the_copies_but_not_yet_the_missing_ack(self):
        rows = self.rows(False)
        for frame, row in rows.items():
            with self.subTest(frame=frame):
                self.assertEqual(row["sipresp.rule"], [])
                self.assertEqual(row["sipresp.copy_of"], ["10"] if frame in ("12", "13") else [])
                self.assertEqual(row["sipresp.ack_other_fork"], [])


class TcpFraming(unittest.TestCase):
    def test_split_message_and_two_messages_in_one_segment(self):
        rows = fields(TCP, ["frame.number", "sipresp.status_code", "sipresp.request_frame", "sipresp.target.lifetime",
                            "sipresp.rule", "sipresp.copy_of"], "sipresp")
        by_frame = {r["frame.number"][0]: r for r in rows}
        self.assertEqual(set(by_frame), {"6", "8", "10"})
        # frame 6 completes the 302 split over frames 5-6; its INVITE is frame 4
        self.assertEqual(by_frame["6"]["sipresp.status_code"], ["302"])
        self.assertEqual(by_frame["6"]["sipresp.request_frame"], ["4"])
        self.assertEqual(by_frame["6"]["sipresp.target.lifetime"], ["60"])
        # frame 8: a 200 to OPTIONS and a 302 looping back to the INVITE's Request-URI, both from frame 7
        self.assertEqual(by_frame["8"]["sipresp.status_code"], ["200", "302"])
        self.assertEqual(by_frame["8"]["sipresp.request_frame"], ["7", "7"])
        self.assertEqual(by_frame["8"]["sipresp.rule"], ["redirect-loop"])
        self.assertEqual(by_frame["8"]["sipresp.copy_of"], [])
        # frame 10: a 302 to the INVITE of frame 9 and, byte for byte, its
        # retransmission: two messages, the second a copy of the first
        self.assertEqual(by_frame["10"]["sipresp.status_code"], ["302", "302"])
        self.assertEqual(by_frame["10"]["sipresp.request_frame"], ["9", "9"])
        self.assertEqual(by_frame["10"]["sipresp.copy_of"], ["10"])

    def test_info_column_keeps_the_summaries_of_one_segment_apart(self):
        # The SIP dissector writes every message's status line first, so
        # sipresp's summaries follow them all, in the messages' order; two
        # must not run into each other ("(no lifetime)→ sip:...")
        lines = {line.split()[0]: line for line in tshark("-r", TCP).splitlines()}
        # frame 10: the 302 and its copy, each with its summary
        self.assertTrue(lines["10"].endswith("| → sip:bob@192.0.2.4 (no lifetime) | "
                                             "→ sip:bob@192.0.2.4 (no lifetime)"), lines["10"])
        # frame 8: the 200 (OPTIONS) says nothing, so the 302's summary
        # follows the SIP text alone, with no separator of its own
        self.assertTrue(lines["8"].endswith("Status: 302 Moved Temporarily | "
                                            "→ sip:bob@example.com (no lifetime) ⚠ redirect-loop"), lines["8"])


class TcpResends(unittest.TestCase):
    """tcp_resend.pcap (pcaps/README.md): on one connection, the 200 of
    frame 5 sent again by TCP in frame 6 (same sequence number, 300 ms
    later) and ACKed in 7; the 200 of frame 9 sent again by SIP in frame 10
    (500 ms later, a new segment) and ACKed in 11; the 302 of frame 13 sent
    again by TCP in frame 14 and ACKed in 15. Wireshark hands frames 6 and
    14 to SIP only with tcp.analyze_sequence_numbers off. Frames 17-18: a
    180 split over two segments, the second holding the 200 too, which
    TCP sends again in frame 19 (a reassembly error to Wireshark, handed to
    no dissector either way); the ACK in 20."""
    NAMES = ["frame.number", "sipresp.rule", "sipresp.copy_of", "sipresp.tcp_resend_of", "sipresp.duplicate_of",
             "sipresp.ack_frame"]
    SEQ_OFF = ["-o", "tcp.analyze_sequence_numbers:FALSE"]

    def rows(self, two_pass, extra=()):
        return {r["frame.number"][0]: r
                for r in fields(TCP_RESEND, self.NAMES, "sipresp", two_pass=two_pass, extra=extra)}

    def test_a_segment_tcp_sent_again_is_no_retransmission(self):
        # only the 200 SIP itself sent twice is left without its ACK in
        # time (13.3.1.4); the 302 sent again by TCP is not (17.1.1.3), and
        # nobody follows it (a Note, whatever TCP did)
        rows = self.rows(True, self.SEQ_OFF)
        self.assertEqual(sorted(rows, key=int), ["5", "6", "9", "10", "13", "14", "18"])
        assert_frames(self, rows, self.NAMES[1:], {
            "5": [[], [], [], [], ["7"]],
            "6": [[], ["5"], ["5"], [], []],
            "9": [["invite-2xx-not-acked"], [], [], [], ["11"]],
            "10": [[], ["9"], [], [], []],
            "13": [["redirect-not-followed"], [], [], [], ["15"]],
            "14": [[], ["13"], ["13"], [], []],
            "18": [[], [], [], [], ["20"]],
        })
        # what a resend is, in the tree
        tree = tshark("-r", TCP_RESEND, "-2", *self.SEQ_OFF, "-V", "-O", "sipresp", "-Y", "frame.number == 6")
        self.assertIn("[TCP resend of frame 5, 300.000 ms later: the same segment (same sequence number) sent "
                      "again by TCP, not by the SIP sender: no retransmission]", tree)
        self.assertNotIn("Retransmission of frame", tree)

    def test_on_a_single_pass_the_resends_are_named_and_nothing_is_flagged(self):
        rows = self.rows(False, self.SEQ_OFF)
        self.assertEqual([r for f in rows for r in rows[f]["sipresp.rule"]], [])
        self.assertEqual({f: rows[f]["sipresp.tcp_resend_of"] for f in ("6", "10", "14")},
                         {"6": ["5"], "10": [], "14": ["13"]})
        # and the statistics count them apart from SIP's own copies
        nodes = {}
        for line in tshark("-r", TCP_RESEND, *self.SEQ_OFF, "-q", "-z", "sipresp,tree").splitlines():
            m = re.match(r"^(\S.*?)\s{2,}(\d+)\s", line)
            if m:
                nodes[m.group(1)] = int(m.group(2))
        self.assertEqual(nodes.get("Responses resent by TCP itself (counted once above)"), 2, nodes)
        self.assertEqual(nodes.get("Retransmitted responses (counted once above)"), 1, nodes)
        self.assertEqual(nodes.get("Responses analysed (2xx and 3xx)"), 4, nodes)

    def test_with_the_default_preferences_tcp_keeps_its_resends(self):
        # frames 6 and 14 are "TCP Retransmission": no SIP, so no sipresp;
        # SIP's own copy (frame 10) still counts
        rows = self.rows(True)
        self.assertEqual(sorted(rows, key=int), ["5", "9", "10", "13", "18"])
        assert_frames(self, rows, self.NAMES[1:], {
            "5": [[], [], [], [], ["7"]],
            "9": [["invite-2xx-not-acked"], [], [], [], ["11"]],
            "10": [[], ["9"], [], [], []],
            "13": [["redirect-not-followed"], [], [], [], ["15"]],
            "18": [[], [], [], [], ["20"]],
        })

    def test_a_message_in_a_reassembled_buffer_and_in_its_last_segment_is_read_once(self):
        # Wireshark reassembles frames 17-18 into one buffer that holds the
        # 180 and the whole 200 after it, which frame 18 holds too: the SIP
        # dissector shows the 200 once, and so must sipresp
        for extra in ([], self.SEQ_OFF):
            with self.subTest(extra=extra):
                rows = fields(TCP_RESEND, ["frame.number", "sip.Status-Code", "sipresp.status_code"],
                              "frame.number == 18", extra=extra)
                self.assertEqual(rows[0]["sip.Status-Code"], ["180", "200"])
                self.assertEqual(rows[0]["sipresp.status_code"], ["200"])


class TcpForkAck(unittest.TestCase):
    """tcp_fork_ack.pcap (pcaps/README.md): two forked INVITEs over one TCP
    connection, each answered by two phones (200s in frames 5 and 7, 10 and
    12), the first fork's 200 ACKed (6, 11). Frame 8 is TCP's copy of frame
    6's segment (same sequence number): the caller sent one ACK. Frame 13
    is that ACK sent again by the caller itself after the second 200 (a new
    segment): it took the second 200 for a copy of the first (13.2.2.4). So
    the 200 of frame 12 is left without an ACK of its own, as the caller
    shows; of frame 7 nothing is known (its ACK may go another way)."""

    def test_only_the_ack_the_caller_sent_again_names_the_fork_left_unacked(self):
        names = ["frame.number", "sipresp.rule", "sipresp.ack_frame", "sipresp.ack"]
        for extra in ([], ["-o", "tcp.analyze_sequence_numbers:FALSE"]):
            with self.subTest(extra=extra):
                rows = {r["frame.number"][0]: r
                        for r in fields(TCP_FORK_ACK, names, "sipresp.status_code", two_pass=True, extra=extra)}
                assert_frames(self, rows, names[1:], {
                    "5": [[], ["6"], ["acked"]],
                    "7": [[], [], ["unknown"]],
                    "10": [[], ["11"], ["acked"]],
                    "12": [["invite-2xx-not-acked"], [], ["missing"]],
                })


class TcpSplit(unittest.TestCase):
    """tcp_split.pcap (pcaps/README.md): clean SIP over TCP whose messages
    segment ends cut, each put together by Wireshark in the segment that
    ends it. Frames 4-10, one call: INVITE (4); a 180 and the start of the
    200 (5); the 200's rest (6); the ACK up to its Content-Length (7, no
    SIP shown); its rest and the BYE up to its Content-Length (8); the
    BYE's rest and the start of an OPTIONS, before its Call-ID (9); the
    200 to the BYE (10). Frame 11: a 302 whose INVITE is not in the
    capture. Frame 12: the rest of that OPTIONS, another OPTIONS and the
    start of an INVITE whose rest never comes; 13: the second OPTIONS'
    200; 14: the 302 to that INVITE. Frames 15-16: a 100 and the start of
    a 180, the 180's rest. Frames 17-18: a 200 with SDP (its INVITE not in
    the capture) cut inside its body. A start cut by a segment's end is no broken
    message: no note says it could not be read, and a request's is
    counted among the messages not read only while its rest may still
    come. Nothing is said of a 1xx, whole or not."""
    START = "sipresp.tcp_first_segment"

    def test_each_message_is_read_where_wireshark_shows_it_whole(self):
        names = ["frame.number", "sipresp.status_code", "sipresp.request_frame", "sipresp.ack_frame",
                 self.START, "sipresp.unreadable"]
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = {r["frame.number"][0]: r for r in fields(TCP_SPLIT, names, "sipresp", two_pass=two_pass)}
                self.assertEqual(sorted(rows, key=int), ["5", "6", "8", "9", "10", "11", "12", "13", "14", "18"])
                assert_frames(self, rows, names[1:], {
                    # the starts: their first lines, nothing analysed
                    "5": [[], [], [], ["SIP/2.0 200 OK"], []],
                    "8": [[], [], [], ["BYE sip:bob@192.0.2.20;transport=tcp SIP/2.0"], []],
                    "9": [[], [], [], ["OPTIONS sip:bob@192.0.2.20;transport=tcp SIP/2.0"], []],
                    "12": [[], [], [], ["INVITE sip:bob@example.com SIP/2.0"], []],
                    # the ACK is the one SIP shows in frame 8, not its start
                    "6": [["200"], ["4"], ["8"] if two_pass else [], [], []],
                    # the BYE is frame 9's, where SIP shows it whole
                    "10": [["200"], ["9"], [], [], []],
                    # the OPTIONS before the cut INVITE is whole in 12
                    "13": [["200"], ["12"], [], [], []],
                    # put together in 18 (17 shows TCP alone)
                    "18": [["200"], [], [], [], []],
                })

    def test_only_a_start_whose_rest_never_came_may_be_a_missing_request(self):
        names = ["frame.number", "sipresp.request_missing"]
        labels = {}
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = {r["frame.number"][0]: r for r in fields(TCP_SPLIT, names, "sipresp.request_missing",
                                                                two_pass=two_pass)}
                self.assertEqual(sorted(rows, key=int), ["11", "14", "18"])
                out = tshark("-r", TCP_SPLIT, *(["-2"] if two_pass else []), "-O", "sipresp")
                labels[two_pass] = [line.strip() for line in out.splitlines() if "Request: not" in line]
                # frame 11: the OPTIONS begun in 9 is not whole yet (the
                # BYE begun in 8 is, in 9; the 200 begun in 5 is no
                # request); frames 14 and 18: the INVITE begun in 12 never
                # is (the OPTIONS is, in 12). The same on a later pass.
                self.assertEqual(labels[two_pass], 3 * [
                    "[Request: not found in the capture, where 1 SIP message could not be read and may be it "
                    "(judged from the response alone)]"])

    def test_no_note_or_expert_info_calls_a_start_unreadable(self):
        out = tshark("-r", TCP_SPLIT, "-2", "-q", "-z", "expert,note")
        self.assertNotIn("could not read", out)
        # (the two 302s nobody follows have their note: this capture holds
        # nothing sipresp may call malformed)
        self.assertEqual([line for line in out.splitlines() if "SIPRESP" in line and "Malformed" in line], [])
        self.assertEqual(len([line for line in out.splitlines() if "SIPRESP" in line]), 1)
        tree = tshark("-r", TCP_SPLIT, "-2", "-O", "sipresp")
        self.assertNotIn("Could not read", tree)
        self.assertEqual(tree.count("SIP Response Analysis: start of a SIP message that goes on past this TCP "
                                    "segment"), 4)


class TcpSplitNotReassembled(unittest.TestCase):
    """tcp_split.pcap (see TcpSplit) with Wireshark told not to put the
    segments of a SIP message together. With TCP's or the headers'
    preference off, no frame holds any message that goes on past its
    segment whole, and SIP shows each start alone: those of requests and
    2xx (frames 5, 7, 8, 9, 12 and 17; the 180 in 15 is never annotated)
    are messages sipresp cannot read, and it names the preference. With
    the body's alone off, only the 200 cut inside its body (17) is."""

    def test_a_start_is_unreadable_and_names_the_preference_that_is_off(self):
        every = ["5", "7", "8", "9", "12", "17"]
        for pref, frames in (("tcp.desegment_tcp_streams", every), ("sip.desegment_headers", every),
                             ("sip.desegment_body", ["17"])):
            with self.subTest(pref=pref):
                off = ["-o", pref + ":FALSE"]
                rows = fields(TCP_SPLIT, ["frame.number", "sipresp.tcp_first_segment", "sipresp.unreadable"],
                              "sipresp.unreadable", two_pass=True, extra=off)
                self.assertEqual([r["frame.number"][0] for r in rows], frames)
                first_words = {"5": "SIP/2.0", "7": "ACK", "8": "BYE", "9": "OPTIONS", "12": "INVITE", "17": "SIP/2.0"}
                self.assertEqual([r["sipresp.tcp_first_segment"][0].split(" ")[0] for r in rows],
                                 [first_words[f] for f in frames])
                self.assertEqual({v for r in rows for v in r["sipresp.unreadable"]},
                                 {"goes on past its TCP segment; %s is off" % pref})
                out = tshark("-r", TCP_SPLIT, "-q", "-z", "expert,note", *off)
                notes = [line for line in out.splitlines() if "SIPRESP" in line and "Malformed" in line]
                self.assertEqual([line.split()[0] for line in notes], [str(len(frames))])


class TcpTrunkSplits(unittest.TestCase):
    """tcp_trunk_splits.pcap (pcaps/README.md): 40 TCP connections, each
    with a segment holding an OPTIONS and the start of an INVITE (frames
    121-160), more starts awaiting their rests at once than sipresp keeps
    the bytes of; then the rests (161-200), where Wireshark shows each
    INVITE whole. Every INVITE was read, so the 302 of frame 202, whose
    INVITE is not in the capture, has no SIP message unread to blame."""

    def test_a_start_counts_as_unread_only_until_its_rest_comes_however_many_wait(self):
        first_line = "INVITE sip:bob@example.com SIP/2.0"
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = fields(TCP_TRUNK_SPLITS, ["frame.number", "sipresp.tcp_first_segment"],
                              "sipresp.tcp_first_segment", two_pass=two_pass)
                self.assertEqual([r["frame.number"][0] for r in rows], [str(f) for f in range(121, 161)])
                self.assertEqual({v for r in rows for v in r["sipresp.tcp_first_segment"]}, {first_line})
                rows = fields(TCP_TRUNK_SPLITS, ["frame.number", "sipresp.request_frame"], "sipresp.status_code",
                              two_pass=two_pass)
                # the first connection's INVITE, whole in frame 161
                self.assertEqual(rows, [{"frame.number": ["201"], "sipresp.request_frame": ["161"]},
                                        {"frame.number": ["202"], "sipresp.request_frame": []}])
                out = tshark("-r", TCP_TRUNK_SPLITS, *(["-2"] if two_pass else []), "-O", "sipresp")
                self.assertEqual([line.strip() for line in out.splitlines() if "Request: not" in line],
                                 ["[Request: not in the capture (judged from the response alone)]"])


def assert_body_lines_no_message(test, capture, expected):
    """For TcpSipfrag and TlsSipfrag: on both passes, each frame with sipresp
    as `expected` says (which response, its request and lifetime, a start
    or something unreadable shown), and no Malformed expert info."""
    names = ["frame.number", "sipresp.status_code", "sipresp.request_frame", "sipresp.target.lifetime",
             "sipresp.tcp_first_segment", "sipresp.unreadable"]
    for two_pass in (False, True):
        with test.subTest(two_pass=two_pass):
            rows = fields(capture, names, "sipresp", two_pass=two_pass)
            test.assertEqual([[r[n] for n in names] for r in rows], expected)
            expert = tshark("-r", capture, *(["-2"] if two_pass else []), "-q", "-z", "expert")
            test.assertNotIn("Malformed", expert)


class TcpSipfrag(unittest.TestCase):
    """tcp_sipfrag.pcap (pcaps/README.md): over TCP, NOTIFYs whose
    message/sipfrag body is the line "SIP/2.0 200 OK" (RFC 3420), each cut
    by a segment's end: Wireshark puts each together in frames 5, 8 and 12,
    and frame 12 holds a 302 after the body. Frames 13 and 14 begin a
    connection in the middle of a NOTIFY, a 302 after it: in 13 the
    NOTIFY's Content-Length line is among the bytes captured, in 14 not.
    A body line is not a message: no start of one, nothing unreadable."""

    def test_a_body_line_that_reads_as_a_status_line_is_no_message(self):
        assert_body_lines_no_message(self, TCP_SIPFRAG, [
            # the 200s to the NOTIFYs SIP shows in frames 5 and 8
            [["6"], ["200"], ["5"], [], [], []],
            [["9"], ["200"], ["8"], [], [], []],
            # the 302 after the third NOTIFY's body, to frame 10's INVITE
            [["12"], ["302"], ["10"], ["60"], [], []],
            # past the rest of a NOTIFY begun before the capture: its
            # Content-Length line says where its body ends
            [["13"], ["302"], [], ["60"], [], []]])

    def test_a_response_after_the_rest_of_a_message_follows_sips_continuation_in_the_info_column(self):
        # (the summary without a tree, as the packet list shows it)
        lines = {line.split()[0]: line for line in tshark("-r", TCP_SIPFRAG).splitlines()}
        self.assertTrue(lines["13"].endswith("Continuation | \u2192 sip:carol@192.0.2.30 (60 s)"), lines["13"])
        self.assertTrue(lines["14"].endswith("Continuation"), lines["14"])


class TlsSipfrag(unittest.TestCase):
    """tls_sipfrag.pcapng (pcaps/README.md): over TLS, four records. Frame
    9: three INVITEs and a transfer's NOTIFY up to its body. Frame 14 (TLS
    completes the NOTIFY): its message/sipfrag body, "SIP/2.0 200 OK", a
    body line that reads as a status line, then the 302 to the first
    INVITE and the start of the 301 to the second. Frame 16 (TLS completes
    the 301): the 301's rest, then "SIP/2.0 ", the start of the 302 to the
    third, which the completed 301 begins with too. Frame 18: the 302's
    rest."""

    def test_every_response_is_analysed_and_the_body_line_is_no_message(self):
        assert_body_lines_no_message(self, TLS_SIPFRAG, [
            [["9"], [], [], [], ["NOTIFY sips:alice@192.0.2.10 SIP/2.0"], []],
            [["14"], ["302"], ["9"], ["90"], ["SIP/2.0 301 Moved Permanently"], []],
            [["16"], ["301"], ["9"], [], [], []],
            [["18"], ["302"], ["9"], ["90"], [], []]])

    def test_without_a_tree_the_same_responses(self):
        # (the statistics' listener runs without a tree: the 301 of frame 16
        # is read from the buffer TLS completes, never past its first bytes)
        out = tshark("-r", TLS_SIPFRAG, "-q", "-z", "sipresp,tree")
        counts = {line[:64].strip(): line[64:].split()[0] for line in out.splitlines()
                  if line.startswith(("Responses analysed", " 30", "SIP messages not analysed"))}
        self.assertEqual(counts, {"Responses analysed (2xx and 3xx)": "3", "302 Moved Temporarily": "2",
                                  "301 Moved Permanently": "1", "SIP messages not analysed (unreadable)": "0"})


class TcpKeepAlive(unittest.TestCase):
    """tcp_keepalive.pcap (pcaps/README.md): over TCP, a 302 (frame 5) and
    its ACK (6) each written after keep-alive line ends (RFC 5626 3.5.1)
    in one segment, a keep-alive and its answer alone (7, 8), then the
    INVITE to the 302's target (9), its 200 (10) and ACK (11). Wireshark's
    SIP shows nothing of frames 5 and 6, with a tree and without one, so
    neither does sipresp; it reads them for the call all the same."""

    def test_a_message_after_keep_alives_is_read_for_the_call_and_shown_nowhere(self):
        names = ["frame.number", "sipresp.status_code", "sipresp.request_frame", "sipresp.redirected_by",
                 "sipresp.ack_frame"]
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = fields(TCP_KEEPALIVE, names, "sipresp", two_pass=two_pass)
                self.assertEqual([[r[n] for n in names] for r in rows], [
                    [["9"], [], [], ["5"], []],
                    [["10"], ["200"], ["9"], [], ["11"] if two_pass else []]])
                # without a tree (the summary lines), the same: nothing on 5-8
                plain = tshark("-r", TCP_KEEPALIVE, *(["-2"] if two_pass else []))
                lines = {line.split()[0]: line for line in plain.splitlines()}
                for frame in ("5", "6", "7", "8"):
                    self.assertNotIn("sip:", lines[frame])
                    self.assertRegex(lines[frame], r" TCP \d+ ", lines[frame])
                self.assertIn("\u21b3 redirected by 5", lines["9"])
        out = tshark("-r", TCP_KEEPALIVE, "-2", "-O", "sipresp", "-Y", "frame.number == 9")
        self.assertIn("[Redirected by frame 5 (a TCP segment Wireshark shows no SIP in; sipresp read it), ", out)


class TelTargets(unittest.TestCase):
    """tel.pcap (pcaps/README.md): 302s to tel URIs, followed by INVITEs
    that dial the number as a SIP URI marked user=phone at a gateway
    (RFC 3261 19.1.6): t-dialled (302 in frame 2, INVITE 4), t-ported
    (302 with npdi and rn in 8, INVITE with both in 10); t-unmarked (302 in
    14, INVITE 16 to the number without user=phone: not its target); and
    t-cached (INVITE 19, a new call dialling t-dialled's target 5 s on).
    Then SIP targets marked user=phone: t-lnp (302 in 23, its number
    routed to a gateway by INVITE 25), t-lnp-leg (302 in 29, a new call 31
    to its number at the gateway), t-lnp-other (302 in 35, INVITE 37 to
    another number), t-lnp-unmarked (302 in 41, INVITE 43 to the number
    without user=phone), t-lnp-again (INVITE 46, a new call to t-lnp's
    number 40 s on). Then 302s that keep the number asked for and move
    only its host: t-lnp-host (302 in 50, INVITE 52 to the number at a
    third host), t-lnp-redial (302 in 56, a new call 58 at once to the
    first host)."""
    NAMES = ["frame.number", "sipresp.target.followed_in", "sipresp.redirected_by", "sipresp.rule",
             "sipresp.target.followed_by_number", "sipresp.redirected_by_number", "sipresp.redirected_as_new_call"]

    def test_a_number_dialled_at_a_gateway_follows_its_tel_target(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = {r["frame.number"][0]: r for r in fields(TEL, self.NAMES, "sip", two_pass=two_pass)}
                # the backward links, known on either pass
                self.assertEqual(rows["4"]["sipresp.redirected_by"], ["2"])
                self.assertEqual(rows["10"]["sipresp.redirected_by"], ["8"])
                self.assertEqual(rows["16"]["sipresp.redirected_by"], [])
                self.assertEqual(rows["19"]["sipresp.redirected_by"], [])
                # the forward ones, and redirect-not-followed, need the whole file
                self.assertEqual(rows["2"]["sipresp.target.followed_in"], ["4"] if two_pass else [])
                self.assertEqual(rows["8"]["sipresp.target.followed_in"], ["10"] if two_pass else [])
                self.assertEqual(rows["14"]["sipresp.target.followed_in"], [])
                self.assertEqual(rows["2"]["sipresp.rule"], [])
                self.assertEqual(rows["8"]["sipresp.rule"], [])
                self.assertEqual(rows["14"]["sipresp.rule"], ["redirect-not-followed"] if two_pass else [])
                # a new call to a target that had no lifetime (21.3.3)
                self.assertEqual(rows["19"]["sipresp.rule"], ["cached-without-lifetime"])
                found = {n: r["sipresp.rule"] for n, r in rows.items() if r["sipresp.rule"]}
                self.assertEqual(set(found), {"14", "19", "35", "41", "50", "56"} if two_pass else {"19"})

    def test_a_sip_target_marked_user_phone_is_followed_by_its_number_through_another_host(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = {r["frame.number"][0]: r for r in fields(TEL, self.NAMES, "sip", two_pass=two_pass)}
                self.assertEqual(rows["25"]["sipresp.redirected_by"], ["23"])
                self.assertEqual(rows["25"]["sipresp.redirected_by_number"], ["1"])
                self.assertEqual(rows["25"]["sipresp.redirected_as_new_call"], [])
                self.assertEqual(rows["31"]["sipresp.redirected_by"], ["29"])
                self.assertEqual(rows["31"]["sipresp.redirected_by_number"], ["1"])
                self.assertEqual(rows["31"]["sipresp.redirected_as_new_call"], ["1"])
                for other in ("37", "43", "46"):
                    self.assertEqual(rows[other]["sipresp.redirected_by"], [], other)
                # a tel target dialled at a gateway is followed in the one
                # way there is: no "by its number" wording there
                for tel in ("4", "10"):
                    self.assertEqual(rows[tel]["sipresp.redirected_by_number"], [], tel)
                self.assertEqual(rows["23"]["sipresp.target.followed_in"], ["25"] if two_pass else [])
                self.assertEqual(rows["23"]["sipresp.target.followed_by_number"], ["1"] if two_pass else [])
                self.assertEqual(rows["29"]["sipresp.target.followed_in"], ["31"] if two_pass else [])
                self.assertEqual(rows["29"]["sipresp.target.followed_by_number"], ["1"] if two_pass else [])
                self.assertEqual(rows["2"]["sipresp.target.followed_by_number"], [])
                for unfollowed in ("35", "41"):
                    self.assertEqual(rows[unfollowed]["sipresp.target.followed_in"], [], unfollowed)
                    self.assertEqual(rows[unfollowed]["sipresp.rule"], ["redirect-not-followed"] if two_pass else [])
                for clean in ("23", "25", "29", "31", "37", "43", "46"):
                    self.assertEqual(rows[clean]["sipresp.rule"], [], clean)
        tree = tshark("-r", TEL, "-2", "-V", "-O", "sipresp", "-Y", "frame.number == 23 || frame.number == 25")
        self.assertIn("Followed in frame 25, 20.000 ms later, by its number through another URI (RFC 3261 19.1.6)", tree)
        self.assertIn("Redirected by frame 23, 20.000 ms earlier, dialling a target's number through another URI "
                      "(RFC 3261 19.1.6)", tree)

    def test_a_sip_target_that_moves_only_the_host_of_the_number_is_followed_only_there(self):
        # the redirect named the host at which to dial the number: dialling
        # it at a third host is not following it, and dialling it at the
        # first host again in a new call neither follows nor retries it
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = {r["frame.number"][0]: r for r in fields(TEL, self.NAMES, "sip", two_pass=two_pass)}
                for request in ("52", "58"):
                    self.assertEqual(rows[request]["sipresp.redirected_by"], [], request)
                    self.assertEqual(rows[request]["sipresp.rule"], [], request)
                for redirect in ("50", "56"):
                    self.assertEqual(rows[redirect]["sipresp.target.followed_in"], [], redirect)
                    self.assertEqual(rows[redirect]["sipresp.rule"], ["redirect-not-followed"] if two_pass else [],
                                     redirect)


class LongUris(unittest.TestCase):
    """long_uris.pcap (pcaps/README.md): c-long, three 302s (2, 5, 8) to 16
    targets of 100 parameters each, all with the digest of INVITE 10,
    which follows the third; c-short, the same with short URIs (302s 14,
    17, 20, INVITE 22). A message compares at most 64 KiB of URIs with
    those remembered before it; INVITE 10 would compare 47 of 1,450 bytes."""
    NAMES = ["frame.number", "sipresp.redirected_by", "sipresp.uris_not_all_compared", "sipresp.rule"]

    def test_a_request_stops_comparing_past_the_limit_and_says_so(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = {r["frame.number"][0]: r for r in fields(LONG_URIS, self.NAMES, "sip", two_pass=two_pass)}
                # the newest redirect is walked first: the link is found
                self.assertEqual(rows["10"]["sipresp.redirected_by"], ["8"])
                self.assertEqual(rows["22"]["sipresp.redirected_by"], ["20"])
                flagged = [n for n, r in rows.items() if r["sipresp.uris_not_all_compared"]]
                self.assertEqual(flagged, ["10"])
                self.assertEqual(rows["10"]["sipresp.uris_not_all_compared"], ["1"])
                found = {n: r["sipresp.rule"] for n, r in rows.items() if r["sipresp.rule"]}
                self.assertEqual(found, {n: ["redirect-not-followed"] for n in ("2", "5", "14", "17")}
                                 if two_pass else {})
        tree = tshark("-r", LONG_URIS, "-2", "-V", "-O", "sipresp", "-Y", "frame.number == 10")
        self.assertIn("URIs not all compared: comparing this message's URIs with all those remembered before it "
                      "would read more than 64 KiB", tree)
        self.assertIn("a link or a finding across messages may be missing here", tree)


class TlsSplit(unittest.TestCase):
    """tls_split.pcapng (pcaps/README.md): over TLS, one TLS record holds an
    INVITE and a 302 up to its Contact (frame 9, where SIP shows the
    INVITE), the next the 302's rest (frame 14, where SIP shows the 302).
    TLS puts the records' data together itself: the 302 is whole in frame
    14 whatever TCP's preference, and in no frame once TLS's or SIP's
    headers' preference is off."""
    NAMES = ["frame.number", "sipresp.tcp_first_segment", "sipresp.unreadable", "sipresp.status_code",
             "sipresp.request_frame", "sipresp.target.lifetime"]
    START = ["SIP/2.0 302 Moved Temporarily"]

    def test_the_start_is_of_a_tls_record_and_the_302_is_read_where_tls_completes_it(self):
        for extra in ([], ["-o", "tcp.desegment_tcp_streams:FALSE"]):
            for two_pass in (False, True):
                with self.subTest(extra=extra, two_pass=two_pass):
                    rows = fields(TLS_SPLIT, self.NAMES, "sipresp", two_pass=two_pass, extra=extra)
                    self.assertEqual(rows, [
                        {"frame.number": ["9"], "sipresp.tcp_first_segment": self.START, "sipresp.unreadable": [],
                         "sipresp.status_code": [], "sipresp.request_frame": [], "sipresp.target.lifetime": []},
                        {"frame.number": ["14"], "sipresp.tcp_first_segment": [], "sipresp.unreadable": [],
                         "sipresp.status_code": ["302"], "sipresp.request_frame": ["9"],
                         "sipresp.target.lifetime": ["90"]}])
            tree = tshark("-r", TLS_SPLIT, "-O", "sipresp", *extra)
            self.assertIn("SIP Response Analysis: start of a SIP message that goes on past this TLS record", tree)
            self.assertNotIn("TCP segment", tree)
            out = tshark("-r", TLS_SPLIT, "-q", "-z", "expert,note", *extra)
            self.assertEqual([line for line in out.splitlines() if "SIPRESP" in line and "Malformed" in line], [])

    def test_with_tls_or_sip_not_putting_records_together_the_start_is_unreadable(self):
        for pref in ("tls.desegment_ssl_application_data", "sip.desegment_headers"):
            with self.subTest(pref=pref):
                off = ["-o", pref + ":FALSE"]
                rows = fields(TLS_SPLIT, self.NAMES, "sipresp", two_pass=True, extra=off)
                self.assertEqual(rows, [
                    {"frame.number": ["9"], "sipresp.tcp_first_segment": self.START,
                     "sipresp.unreadable": ["goes on past its TLS record; %s is off" % pref],
                     "sipresp.status_code": [], "sipresp.request_frame": [], "sipresp.target.lifetime": []}])
                out = tshark("-r", TLS_SPLIT, "-q", "-z", "expert,note", *off)
                notes = [line for line in out.splitlines() if "SIPRESP" in line and "Malformed" in line]
                self.assertEqual([line.split()[0] for line in notes], ["1"])


class CaptureRunsOn(unittest.TestCase):
    """capture_runs_on.pcap (pcaps/README.md): over TCP, a 302 (frame 5)
    never ACKed nor followed, and a 200 to INVITE (frame 7) never ACKed;
    then other traffic, every 5 s, up to 40 s after the 200 (frame 15), as
    a capture of SIP and RTP runs on past the last SIP message. How long
    the capture runs after a response is measured to its last frame,
    whatever that frame holds."""

    def test_the_time_left_runs_to_the_last_frame_not_the_last_sip_message(self):
        rows = fields(CAPTURE_RUNS_ON, ["frame.number", "sipresp.rule"], "sipresp.rule", two_pass=True)
        # frame 5: no ACK of a 3xx 40 s on, past Timer B's 32 s, and its ACK
        # goes the INVITE's way, by this capture point (17.1.1.3)
        self.assertEqual([(r["frame.number"][0], sorted(r["sipresp.rule"])) for r in rows],
                         [("5", ["redirect-not-acked", "redirect-not-followed"])])
        out = tshark("-r", CAPTURE_RUNS_ON, "-2", "-O", "sipresp")
        self.assertEqual(sorted(line.strip() for line in out.splitlines() if "Rule:" in line or "capture ends" in line), [
            # frame 7: a 2xx's ACK may take another path (13.3.1.4), but
            # not because the capture ended
            "[ACK: unknown: no ACK here, but the capture ends 40.0 s later or the ACK may have taken another path]",
            "[Rule: redirect-not-acked: no ACK in the 40.0 s the capture runs after it]",
            "[Rule: redirect-not-followed: no later request of the caller went to any of its targets in the 40.0 s "
            "the capture runs after it]"])


class OtherTransports(unittest.TestCase):
    """sipresp follows whatever the SIP dissector decodes."""
    NAMES = ["frame.number", "sipresp.status_code", "sipresp.request_frame", "sipresp.target.lifetime"]

    def test_sip_on_a_port_set_by_decode_as(self):
        # heuristics off, so only Decode As makes port 5999 SIP
        off = ["--disable-heuristic", "sip_udp"]
        self.assertEqual(fields(DECODE_AS, self.NAMES, "sipresp", extra=off), [])
        rows = fields(DECODE_AS, self.NAMES, "sipresp", extra=off + ["-d", "udp.port==5999,sip"])
        self.assertEqual(rows, [{"frame.number": ["2"], "sipresp.status_code": ["302"],
                                 "sipresp.request_frame": ["1"], "sipresp.target.lifetime": ["30"]}])

    def test_sip_over_websocket(self):
        rows = fields(WEBSOCKET, self.NAMES, "sipresp.status_code")
        # frames 1-5: handshake and HTTP upgrade; 6: INVITE; 7: the 302 (expires=45)
        self.assertEqual(rows, [{"frame.number": ["7"], "sipresp.status_code": ["302"],
                                 "sipresp.request_frame": ["6"], "sipresp.target.lifetime": ["45"]}])

    def test_a_sip_message_running_past_its_websocket_message_is_broken_not_cut(self):
        # frame 9: a 302 whose Content-Length (40) its WebSocket message
        # holds no body for; a WebSocket message carries a whole SIP
        # message (RFC 7118 5), so no later frame completes it
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = fields(WEBSOCKET, ["frame.number", "sipresp.unreadable", "sipresp.tcp_first_segment"],
                              "sipresp && !sipresp.status_code", two_pass=two_pass)
                self.assertEqual(rows, [{"frame.number": ["9"], "sipresp.unreadable": ["body is shorter than Content-Length"],
                                         "sipresp.tcp_first_segment": []}])

    def test_sip_over_sctp_bundled_chunks(self):
        # frame 1: INVITE and OPTIONS in one SCTP packet; frame 2: their 302
        # (expires=120) and 200, also bundled; frame 3: the ACK; frame 4:
        # another INVITE, whose 302 (expires=60) comes in two fragments,
        # frames 5 and 6, and is read once, from the reassembled message
        rows = fields(SCTP, self.NAMES, "sipresp")
        self.assertEqual(rows, [{"frame.number": ["2"], "sipresp.status_code": ["302", "200"],
                                 "sipresp.request_frame": ["1", "1"], "sipresp.target.lifetime": ["120"]},
                                {"frame.number": ["6"], "sipresp.status_code": ["302"],
                                 "sipresp.request_frame": ["4"], "sipresp.target.lifetime": ["60"]}])
        # without a tree (plain summary lines) the messages are found in the
        # frame's bytes, after each DATA chunk header
        lines = tshark("-r", SCTP).splitlines()
        self.assertEqual(len(lines), 6)
        self.assertIn("\u2192 sip:carol@192.0.2.30 (120 s)", lines[1])
        self.assertIn("\u2192 sip:dave@192.0.2.31 (60 s)", lines[5])
        self.assertEqual([i for i, line in enumerate(lines) if "\u2192 sip:" in line], [1, 5])

    def test_sip_over_tls_with_embedded_keys(self):
        rows = fields(TLS, self.NAMES + ["sipresp.target.uri", "sipresp.rule"], "sipresp")
        self.assertEqual(len(rows), 1)
        row = rows[0]
        # the INVITE and its 302 travel in one TLS record: same frame
        self.assertEqual(row["sipresp.status_code"], ["302"])
        self.assertEqual(row["sipresp.request_frame"], row["frame.number"])
        self.assertEqual(row["sipresp.target.lifetime"], ["90"])
        self.assertEqual(row["sipresp.target.uri"], ["sips:bob@192.0.2.4"])
        self.assertEqual(row["sipresp.rule"], [])
        # with TLS not dissected there is no SIP, so nothing for sipresp
        self.assertEqual(fields(TLS, self.NAMES, "sipresp", extra=["--disable-protocol", "tls"]), [])


class BadInput(unittest.TestCase):
    def test_unreadable_input_gets_a_note_and_nothing_else(self):
        rows = fields(MALFORMED, ["frame.number", "sipresp.target.unreadable", "sipresp.unreadable", "sipresp.rule"],
                      "sipresp")
        by_frame = {r["frame.number"][0]: r for r in rows}
        self.assertEqual(by_frame["1"]["sipresp.target.unreadable"], ["'<' without a closing '>'"])
        self.assertEqual(by_frame["2"]["sipresp.unreadable"], ["body is shorter than Content-Length"])
        # frame 5: a Contact whose IPv6 reference holds no IPv6 address
        # (RFC 5118 4.10's three colons)
        self.assertEqual(by_frame["5"]["sipresp.target.unreadable"], ["IPv6 reference holds no IPv6 address"])
        # frame 6: a 200 to INVITE whose one Contact has a zone ID: named as
        # such, and no dialog rule (the Contact is there, its scheme unknown)
        self.assertEqual(by_frame["6"]["sipresp.target.unreadable"],
                         ["IPv6 reference with a zone ID ('%'), which SIP URIs do not allow (RFC 3261 25.1)"])
        self.assertEqual(len(rows), 6)
        for row in rows:
            self.assertEqual(row["sipresp.rule"], [])
        out = tshark("-r", MALFORMED, "-q", "-z", "expert,warn")
        self.assertNotIn("SIPRESP", out)

    def test_a_broken_request_is_noted_only_when_calls_are_tracked(self):
        # frame 3: an OPTIONS whose header section has a line without a colon
        self.assertEqual(fields(MALFORMED, ["frame.number"], 'sip.Method == "OPTIONS"'), [{"frame.number": ["3"]}])
        names = ["frame.number", "sipresp.unreadable"]
        tracked = {r["frame.number"][0]: r for r in fields(MALFORMED, names, "sipresp")}
        self.assertEqual(tracked["3"]["sipresp.unreadable"], ["header line has no colon"])
        # untracked, nothing reads a request past its request line
        untracked = {r["frame.number"][0]: r
                     for r in fields(MALFORMED, names, "sipresp", extra=["-o", "sipresp.track_calls:FALSE"])}
        self.assertNotIn("3", untracked)
        self.assertEqual(untracked["2"]["sipresp.unreadable"], ["body is shorter than Content-Length"])

    def test_unreadable_messages_hedge_only_the_responses_after_them_on_every_pass(self):
        # frame 1's 302 comes before every message that could not be read
        # (frames 2 and 3): none of them can be its request, and a later
        # pass, which knows the whole file, must not say otherwise. Frame
        # 5's 302 comes after both: its request may be one of them.
        for two_pass in ([], ["-2"]):
            with self.subTest(two_pass=two_pass):
                tree = tshark("-r", MALFORMED, *two_pass, "-V", "-O", "sipresp")
                frames = {}
                for line in tree.splitlines():
                    if line.startswith("Frame "):
                        frame = line.split(":")[0].split()[1]
                    elif line.strip().startswith("[Request:"):
                        frames[frame] = line.strip()
                self.assertEqual(frames["1"], "[Request: not in the capture (judged from the response alone)]")
                hedged = ("[Request: not found in the capture, where some SIP messages could "
                          "not be read and one may be it (judged from the response alone)]")
                self.assertEqual(frames["5"], hedged)
                # frame 6's 200 comes after them too
                self.assertEqual(frames["6"], hedged)

    def test_a_response_without_cseq_says_what_it_answers_is_unknown(self):
        # frame 4: a 200 with no CSeq (mandatory, RFC 3261 8.1.1.5): nothing
        # names its method, so neither its meaning nor its request can be
        # known, and saying the request is "not in the capture" would be a guess
        lines = [line.strip() for line in tshark("-r", MALFORMED, "-V", "-O", "sipresp",
                                                 "-Y", "frame.number == 4").splitlines()]
        self.assertIn("SIP Response Analysis: 200 OK, 1 Contact", lines)
        self.assertIn("[Meaning: the request succeeded; no readable CSeq says which request (RFC 3261 21.2.1)]",
                      lines)
        self.assertIn("[Request: unknown: no readable CSeq to pair the response by (RFC 3261 8.1.1.5)]", lines)
        self.assertFalse([line for line in lines if "not in the capture" in line], lines)
        (row,) = fields(MALFORMED, ["sipresp.request_missing", "sipresp.rule"], "frame.number == 4")
        self.assertEqual(row, {"sipresp.request_missing": ["no readable CSeq"], "sipresp.rule": []})


class TortureMessages(unittest.TestCase):
    """RFC 4475's 49 messages, one datagram each, in the RFC's order
    (pcaps/make_handmade.py torture_capture)."""
    NAMES = ["frame.number", "sipresp.status_code", "sipresp.target.uri", "sipresp.unreadable", "sipresp.rule",
             "sipresp.request_missing"]

    def test_only_the_two_200s_are_analysed_and_nothing_breaks_a_rule(self):
        # the RFC's only 2xx/3xx responses: unreason (12) and bcast (43), a
        # 200 to INVITE with one Contact each, their INVITEs not in the file;
        # clerr (15) and ncl (16) are INVITEs whose body cannot be framed
        expected = {
            "12": {"sipresp.status_code": ["200"], "sipresp.target.uri": ["sip:user@host198.example.com"],
                   "sipresp.unreadable": [], "sipresp.rule": [], "sipresp.request_missing": ["request not in capture"]},
            "15": {"sipresp.status_code": [], "sipresp.target.uri": [],
                   "sipresp.unreadable": ["body is shorter than Content-Length"], "sipresp.rule": [],
                   "sipresp.request_missing": []},
            "16": {"sipresp.status_code": [], "sipresp.target.uri": [],
                   "sipresp.unreadable": ["Content-Length is not a number"], "sipresp.rule": [],
                   "sipresp.request_missing": []},
            "43": {"sipresp.status_code": ["200"], "sipresp.target.uri": ["sip:user@host28.example.com"],
                   "sipresp.unreadable": [], "sipresp.rule": [], "sipresp.request_missing": ["request not in capture"]},
        }
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = fields(TORTURE, self.NAMES, "sipresp", two_pass=two_pass)
                got = {r["frame.number"][0]: {n: r[n] for n in self.NAMES[1:]} for r in rows}
                self.assertEqual(got, expected)
        out = tshark("-r", TORTURE, "-2", "-q", "-z", "expert,warn")
        self.assertNotIn("SIPRESP", out)

    def test_the_sip_dissector_shows_the_same_with_sipresp_as_without(self):
        names = ["-T", "fields", "-e", "frame.number", "-e", "sip.Method", "-e", "sip.Status-Code", "-e",
                 "sip.Call-ID", "-e", "sip.contact.uri", "-e", "_ws.col.Info"]
        with_plugin = tshark("-r", TORTURE, "-2", "-Y", "sip", *names)
        without = tshark("-r", TORTURE, "-2", "-Y", "sip", "--disable-protocol", "sipresp", *names)
        self.assertEqual(with_plugin.count("\n"), 44)  # 5 of the 49 are not SIP to Wireshark
        # the Info column gains sipresp's summaries (after the SIP text),
        # everything else is untouched
        strip = [line.rsplit("\t", 1)[0] for line in with_plugin.splitlines()]
        self.assertEqual(strip, [line.rsplit("\t", 1)[0] for line in without.splitlines()])
        for mine, theirs in zip(with_plugin.splitlines(), without.splitlines()):
            self.assertTrue(mine.rsplit("\t", 1)[1].startswith(theirs.rsplit("\t", 1)[1].rstrip()), mine)

    def test_every_message_goes_through_the_full_tree_on_both_passes(self):
        out = tshark("-r", TORTURE, "-2", "-V")
        self.assertEqual(out.count("SIP Response Analysis: 200 "), 2)
        self.assertNotIn("Dissector bug", out)


FORWARD = set(SECTION6) - BACKWARD


# Known only once the whole capture has been read, as the forward findings:
# that no frame completes a first fragment's datagram.
LOST_FRAGMENTS = "cut short: its other IP fragments are not in the capture"


def without_forward(rows):
    for row in rows:
        row["sipresp.rule"] = [r for r in row["sipresp.rule"] if r not in FORWARD]
        if "sipresp.unreadable" in row:
            row["sipresp.unreadable"] = [u for u in row["sipresp.unreadable"] if u != LOST_FRAGMENTS]
    return rows


def strip_sipresp(pdml):
    """PDML without sipresp's own protocol block, nor the header line that
    names the (temporary) file and the time of the run."""
    pdml = re.sub(r"<pdml [^>]*>", "<pdml>", pdml)
    return re.sub(r'  <proto name="sipresp".*?\n  </proto>\n', "", pdml, flags=re.S)


class Stability(unittest.TestCase):
    NAMES = ["frame.number", "sipresp.status_code", "sipresp.request_frame", "sipresp.response_time",
             "sipresp.target.uri", "sipresp.target.lifetime", "sipresp.target.expires_at", "sipresp.rule",
             "sipresp.unreadable"]

    def test_same_fields_on_first_pass_and_with_two_passes(self):
        # the second pass adds the forward findings and changes nothing else
        for capture in (RULES, CLEAN, REGISTRAR, TCP, MALFORMED, WEBSOCKET, TLS, CALLS, FRAGMENTS):
            with self.subTest(capture=capture):
                self.assertEqual(fields(capture, self.NAMES), without_forward(fields(capture, self.NAMES, two_pass=True)))

    def test_the_whole_file_notes_the_redirects_nobody_follows(self):
        # The transport captures end after their 3xx: nobody follows one, so
        # a second pass notes redirect-not-followed on each first copy of a
        # 3xx to INVITE, except tcp.pcap's t-two2 302, whose one target is
        # its own Request-URI (a loop, tried already). In clean.pcap the 301
        # (c-301) and the 305 (c-305) are ACKed and nothing follows them;
        # its 302 is followed (c-call calls its first target). Per frame, by
        # the Call-IDs it carries (a TCP segment or an SCTP packet can carry
        # two messages): tcp.pcap's t-copies segment holds the 302 twice,
        # and only the first copy carries findings.
        rnf = ["redirect-not-followed"]
        expected = {
            CLEAN: [(["c-301"], rnf), (["c-305"], rnf)],
            TCP: [(["t-split"], rnf), (["t-two", "t-two2"], ["redirect-loop"]), (["t-copies", "t-copies"], rnf)],
            WEBSOCKET: [(["w-ws"], rnf)],
            SCTP: [(["c-sctp", "c-sctp-options"], rnf), (["c-sctp-fragments"], rnf)],
            TLS: [(["t-tls", "t-tls"], rnf)],
            ODD_TEXT: [(["t1"], rnf), (["t2"], rnf), (["t3"], rnf)],
        }
        for capture, findings in expected.items():
            with self.subTest(capture=capture):
                rows = fields(capture, ["sip.Call-ID", "sipresp.rule"], "sipresp.rule", two_pass=True)
                self.assertEqual([(calls(r), r["sipresp.rule"]) for r in rows],
                                 findings)

    def test_info_column_the_same_under_a_display_filter(self):
        # A filter dissects each frame with a tree nobody sees, where
        # sipresp skips the texts of its tree; the Info column is shown all
        # the same, so each frame's line must read as without the filter.
        # (The delay of a copy after its ACK, "\u21ba 1.5 s after ACK 98",
        # once lost its "1.5 s" under -Y sipresp.)
        for capture in (RULES, CALLS, PROXY, FORKS, pcap("real/sofia.pcap"), pcap("real/lost_ack.pcap")):
            plain = {line.split()[0]: line for line in tshark("-r", capture).splitlines()}
            for display_filter in ("sipresp", "sipresp.rule", "sip.Status-Code"):
                with self.subTest(capture=capture, display_filter=display_filter):
                    lines = tshark("-r", capture, "-Y", display_filter).splitlines()
                    # (some captures' rules are found only by a second pass)
                    self.assertTrue(lines or display_filter == "sipresp.rule")
                    for line in lines:
                        self.assertEqual(line, plain[line.split()[0]])

    def test_sip_dissector_output_unchanged_by_the_plugin(self):
        for capture in (RULES, CLEAN, REGISTRAR, TCP, MALFORMED, WEBSOCKET, TLS, CALLS, SCTP, ICMP, PROXY, FORKS,
                        FRAGMENTS):
            with self.subTest(capture=capture):
                with_plugin = strip_sipresp(tshark("-r", capture, "-T", "pdml"))
                without = tshark("-r", capture, "-T", "pdml", "--disable-protocol", "sipresp")
                self.assertIn('<proto name="sip"', without)
                self.assertEqual(with_plugin, strip_sipresp(without))


class TimesOutOfRange(unittest.TestCase):
    """pcaps/handmade/odd_times.pcapng: times a pcapng counting whole
    seconds can hold. The INVITE and its 302 (a target with the longest
    lifetime, 2^32-1 s) at 2^63-256 s, the ACK at -256 s, a new call to the
    target at 16 s. Multiplied out to nanoseconds, or the lifetime added,
    those overflow: sipresp keeps capture times between 1970 and 2^62 ns
    (capture_time.h) and the lifetime's end at the last time there is.
    Under the sanitized plugin (scripts/test-sanitized.sh, UBSan preloaded
    into tshark) an overflow stops tshark here."""

    NAMES = ["frame.number", "sipresp.status_code", "sipresp.request_frame", "sipresp.target.uri",
             "sipresp.target.lifetime", "sipresp.redirected_by"]

    def test_analysed_as_any_other_without_overflow(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = {r["frame.number"][0]: r for r in fields(ODD_TIMES, self.NAMES, two_pass=two_pass)}
                self.assertEqual(rows["2"]["sipresp.status_code"], ["302"])
                self.assertEqual(rows["2"]["sipresp.request_frame"], ["1"])
                self.assertEqual(rows["2"]["sipresp.target.uri"], ["sip:bob@192.0.2.4"])
                self.assertEqual(rows["2"]["sipresp.target.lifetime"], ["4294967295"])
                # earlier by the clock than the 302, later in the file: within
                # Timer B of it, so the caller still following the redirect
                self.assertEqual(rows["4"]["sipresp.redirected_by"], ["2"])
        tree = tshark("-r", ODD_TIMES, "-2", "-V")
        self.assertIn("Lifetime: 4294967295 s (Contact expires parameter), until ", tree)


class CutByTheCapture(unittest.TestCase):
    """Frames a snapshot length cut short (pcaps/handmade/snaplen.pcap): s1's
    200 keeps its header section and 10 bytes of SDP, s2's 302 is cut
    before its Contact, s3's 380 keeps its header section and none of its
    body; s4's INVITE is cut before its CSeq, its 200 kept whole. The
    messages sent were whole: what the header section holds is analysed,
    what was cut away is said to be the capture's."""

    NAMES = ["frame.number", "frame.len", "frame.cap_len", "sipresp.status_code", "sipresp.request_frame",
             "sipresp.body_cut", "sipresp.unreadable", "sipresp.ack_frame", "sipresp.rule"]

    def test_what_the_header_section_holds_is_analysed(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = {r["frame.number"][0]: r for r in fields(SNAPLEN, self.NAMES, "sipresp", two_pass=two_pass)}
                self.assertEqual(sorted(rows, key=int), ["2", "5", "8", "10", "11"])
                # the 200 to INVITE: read, paired, and (second pass) ACKed by frame 3
                self.assertEqual(rows["2"]["sipresp.status_code"], ["200"])
                self.assertEqual(rows["2"]["sipresp.request_frame"], ["1"])
                self.assertEqual(rows["2"]["sipresp.body_cut"], ["1"])
                self.assertEqual(rows["2"]["sipresp.ack_frame"], ["3"] if two_pass else [])
                # the 302 cut in its header section: not analysed, and why
                self.assertEqual(rows["5"]["sipresp.status_code"], [])
                self.assertEqual(rows["5"]["sipresp.unreadable"], ["cut short by the capture"])
                # the 380 sent with a body: no alternative-service-without-body
                self.assertEqual(rows["8"]["sipresp.status_code"], ["380"])
                self.assertEqual(rows["8"]["sipresp.body_cut"], ["1"])
                for row in rows.values():
                    self.assertEqual(row["sipresp.rule"], [])

    def test_the_tree_says_how_much_the_capture_kept(self):
        rows = {r["frame.number"][0]: r for r in fields(SNAPLEN, self.NAMES, "sipresp")}
        tree = tshark("-r", SNAPLEN, "-V", "-O", "sipresp")
        # 42 bytes of Ethernet, IPv4 and UDP headers come before the message
        cut = rows["5"]
        self.assertIn("Could not read this SIP message: the capture kept only its first %d bytes (snapshot length "
                      "%s of this frame's %s bytes), and its header section is not whole"
                      % (int(cut["frame.cap_len"][0]) - 42, cut["frame.cap_len"][0], cut["frame.len"][0]), tree)
        sdp = int(rows["2"]["frame.len"][0]) - int(rows["2"]["frame.cap_len"][0]) + 10
        self.assertIn("Body cut by the capture: 10 of its %d bytes kept (snapshot length)" % sdp, tree)
        self.assertIn("Body cut by the capture: 0 of its 13 bytes kept (snapshot length)", tree)

    def test_a_request_not_read_is_not_said_to_be_missing(self):
        # s4's 200 (frame 11) answers the INVITE of frame 10, which the
        # capture cut before its CSeq: it is in the capture, unread
        rows = {r["frame.number"][0]: r for r in fields(SNAPLEN, self.NAMES + ["sipresp.request_missing"], "sipresp")}
        self.assertEqual(rows["10"]["sipresp.unreadable"], ["cut short by the capture"])
        self.assertEqual(rows["11"]["sipresp.status_code"], ["200"])
        self.assertEqual(rows["11"]["sipresp.request_frame"], [])
        tree = tshark("-r", SNAPLEN, "-V", "-O", "sipresp", "-Y", "frame.number == 11")
        self.assertIn("Request: not found in the capture, where some SIP messages could not be read and one may be "
                      "it (judged from the response alone)", tree)
        self.assertNotIn("Request: not in the capture", tree)
        # where every message could be read, the request is not there
        tree = tshark("-r", RULES, "-V", "-O", "sipresp")
        self.assertIn("Request: not in the capture (judged from the response alone)", tree)
        self.assertNotIn("could not be read", tree)

    def test_expert_info_is_the_same_with_a_tree_and_without(self):
        # without a tree (plain tshark) the messages are found in the frame's
        # bytes, where the UDP length runs past what was kept: the same
        # notes as with one, for the two messages that could not be read
        # (s2's 302, s4's INVITE)
        for tree in ([], ["-V"]):
            with self.subTest(tree=tree):
                out = tshark("-r", SNAPLEN, "-q", "-z", "expert,note", *tree)
                notes = [line for line in out.splitlines() if "SIPRESP" in line]
                self.assertEqual(len(notes), 1, out)
                self.assertRegex(notes[0], r"^\s+2\s+Malformed\s+SIPRESP\s+sipresp could not read this SIP message")


class IpFragments(unittest.TestCase):
    """UDP SIP messages larger than an Ethernet frame, cut into IP fragments
    (pcaps/handmade/fragments.pcap, from its making): f-call's INVITE (1),
    its 300 with 30 Contacts in fragments 2-3 (q 0.99 down to 0.70, 300 s
    each), ACK 4, the INVITE to the first target 5, its 200 with a long SDP
    in fragments 6-8 (sent second, third, first), ACK 9; f-lost's INVITE
    10, a 302 of which only the first fragment came (11), the 302 sent
    again whole in fragments 12-13, ACK 14; over IPv6, f-v6's INVITE 15,
    its 200 with the same SDP in fragments 16-18, ACK 19; f-filtered's
    INVITE 20, the first fragment of its 200 and no other (21: what a
    capture filter on `udp port 5060` keeps), ACK 22. Wireshark reassembles
    each datagram in the frame of its last fragment to arrive."""

    NAMES = ["frame.number", "sipresp.status_code", "sipresp.request_frame", "sipresp.ack_frame",
             "sipresp.target.uri", "sipresp.target.rank", "sipresp.target.lifetime", "sipresp.target.followed_in",
             "sipresp.redirected_by", "sipresp.rule", "sipresp.unreadable"]

    def test_each_datagram_is_analysed_once_in_the_frame_that_completes_it(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = {r["frame.number"][0]: r for r in fields(FRAGMENTS, self.NAMES, two_pass=two_pass)}
                analysed = sorted((n for n, r in rows.items() if r["sipresp.status_code"]), key=int)
                self.assertEqual(analysed, ["3", "8", "13", "18"])
                choices, answer, moved, answer6 = rows["3"], rows["8"], rows["13"], rows["18"]
                self.assertEqual(choices["sipresp.status_code"], ["300"])
                self.assertEqual(choices["sipresp.request_frame"], ["1"])
                self.assertEqual(choices["sipresp.target.uri"], ["sip:bob@192.0.2.%d" % (100 + n) for n in range(30)])
                # written in falling q order, so header order is rank order (8.1.3.4)
                self.assertEqual(choices["sipresp.target.rank"], [str(n + 1) for n in range(30)])
                self.assertEqual(choices["sipresp.target.lifetime"], ["300"] * 30)
                self.assertEqual(rows["5"]["sipresp.redirected_by"], ["3"])
                self.assertEqual(answer["sipresp.status_code"], ["200"])
                self.assertEqual(answer["sipresp.request_frame"], ["5"])
                self.assertEqual(moved["sipresp.status_code"], ["302"])
                self.assertEqual(moved["sipresp.request_frame"], ["10"])
                self.assertEqual(answer6["sipresp.status_code"], ["200"])
                self.assertEqual(answer6["sipresp.request_frame"], ["15"])
                if two_pass:
                    self.assertEqual(answer6["sipresp.ack_frame"], ["19"])
                    self.assertEqual(choices["sipresp.ack_frame"], ["4"])
                    self.assertEqual(choices["sipresp.target.followed_in"][:1], ["5"])
                    self.assertEqual(answer["sipresp.ack_frame"], ["9"])
                    self.assertEqual(moved["sipresp.ack_frame"], ["14"])
                # nothing is wrong here but the redirect nobody follows
                findings = {n: r["sipresp.rule"] for n, r in rows.items() if r["sipresp.rule"]}
                self.assertEqual(findings, {"13": ["redirect-not-followed"]} if two_pass else {})
                # a fragment is not a message: nothing to say about it, but
                # once the whole capture is read, that f-lost's first copy of
                # the 302 (11) and f-filtered's 200 (21) never complete
                self.assertEqual([n for n, r in rows.items() if r["sipresp.unreadable"]],
                                 ["11", "21"] if two_pass else [])

    NO_REASSEMBLY = ["-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"]

    def test_without_ip_reassembly_a_first_fragment_is_read_as_far_as_it_goes(self):
        # Each first fragment then goes to the SIP dissector alone, as a
        # frame a snapshot length cut: the 200s' header sections are whole
        # in frames 8, 16 and 21 (analysed, their bodies cut; 21's other
        # fragments are not in the capture at all), the 300's and both
        # copies of the 302's run into a later fragment (frames 2, 11, 12:
        # not analysed, and why). Later fragments carry no SIP at all.
        names = self.NAMES + ["sipresp.body_cut"]
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = {r["frame.number"][0]: r
                        for r in fields(FRAGMENTS, names, two_pass=two_pass, extra=self.NO_REASSEMBLY)}
                self.assertEqual([n for n, r in rows.items() if r["sipresp.status_code"]], ["8", "16", "21"])
                for frame, request, ack in (("8", "5", "9"), ("16", "15", "19"), ("21", "20", "22")):
                    answer = rows[frame]
                    self.assertEqual(answer["sipresp.status_code"], ["200"])
                    self.assertEqual(answer["sipresp.request_frame"], [request])
                    self.assertEqual(answer["sipresp.body_cut"], ["1"])
                    self.assertEqual(answer["sipresp.ack_frame"], [ack] if two_pass else [])
                self.assertEqual({n: r["sipresp.unreadable"] for n, r in rows.items() if r["sipresp.unreadable"]},
                                 {n: ["cut short: IP fragments not reassembled"] for n in ("2", "11", "12")})
                self.assertEqual([n for n, r in rows.items() if r["sipresp.rule"]], [])

    def test_without_ip_reassembly_the_tree_says_what_the_frame_holds(self):
        names = ["frame.number", "frame.len", "udp.length", "sip.Content-Length"]
        frames = {r["frame.number"][0]: r for r in fields(FRAGMENTS, names, "sip", extra=self.NO_REASSEMBLY)}
        tree = tshark("-r", FRAGMENTS, "-V", "-O", "sipresp", *self.NO_REASSEMBLY)
        # Ethernet, IPv4 and UDP headers: 42 bytes before the message
        held = int(frames["2"]["frame.len"][0]) - 42
        self.assertIn("Could not read this SIP message: this frame, the first IP fragment of its datagram, holds "
                      "only its first %d bytes, and its header section is not whole (Wireshark's IP reassembly is "
                      "off: ip.defragment, ipv6.defragment)" % held, tree)
        # the 200: the datagram's length less its body is the header section
        ok = frames["8"]
        body = int(ok["sip.Content-Length"][0])
        header_section = int(ok["udp.length"][0]) - 8 - body
        in_frame = int(ok["frame.len"][0]) - 42 - header_section
        self.assertIn("Body cut: %d of its %d bytes are in this frame, the first IP fragment of its datagram "
                      "(Wireshark's IP reassembly is off); the header section, all sipresp reads, is whole"
                      % (in_frame, body), tree)
        # over IPv6: Ethernet, IPv6, its Fragment header and UDP, 70 bytes
        ok6 = frames["16"]
        in_frame6 = int(ok6["frame.len"][0]) - 70 - (int(ok6["udp.length"][0]) - 8 - body)
        self.assertIn("Body cut: %d of its %d bytes are in this frame" % (in_frame6, body), tree)
        self.assertNotIn("snapshot length", tree)

    def test_without_ip_reassembly_the_expert_notes_are_the_same_with_a_tree_and_without(self):
        # without a tree the messages are found in the frame's bytes, where
        # the UDP length counts the later fragments too
        for tree in ([], ["-V"]):
            with self.subTest(tree=tree):
                out = tshark("-r", FRAGMENTS, "-q", "-z", "expert,note", *self.NO_REASSEMBLY, *tree)
                notes = [line for line in out.splitlines() if "SIPRESP" in line]
                self.assertEqual(len(notes), 1, out)
                self.assertRegex(notes[0], r"^\s+3\s+Malformed\s+SIPRESP\s+sipresp could not read this SIP message")

    FIRST_FRAGMENTS = {"2": "SIP/2.0 300 Multiple Choices", "11": "SIP/2.0 302 Moved Temporarily",
                       "12": "SIP/2.0 302 Moved Temporarily", "16": "SIP/2.0 200 OK", "21": "SIP/2.0 200 OK"}

    def test_a_first_fragment_held_for_reassembly_names_its_message(self):
        # With IP reassembly on (the default) the SIP dissector never sees a
        # first fragment that arrives before the rest of its datagram (2,
        # 11, 12, 16), nor one whose rest is not in the capture at all (11,
        # 21): Wireshark shows "Fragmented IP protocol". Frame 8, the first
        # fragment to arrive last, completes its datagram and holds the SIP.
        # Nothing else is said there: no rule, no note, not analysed twice.
        names = self.NAMES + ["sipresp.ip_first_fragment"]
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = {r["frame.number"][0]: r for r in fields(FRAGMENTS, names, two_pass=two_pass)}
                self.assertEqual({n: r["sipresp.ip_first_fragment"] for n, r in rows.items()
                                  if r["sipresp.ip_first_fragment"]},
                                 {n: [line] for n, line in self.FIRST_FRAGMENTS.items()})
                for n in self.FIRST_FRAGMENTS:
                    self.assertEqual([rows[n][k] for k in ("sipresp.status_code", "sipresp.rule")], [[], []])
                    # known on a later pass: which datagrams never complete
                    lost = two_pass and n in ("11", "21")
                    self.assertEqual(rows[n]["sipresp.unreadable"], [LOST_FRAGMENTS] if lost else [])
        # without reassembly the SIP dissector reads each first fragment
        # itself, and sipresp with it (the tests above)
        rows = fields(FRAGMENTS, ["sipresp.ip_first_fragment"], extra=self.NO_REASSEMBLY)
        self.assertEqual([r["frame.number"] for r in rows if r["sipresp.ip_first_fragment"]], [])

    def test_a_first_fragment_held_for_reassembly_says_where_its_message_is_analysed(self):
        held = {r["frame.number"][0]: r for r in fields(FRAGMENTS, ["frame.number", "frame.len", "udp.length"], "udp",
                                                            extra=self.NO_REASSEMBLY)}
        tree = tshark("-r", FRAGMENTS, "-V", "-O", "sipresp")
        for frame, header in (("11", 42), ("16", 70), ("21", 42)):
            in_frame = int(held[frame]["frame.len"][0]) - header
            whole = int(held[frame]["udp.length"][0]) - 8
            line = self.FIRST_FRAGMENTS[frame]
            self.assertIn("First IP fragment of: %s (CSeq 1 INVITE); %d of its %d bytes are in this frame"
                          % (line, in_frame, whole), tree)
        self.assertIn("sipresp analyses the message in the frame that completes its datagram (Reassembled in, "
                      "under IP). If no frame does, the capture lacks its other fragments", tree)

    def test_once_the_capture_is_read_a_first_fragment_says_where_its_datagram_completes_or_that_none_does(self):
        tree = tshark("-r", FRAGMENTS, "-2", "-V", "-O", "sipresp")
        for first, completed in (("2", "3"), ("12", "13"), ("16", "18")):
            self.assertIn("sipresp analyses the message in frame %s, which completes its datagram" % completed, tree)
        self.assertEqual(tree.count("Not analysed: no frame of this capture completes its datagram, whose other "
                                    "fragments were not captured"), 2)
        lines = {line.split()[0]: line for line in tshark("-r", FRAGMENTS, "-2").splitlines()}
        self.assertTrue(lines["21"].endswith(" | first IP fragment of SIP 200 OK (INVITE), the rest not captured"),
                        lines["21"])
        self.assertNotIn("the rest not captured", lines["2"])
        # a note for each in the expert information, as for any message
        # sipresp cannot read; none on a single pass, where it is not known
        out = tshark("-r", FRAGMENTS, "-2", "-q", "-z", "expert,note")
        notes = [line for line in out.splitlines() if "SIPRESP" in line and "Malformed" in line]
        self.assertEqual(len(notes), 1, out)
        self.assertRegex(notes[0], r"^\s+2\s+Malformed\s+SIPRESP\s+sipresp could not read this SIP message")
        # not known either when calls were not followed on the first pass
        rows = fields(FRAGMENTS, ["frame.number", "sipresp.ip_first_fragment", "sipresp.unreadable"], two_pass=True,
                      extra=["-o", "sipresp.track_calls:FALSE"])
        self.assertEqual(len([r for r in rows if r["sipresp.ip_first_fragment"]]), 5)
        self.assertEqual([r["frame.number"] for r in rows if r["sipresp.unreadable"]], [])

    def test_a_first_fragment_held_for_reassembly_is_named_in_the_info_column(self):
        lines = {line.split()[0]: line for line in tshark("-r", FRAGMENTS).splitlines()}
        self.assertTrue(lines["21"].endswith("Fragmented IP protocol (proto=UDP 17, off=0, ID=0f06) | "
                                             "first IP fragment of SIP 200 OK (INVITE)"), lines["21"])
        self.assertTrue(lines["11"].endswith(" | first IP fragment of SIP 302 Moved Temporarily (INVITE)"), lines["11"])
        self.assertEqual(sorted((n for n, line in lines.items() if "first IP fragment" in line), key=int),
                         list(self.FIRST_FRAGMENTS))
        # no expert info: a fragment whose datagram completes later is normal
        out = tshark("-r", FRAGMENTS, "-q", "-z", "expert")
        self.assertNotIn("SIPRESP", out)

    def test_the_summary_line_is_on_the_frame_that_completes_the_datagram(self):
        lines = {line.split()[0]: line for line in tshark("-r", FRAGMENTS).splitlines()}
        self.assertIn("\u2192 sip:bob@192.0.2.100 (300 s) +29", lines["3"])
        self.assertIn("\u2192 sip:carol@192.0.2.30 (no lifetime)", lines["13"])
        # (tshark writes its own \u2192 between the addresses of every line)
        self.assertEqual([n for n, line in lines.items() if "| \u2192 sip:" in line], ["3", "13"])


class TextThatIsNotPlain(unittest.TestCase):
    """odd_text.pcap (pcaps/README.md): `t1`, a 302 whose reason phrase and
    first display name are Latin-1 bytes, whose first target's user part
    holds 0xE9 and 0xFF, and whose second display name is UTF-8; `t2`, a
    302 whose target holds ESC [31m and a BEL; `t3`, one whose target holds
    U+009B, U+200B and U+202E. Whatever a message holds, what tshark prints
    with sipresp must stay valid UTF-8, as the SIP dissector's own output is
    (one bad byte makes a whole JSON or PDML document unreadable), and hold
    no control character for a terminal to act on. Each byte that begins no
    UTF-8 sequence shows as U+FFFD (RFC 3629); a control character, or one
    that shows nothing, as the SIP dissector writes it: \\033, \\u202E."""

    def raw(self, *args):
        done = subprocess.run([WRAPPER, "-r", ODD_TEXT, *args], capture_output=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout

    def test_every_output_is_valid_utf8_and_free_of_escapes_with_and_without_sipresp(self):
        for output in (["-T", "json"], ["-T", "pdml"], ["-T", "ek"], ["-V"], ["-2", "-V"],
                       ["-T", "fields", "-e", "_ws.col.Info", "-e", "sipresp.target.display", "-e", "sipresp.target"]):
            for disabled in ([], ["--disable-protocol", "sipresp"]):
                with self.subTest(output=output, disabled=disabled):
                    out = self.raw(*output, *disabled)
                    out.decode("utf-8")  # raises on the first invalid byte
                    self.assertNotIn(b"\x1b", out)
                    self.assertNotIn(b"\x07", out)
                    # and sipresp did write something into it (in the
                    # fields, from 4.2 on, only its own: the _ws.col.Info
                    # field is filled in before sipresp runs, tshark_run.py)
                    if not disabled:
                        self.assertTrue(b"sipresp" in out or b"SIP Response Analysis" in out
                                        or "\u2192".encode() in out or b"\tsip:andr" in out)

    def test_bad_bytes_show_as_replacement_characters_and_the_rest_as_sent(self):
        (row,) = fields(ODD_TEXT, ["sipresp.target", "sipresp.target.display", "sipresp.target.lifetime",
                                   "sipresp.rule", "_ws.col.Info"], 'sip.Call-ID contains "t1@" && sipresp.status_code')
        self.assertEqual(row["sipresp.target"], ["sip:andr\ufffd\ufffd@192.0.2.4", "sip:juergen@192.0.2.5"])
        self.assertEqual(row["sipresp.target.display"], ["Andr\ufffd M\ufffdller", "J\u00fcrgen"])
        # the 302 is analysed as any other: both targets for 60 s, no rule
        self.assertEqual(row["sipresp.target.lifetime"], ["60", "60"])
        self.assertEqual(row["sipresp.rule"], [])
        info = "|".join(row["_ws.col.Info"])  # fields() splits values at '|'
        self.assertTrue(info.endswith("| \u2192 sip:andr\ufffd\ufffd@192.0.2.4 (60 s) +1"), info)
        tree = [line.strip() for line in tshark("-r", ODD_TEXT, "-V", "-O", "sipresp").splitlines()]
        self.assertIn('Status: 302 Moved Temporarily (Redirection), reason phrase "D\ufffdplac\ufffd temporairement"',
                      tree)
        self.assertIn("Target 1: sip:andr\ufffd\ufffd@192.0.2.4 (q=1, rank 1)", tree)
        stats = tshark("-r", ODD_TEXT, "-q", "-z", "sipresp,tree")
        self.assertRegex(stats, r"\n sip:andr\ufffd\ufffd@192\.0\.2\.4 +1 ")

    def test_characters_that_show_nothing_are_escaped_as_in_the_sip_tree(self):
        # t2: ESC [31m and a BEL; t3: U+009B, U+200B, U+202E. sipresp's
        # target line shows each URI as the SIP dissector's Contact line
        # shows it, escapes and all. (Its Contact URI line did the same up
        # to 4.0; from 4.2 on that line writes ESC as \x1B and U+200B and
        # U+202E raw, which a terminal acts on: sipresp does not follow it.)
        for call, uri in (("t2", "sip:evil\\033[31m\\a@192.0.2.6"),
                          ("t3", "sip:a\\u009B31mb\\u200Bc\\u202Ed@192.0.2.7")):
            with self.subTest(call=call):
                selected = 'sip.Call-ID contains "%s@" && sipresp.status_code' % call
                (row,) = fields(ODD_TEXT, ["sipresp.target", "_ws.col.Info"], selected)
                self.assertEqual(row["sipresp.target"], [uri])
                self.assertTrue("|".join(row["_ws.col.Info"]).endswith("\u2192 %s (60 s)" % uri), row["_ws.col.Info"])
                tree = [line.strip() for line in tshark("-r", ODD_TEXT, "-V", "-Y", selected).splitlines()]
                (sip_line,) = [line for line in tree if line.startswith("Contact: ")]
                self.assertEqual(sip_line, "Contact: <%s>;expires=60" % uri)
                self.assertIn("Target 1: %s (q=1, rank 1)" % uri, tree)

if __name__ == "__main__":
    unittest.main(verbosity=2)
