"""tshark tests of the sipresp plugin over captures made by real SIP stacks
(kamailio and SIPp on loopback: pcaps/make_real.sh). What each capture must
show is derived from pcaps/real/kamailio.cfg and the SIPp scenarios, as
pcaps/README.md describes, never from the plugin's own output. Responses are
found by the Request-URI they answer, so a regenerated capture (other
branches, tags, timings) still passes."""
import os
import re
import subprocess
import tempfile
import unittest

from test_plugin import LOST_FRAGMENTS, strip_sipresp, without_forward
from tshark_run import fields, pcap, tshark

CLEAN = pcap("real/clean.pcap")
BROKEN = pcap("real/broken.pcap")
TCP = pcap("real/tcp.pcap")
PORT5099 = pcap("real/port5099.pcap")
LOST_ACK = pcap("real/lost_ack.pcap")
DIALOG = pcap("real/dialog.pcap")
COMPACT = pcap("real/compact.pcap")
FORK = pcap("real/fork.pcap")
NEWLEG = pcap("real/newleg.pcap")
BARESIP = pcap("real/baresip.pcap")
SIPSAK = pcap("real/sipsak.pcap")
IPV6 = pcap("real/ipv6.pcap")
NETSIP = pcap("real/netsip.pcap")
TWINKLE = pcap("real/twinkle.pcap")
SIPVICIOUS = pcap("real/sipvicious.pcap")
SOFIA = pcap("real/sofia.pcap")
LINPHONE = pcap("real/linphone.pcap")
GRUU = pcap("real/gruu.pcap")
JAMI = pcap("real/jami.pcap")
JAMIFORK = pcap("real/jamifork.pcap")
TRANSFER = pcap("real/transfer.pcap")
PRESENCE = pcap("real/presence.pcap")
PRACK = pcap("real/prack.pcap")
FRAGMENTS = pcap("real/fragments.pcap")
QUERY = pcap("real/query.pcap")
FRAGMENTS_FILTERED = pcap("real/fragments_filtered.pcap")
LOSSY = pcap("real/lossy.pcap")
TCP_LOSS = pcap("real/tcp_loss.pcap")
TCP_SEGMENTS = pcap("real/tcp_segments.pcap")
TCP_SIPFRAG = pcap("real/tcp_sipfrag.pcap")

NAMES = ["frame.number", "sipresp.status_code", "sipresp.method", "sipresp.request_frame", "sipresp.request_uri",
         "sipresp.target.uri", "sipresp.target.q", "sipresp.target.rank", "sipresp.target.lifetime",
         "sipresp.target.lifetime_source", "sipresp.target.cacheable", "sipresp.rule", "sipresp.request_missing",
         "sipresp.copy_of"]


def by_request_uri(rows):
    """Request-URI (user part) -> the sipresp rows of the 3xx answering it."""
    out = {}
    for row in rows:
        if row["sipresp.request_uri"] and row["sipresp.status_code"][0].startswith("3"):
            user = row["sipresp.request_uri"][0].split(":", 1)[1].split("@")[0]
            out.setdefault(user, []).append(row)
    return out


def assert_followed_in_same_call(test, rows, redirect):
    """`redirect` (a 3xx row) ACKed and followed, in its own call (same
    Call-ID, next CSeq: 8.1.3.4), by the one INVITE of `rows` linked to it,
    which asks its first target"""
    test.assertEqual(redirect["sipresp.ack"], ["acked"])
    (follow_up,) = [r for r in rows if r["sip.Method"] == ["INVITE"]
                    and r["sipresp.redirected_by"] == redirect["frame.number"]]
    test.assertEqual(follow_up["sip.r-uri"], redirect["sipresp.target.uri"][:1])
    test.assertEqual(follow_up["sip.Call-ID"], redirect["sip.Call-ID"])
    test.assertEqual(int(follow_up["sip.CSeq.seq"][0]), int(redirect["sip.CSeq.seq"][0]) + 1)
    test.assertEqual(follow_up["sipresp.redirected_as_new_call"], [])
    test.assertEqual(redirect["sipresp.target.followed_in"], follow_up["frame.number"])


def assert_no_rule_anywhere(test, rows, capture):
    """no sipresp.rule on any of `rows`, and no Warning or Error among the
    expert infos of two passes over `capture`"""
    test.assertTrue(rows)
    for row in rows:
        test.assertEqual(row["sipresp.rule"], [], "frame %s" % row["frame.number"])
    out = tshark("-r", capture, "-2", "-q", "-z", "expert,sipresp")
    test.assertNotIn("Warns", out)
    test.assertNotIn("Errors", out)


def assert_each_paired(test, answers):
    """each response row of `answers` names the one request it answers"""
    for row in answers:
        test.assertEqual(len(row["sipresp.request_frame"]), 1, "frame %s" % row["frame.number"])


def assert_no_rule_on_either_pass(test, rows, capture):
    """`rows`: {two_pass: that pass's rows of `capture`, with sipresp.status_code
    and sipresp.rule}. No rule on either pass, and no Error among the
    expert infos of either (assert_no_rule_anywhere reads the two passes')"""
    assert_no_rule_anywhere(test, [r for r in rows[True] if r["sipresp.status_code"]], capture)
    test.assertEqual([r["frame.number"] for r in rows[False] if r["sipresp.rule"]], [])
    test.assertNotIn("Errors", tshark("-r", capture, "-q", "-z", "expert,sipresp"))


def assert_every_2xx_3xx_paired(test, rows):
    """every 2xx and 3xx among `rows` (with sip.Status-Code) analysed, and
    each names the one request it answers"""
    answers = [r for r in rows if r["sipresp.status_code"]]
    analysed = [r for r in rows if r["sip.Status-Code"] and "200" <= r["sip.Status-Code"][0] < "400"]
    test.assertEqual(len(answers), len(analysed))
    assert_each_paired(test, answers)


class CleanRealTraffic(unittest.TestCase):
    """Registration, redirects of every code and a recursing proxy, each
    done by the book: sipresp must annotate them and raise nothing."""

    @classmethod
    def setUpClass(cls):
        cls.rows = fields(CLEAN, NAMES, "sipresp.status_code")
        cls.redirects = by_request_uri(cls.rows)

    def test_no_rule_fires(self):
        self.assertTrue(self.rows)
        for row in self.rows:
            self.assertEqual(row["sipresp.rule"], [], "frame %s" % row["frame.number"])

    def test_no_warning_or_error_in_expert_info(self):
        self.assertNotIn("SIPRESP", tshark("-r", CLEAN, "-q", "-z", "expert,warn"))

    def test_no_warning_or_error_once_the_whole_file_is_known(self):
        out = tshark("-r", CLEAN, "-2", "-q", "-z", "expert,sipresp")
        self.assertNotIn("Warns", out)
        self.assertNotIn("Errors", out)
        # the only finding: the caller of "viaproxy" never repeats its request via the proxy
        rows = fields(CLEAN, NAMES, "sipresp.rule", two_pass=True)
        self.assertEqual([(r["sipresp.status_code"], r["sipresp.rule"]) for r in rows],
                         [(["305"], ["redirect-not-followed"])])
        # with how long the capture goes on after it: the 305 at 1.399476 s, the last frame at 1.719585 s
        tree = tshark("-r", CLEAN, "-2", "-V", "-O", "sipresp", "-Y", "sipresp.redirect_not_followed")
        self.assertIn("redirect-not-followed: no later request of the caller went to any of its targets "
                      "in the 320.109 ms the capture runs after it", tree)

    def test_follow_ups_link_to_their_redirects_and_every_invite_final_is_acked(self):
        names = ["frame.number", "sip.Method", "sip.r-uri", "sip.Call-ID", "sipresp.redirected_by",
                 "sipresp.status_code", "sipresp.method", "sipresp.ack", "sipresp.target.followed_in"]
        rows = fields(CLEAN, names, "sip", two_pass=True)
        frame_of = {r["frame.number"][0]: r for r in rows}
        for user in ("moved", "choices", "temporary", "permanent", "recurse"):
            with self.subTest(call=user):
                (redirect,) = self.redirects[user]
                call_id = frame_of[redirect["frame.number"][0]]["sip.Call-ID"]
                target = redirect["sipresp.target.uri"][0]
                # the caller's INVITE to the first target, and kamailio's copy of it
                follow_ups = [r for r in rows if r["sip.Method"] == ["INVITE"] and r["sip.Call-ID"] == call_id
                              and r["sip.r-uri"] == [target]]
                self.assertGreaterEqual(len(follow_ups), 1)
                for r in follow_ups:
                    self.assertEqual(r["sipresp.redirected_by"], redirect["frame.number"])
                first = frame_of[redirect["frame.number"][0]]["sipresp.target.followed_in"]
                self.assertEqual(first[:1], follow_ups[0]["frame.number"])
        finals = [r for r in rows if r["sipresp.method"] == ["INVITE"]]
        self.assertTrue(finals)
        for r in finals:
            self.assertEqual(r["sipresp.ack"], ["acked"], "frame %s" % r["frame.number"])

    def test_every_response_is_paired_with_its_request(self):
        for row in self.rows:
            self.assertEqual(row["sipresp.request_missing"], [], "frame %s" % row["frame.number"])
            self.assertEqual(len(row["sipresp.request_frame"]), 1, "frame %s" % row["frame.number"])
            self.assertLess(int(row["sipresp.request_frame"][0]), int(row["frame.number"][0]))

    def test_register_200_lists_both_bindings_with_their_expires(self):
        (row,) = [r for r in self.rows if r["sipresp.method"] == ["REGISTER"]]
        # register.xml asks expires=3600;q=0.9 and expires=120;q=0.5; usrloc echoes both
        self.assertEqual(row["sipresp.target.uri"], ["sip:bob@127.0.0.1:5070", "sip:bob@127.0.0.1:5071"])
        self.assertEqual(row["sipresp.target.q"], ["0.9", "0.5"])
        self.assertEqual(row["sipresp.target.lifetime_source"], ["Contact expires parameter"] * 2)
        lifetimes = [int(v) for v in row["sipresp.target.lifetime"]]
        # the registrar may count down a second between save and reply
        self.assertTrue(3598 <= lifetimes[0] <= 3600 and 118 <= lifetimes[1] <= 120, lifetimes)

    def test_302_from_the_location_service_has_no_lifetime(self):
        # route "moved": lookup("location") turned into a 302; kamailio puts q but no expires
        (row,) = self.redirects["moved"]
        self.assertEqual(row["sipresp.status_code"], ["302"])
        self.assertEqual(row["sipresp.target.uri"], ["sip:bob@127.0.0.1:5070", "sip:bob@127.0.0.1:5071"])
        self.assertEqual(row["sipresp.target.rank"], ["1", "2"])
        self.assertEqual(row["sipresp.target.lifetime"], [])
        self.assertEqual(row["sipresp.target.lifetime_source"], ["none", "none"])
        # 21.3.3: valid for this one recursion only
        self.assertEqual(row["sipresp.target.cacheable"], ["0", "0"])

    def test_each_redirect_code_with_its_targets_and_lifetimes(self):
        (choices,) = self.redirects["choices"]
        self.assertEqual(choices["sipresp.status_code"], ["300"])
        self.assertEqual(choices["sipresp.target.q"], ["0.8", "0.4"])
        self.assertEqual(choices["sipresp.target.lifetime"], ["300", "300"])
        self.assertEqual(choices["sipresp.target.lifetime_source"], ["Expires header"] * 2)
        (temporary,) = self.redirects["temporary"]
        self.assertEqual(temporary["sipresp.status_code"], ["302"])
        self.assertEqual(temporary["sipresp.target.lifetime"], ["60"])
        self.assertEqual(temporary["sipresp.target.cacheable"], ["1"])
        (permanent,) = self.redirects["permanent"]
        self.assertEqual(permanent["sipresp.status_code"], ["301"])
        self.assertEqual(permanent["sipresp.target.uri"], ["sip:carol@127.0.0.1:5071"])
        (viaproxy,) = self.redirects["viaproxy"]
        self.assertEqual(viaproxy["sipresp.status_code"], ["305"])
        self.assertEqual(viaproxy["sipresp.target.uri"], ["sip:127.0.0.1:5060;lr"])

    def test_302_to_the_recursing_proxy(self):
        # the UAS on 5072 answers kamailio's branch with a 302; kamailio recurses
        (row,) = self.redirects["recurse"]
        self.assertEqual(row["sipresp.status_code"], ["302"])
        self.assertEqual(row["sipresp.target.uri"], ["sip:bob@127.0.0.1:5070"])
        # the request it answers is kamailio's forwarded INVITE, not the caller's
        forwarded = fields(CLEAN, ["udp.dstport"], "frame.number == %s" % row["sipresp.request_frame"][0])
        self.assertEqual(forwarded[0]["udp.dstport"], ["5072"])


class BrokenRealTraffic(unittest.TestCase):
    def test_exactly_the_expected_rules_once_the_whole_file_is_known(self):
        rows = fields(BROKEN, NAMES + ["sip.Method", "sip.r-uri", "sipresp.target.tried_in"], "sip", two_pass=True)
        redirects = by_request_uri([r for r in rows if r["sipresp.status_code"]])
        hits = sorted((r["frame.number"][0], rule) for r in rows for rule in r["sipresp.rule"])
        (self_loop,) = redirects["self"]
        loop_302s = sorted(redirects["loopa"] + redirects["loopb"], key=lambda r: int(r["frame.number"][0]))
        invites_to_loopa = [r for r in rows if r["sip.Method"] == ["INVITE"] and
                            r["sip.r-uri"][0].startswith("sip:loopa@")]
        two_hundreds = [r for r in rows if r["sipresp.status_code"] == ["200"] and not r["sipresp.copy_of"]]
        expected = [(self_loop["frame.number"][0], "redirect-loop"),
                    # loopa -> loopb -> loopa: the third INVITE goes back to loopa
                    (invites_to_loopa[1]["frame.number"][0], "target-retried")]
        # the caller does not ask again the URI the self 302 names, nor
        # loopb after the last 302: both already asked in the chain, so
        # stopping there is right (8.1.3.4), not redirect-not-followed
        self.assertEqual(self_loop["sipresp.target.tried_in"], self_loop["sipresp.request_frame"])
        invites_to_loopb = [r for r in rows if r["sip.Method"] == ["INVITE"] and
                            r["sip.r-uri"][0].startswith("sip:loopb@")]
        self.assertEqual(loop_302s[-1]["sipresp.target.tried_in"], invites_to_loopb[0]["frame.number"])
        # the callee retransmits its 200 on both legs (callee -> kamailio -> caller): never ACKed
        self.assertEqual(len(two_hundreds), 2)
        expected += [(r["frame.number"][0], "invite-2xx-not-acked") for r in two_hundreds]
        self.assertEqual(hits, sorted(expected))

    def test_a_single_pass_shows_only_what_the_past_shows(self):
        rows = fields(BROKEN, NAMES + ["sip.Method", "sip.r-uri"], "sip")
        redirects = by_request_uri([r for r in rows if r["sipresp.status_code"]])
        # route "self": the 302 names the Request-URI it answers (8.1.3.4)
        (self_loop,) = redirects["self"]
        # loopa <-> loopb: each 302 on its own is fine; the loop is across messages
        self.assertEqual(len(redirects["loopa"]), 2)
        self.assertEqual(len(redirects["loopb"]), 1)
        invites_to_loopa = [r for r in rows if r["sip.Method"] == ["INVITE"] and
                            r["sip.r-uri"][0].startswith("sip:loopa@")]
        hits = sorted((r["frame.number"][0], rule) for r in rows for rule in r["sipresp.rule"])
        self.assertEqual(hits, sorted([(self_loop["frame.number"][0], "redirect-loop"),
                                       (invites_to_loopa[1]["frame.number"][0], "target-retried")]))


class AckLostAtTheProxy(unittest.TestCase):
    """lost_ack.xml: the caller ACKs every copy of the 200, but to the
    proxy's own URI with no Route; kamailio drops each ACK, so the callee
    sends its 200 again until Timer H, and kamailio passes each copy on."""

    SIP = ["frame.number", "frame.time_epoch", "sip.Method", "sip.Status-Code", "sip.Via", "sipresp.rule",
           "sipresp.ack_frame", "sipresp.retransmissions", "sipresp.retransmissions_after_ack", "sipresp.copy_of"]

    def legs(self, rows):
        """The 200's copies per leg: the callee's to kamailio (two Vias),
        kamailio's to the caller (one)."""
        legs = {}
        for r in rows:
            if r["sip.Status-Code"] == ["200"]:
                # (one Via header may list both, comma-separated)
                legs.setdefault(",".join(r["sip.Via"]).count("SIP/2.0/"), []).append(r)
        self.assertEqual(sorted(legs), [1, 2])
        return legs[2], legs[1]

    def test_the_200_of_both_legs_is_sent_long_after_the_ack(self):
        rows = fields(LOST_ACK, self.SIP, "sip", two_pass=True)
        acks = [r for r in rows if r["sip.Method"] == ["ACK"]]
        self.assertTrue(acks, "no ACK in the capture")
        first_ack = acks[0]
        ack_time = float(first_ack["frame.time_epoch"][0])
        callee_leg, caller_leg = self.legs(rows)
        # copies within T1 (0.5 s) of the caller's ACK may have crossed it,
        # later ones show it did not get through. It went to kamailio, the
        # caller leg's sender; no ACK ever went to the callee, and its
        # copies are read the same way (a capture at the caller, ACKing the
        # callee directly, would see them so through a proxy)
        counted = {name: [c for c in leg[1:] if float(c["frame.time_epoch"][0]) - ack_time > 0.5]
                   for name, leg in (("callee", callee_leg), ("caller", caller_leg))}
        for name, copies in (("callee", callee_leg), ("caller", caller_leg)):
            with self.subTest(leg=name):
                first = copies[0]
                self.assertGreaterEqual(len(counted[name]), 5)  # Timer H lets the callee send some 9 more
                self.assertEqual(first["sipresp.rule"], ["invite-2xx-not-acked"])
                self.assertEqual(first["sipresp.ack_frame"], first_ack["frame.number"])
                self.assertEqual(first["sipresp.retransmissions"], [])
                self.assertEqual(first["sipresp.retransmissions_after_ack"], [str(len(counted[name]))])
                self.assertEqual([c["sipresp.copy_of"] for c in copies[1:]], [first["frame.number"]] * (len(copies) - 1))
        # nothing else in the capture breaks a rule; a single pass cannot know yet
        hits = [(r["frame.number"][0], r["sipresp.rule"]) for r in rows if r["sipresp.rule"]]
        self.assertEqual(sorted(hits), sorted((leg[0]["frame.number"][0], ["invite-2xx-not-acked"])
                                              for leg in (callee_leg, caller_leg)))
        self.assertEqual([r for r in fields(LOST_ACK, ["sipresp.rule"], "sipresp.rule")], [])

    def test_a_single_pass_shows_the_late_copies_the_past_proves(self):
        rows = fields(LOST_ACK, self.SIP, "sip")
        first_ack = next(r for r in rows if r["sip.Method"] == ["ACK"])
        ack_time = float(first_ack["frame.time_epoch"][0])
        callee_leg, caller_leg = self.legs(rows)
        late = [r for r in caller_leg[1:] if float(r["frame.time_epoch"][0]) - ack_time > 0.5]
        after = [r for r in callee_leg[1:] if float(r["frame.time_epoch"][0]) - ack_time > 0.5]
        self.assertGreaterEqual(len(late), 5)
        said = "after the ACK in frame %s: that ACK did not reach the sender" % first_ack["frame.number"][0]
        # one pass: the caller leg's copies, long after an ACK sent to their
        # sender; the callee's are not, since a relay of the ACK to it could
        # still have come later in the file
        self.assertEqual(tshark("-r", LOST_ACK, "-V", "-O", "sipresp").count(said), len(late))
        # the whole file: no relay ever came, so the callee's copies tell
        # too, and that the one ACK went elsewhere. SIPp's callee left the
        # Record-Route kamailio added out of its 200 (12.1.1 asks for it),
        # so that ACK belonged at the Contact, not at kamailio
        tree = tshark("-r", LOST_ACK, "-2", "-V", "-O", "sipresp")
        self.assertEqual(tree.count(said), len(late))
        elsewhere = ("after the ACK in frame %s, which went to another address (with no Record-Route it belongs at "
                     "the Contact): the UAS did not get it" % first_ack["frame.number"][0])
        copy_lines = [line.strip() for line in tree.splitlines()
                      if line.strip().startswith("[Retransmission of frame %s, seen " % callee_leg[0]["frame.number"][0])]
        self.assertEqual(len(copy_lines), len(after))
        for line in copy_lines:
            self.assertTrue(line.endswith(elsewhere + "]"), line)
        self.assertIn("invite-2xx-not-acked: sent %d more times after the ACK in frame %s, which went to another "
                      "address (with no Record-Route it belongs at the Contact): the UAS did not get it"
                      % (len(after), first_ack["frame.number"][0]), tree)
        self.assertEqual(tree.count("[ACK in frame %s, " % first_ack["frame.number"][0]), 2)
        # the callee's 200
        self.assertEqual(tree.count(", to another address than the 2xx came from: with no Record-Route the ACK "
                                    "belongs at the Contact (RFC 3261 12.2.1.1)]"), 1)
        self.assertNotIn("none to this 2xx's sender", tree)
        # and a filter finds it
        (row,) = fields(LOST_ACK, ["frame.number"], "sipresp.ack_elsewhere", two_pass=True)
        self.assertEqual(row["frame.number"], callee_leg[0]["frame.number"])
        self.assertEqual(fields(DIALOG, ["frame.number"], "sipresp.ack_elsewhere", two_pass=True), [])
        info = tshark("-r", LOST_ACK, "-2")
        # both legs' copies: the ACK was lost on its way to the UAS
        self.assertNotIn("none to sender", info)
        self.assertEqual(info.count("after ACK %s: ACK lost" % first_ack["frame.number"][0]), len(late) + len(after))


class CompactRealTraffic(unittest.TestCase):
    """A caller writing compact header names (v:, f:, t:, i:, m:, l:; RFC
    3261 7.3.3): bob registers, alice calls `moved`, follows the 302 to its
    first target through kamailio and hangs up (real/register.xml and
    real/redirected.xml, made compact by make_real.sh). SIPp's built-in
    uas copies only Vias written `Via:`, so its answers drop alice's `v:`,
    and kamailio, removing its own Via, relays them to alice with none:
    nothing can pair those, and sipresp must say why rather than claim the
    request is not in the capture."""

    NAMES = NAMES + ["udp.srcport", "udp.dstport", "sip.Via", "sipresp.ack", "sipresp.redirected_by"]

    @classmethod
    def setUpClass(cls):
        cls.rows = fields(COMPACT, cls.NAMES, "sip", two_pass=True)
        cls.by_frame = {r["frame.number"][0]: r for r in cls.rows}
        cls.responses = [r for r in cls.rows if r["sipresp.status_code"]]

    def test_no_rule_once_the_whole_file_is_known(self):
        self.assertTrue(self.responses)
        assert_no_rule_anywhere(self, self.rows, COMPACT)

    def test_kamailios_own_answers_are_read_and_paired(self):
        register = [r for r in self.responses if r["sipresp.method"] == ["REGISTER"]]
        self.assertEqual(len(register), 1)
        # register.xml: expires=3600;q=0.9 and expires=120;q=0.5
        self.assertEqual(register[0]["sipresp.target.uri"], ["sip:bob@127.0.0.1:5070", "sip:bob@127.0.0.1:5071"])
        self.assertEqual(register[0]["sipresp.target.lifetime"], ["3600", "120"])
        (redirect,) = [r for r in self.responses if r["sipresp.status_code"] == ["302"]]
        # kamailio.cfg's `moved`: bob's two bindings, no lifetime
        self.assertEqual(redirect["sipresp.target.uri"], ["sip:bob@127.0.0.1:5070", "sip:bob@127.0.0.1:5071"])
        self.assertEqual(redirect["sipresp.request_uri"], ["sip:moved@127.0.0.1:5060"])
        self.assertEqual(redirect["sipresp.ack"], ["acked"])
        for row in register + [redirect]:
            self.assertEqual(self.by_frame[row["sipresp.request_frame"][0]]["udp.dstport"], ["5060"])
        # alice's INVITE to the target, and kamailio's relay of it
        followed = [r for r in self.rows if r["sipresp.redirected_by"]]
        self.assertEqual(len(followed), 2)
        for row in followed:
            self.assertEqual(row["sipresp.redirected_by"], redirect["frame.number"])

    def test_the_callees_answers_pair_with_kamailios_requests(self):
        callee = [r for r in self.responses if r["udp.srcport"] == ["5070"]]
        self.assertEqual(sorted(r["sipresp.method"][0] for r in callee), ["BYE", "INVITE"])
        for row in callee:
            request = self.by_frame[row["sipresp.request_frame"][0]]
            self.assertEqual((request["udp.srcport"], request["udp.dstport"]), (["5060"], ["5070"]))
        (invite_ok,) = [r for r in callee if r["sipresp.method"] == ["INVITE"]]
        self.assertEqual(invite_ok["sipresp.ack"], ["acked"])

    def test_a_relayed_answer_without_via_says_why_it_is_not_paired(self):
        relayed = [r for r in self.responses if r["udp.srcport"] == ["5060"] and r["udp.dstport"] == ["5090"]
                   and r["sipresp.method"] in (["INVITE"], ["BYE"]) and not r["sipresp.status_code"][0].startswith("3")]
        self.assertEqual(sorted(r["sipresp.method"][0] for r in relayed), ["BYE", "INVITE"])
        for row in relayed:
            self.assertEqual(row["sip.Via"], [], "frame %s" % row["frame.number"])  # the capture's premise
            self.assertEqual(row["sipresp.request_missing"], ["no Via"], "frame %s" % row["frame.number"])
        frame = relayed[0]["frame.number"][0]
        lines = [line.strip() for line in tshark("-r", COMPACT, "-2", "-V", "-O", "sipresp",
                                                 "-Y", "frame.number == %s" % frame).splitlines()]
        self.assertIn("[Request: unknown: no Via to pair the response by (RFC 3261 8.1.1.7); "
                      "a client would discard it (18.1.2)]", lines)
        self.assertFalse([line for line in lines if "not in the capture" in line], lines)


class ForkRealTraffic(unittest.TestCase):
    """alice calls carl, registered on two phones: kamailio forks the INVITE
    to both, the phone on 5075 answers, kamailio passes its 200 on and
    CANCELs the phone on 5076, which answers the CANCEL and ends its INVITE
    with 487 (RFC 3261 16.7 step 10, 9.2); kamailio ACKs the 487 itself
    (17.1.1.3), alice ACKs the 200 and hangs up. A clean forked call: every
    2xx paired with the request of its own leg, each 2xx to INVITE with the
    ACK sent back to its sender, not the 487's."""

    NAMES = NAMES + ["udp.srcport", "udp.dstport", "sip.Method", "sip.Status-Code", "sipresp.ack", "sipresp.ack_frame"]

    @classmethod
    def setUpClass(cls):
        cls.rows = fields(FORK, cls.NAMES, "sip", two_pass=True)
        cls.by_frame = {r["frame.number"][0]: r for r in cls.rows}
        cls.responses = [r for r in cls.rows if r["sipresp.status_code"]]

    def leg(self, row):
        return row["udp.srcport"] + row["udp.dstport"]

    def test_no_rule_once_the_whole_file_is_known(self):
        self.assertTrue(self.responses)
        assert_no_rule_anywhere(self, self.rows, FORK)

    def test_only_the_2xx_are_analysed_each_on_its_own_leg(self):
        # 200 to REGISTER; the 200 to INVITE on carl's leg and on alice's;
        # carl's second phone's 200 to the CANCEL; the 200 to BYE on each leg
        self.assertEqual(sorted((r["sipresp.method"][0], r["udp.srcport"][0], r["udp.dstport"][0])
                                for r in self.responses),
                         [("BYE", "5060", "5090"), ("BYE", "5075", "5060"), ("CANCEL", "5076", "5060"),
                          ("INVITE", "5060", "5090"), ("INVITE", "5075", "5060"), ("REGISTER", "5060", "5090")])
        for row in self.responses:
            request = self.by_frame[row["sipresp.request_frame"][0]]
            # each response goes back the way its request came
            self.assertEqual(self.leg(request), row["udp.dstport"] + row["udp.srcport"], row["frame.number"])
            self.assertEqual(request["sip.Method"], row["sipresp.method"])
        # the ringing phone's 180 and 487 are not sipresp's to analyse
        for row in self.rows:
            if row["sip.Status-Code"] and row["sip.Status-Code"][0] in ("180", "487"):
                self.assertEqual(row["sipresp.status_code"], [], row["frame.number"])

    def test_each_2xx_to_invite_cites_the_ack_sent_back_to_its_sender(self):
        oks = [r for r in self.responses if r["sipresp.method"] == ["INVITE"]]
        self.assertEqual(len(oks), 2)
        for ok in oks:
            self.assertEqual(ok["sipresp.ack"], ["acked"])
            ack = self.by_frame[ok["sipresp.ack_frame"][0]]
            self.assertEqual(ack["sip.Method"], ["ACK"])
            self.assertEqual(self.leg(ack), ok["udp.dstport"] + ok["udp.srcport"], ok["frame.number"])
        # kamailio's ACK of the 487 (to 5076) answers no 2xx
        (ack_487,) = [r for r in self.rows if r["sip.Method"] == ["ACK"] and r["udp.dstport"] == ["5076"]]
        self.assertNotIn(ack_487["frame.number"], [ok["sipresp.ack_frame"] for ok in oks])


class DialogRealTraffic(unittest.TestCase):
    """A whole dialog through kamailio (real/dialog_uac.xml and
    dialog_uas.xml: INVITE, re-INVITE, UPDATE, INFO, REFER, OPTIONS,
    MESSAGE, BYE, each answered on both legs), a registration removed with
    `Contact: *`, and a call cancelled while ringing: every method a clean
    call uses, and sipresp must raise nothing on any of them."""

    @classmethod
    def setUpClass(cls):
        cls.rows = fields(DIALOG, NAMES + ["sipresp.ack"], "sipresp.status_code", two_pass=True)

    def test_no_rule_once_the_whole_file_is_known(self):
        assert_no_rule_anywhere(self, self.rows, DIALOG)

    def test_every_2xx_is_paired_and_every_2xx_to_invite_acked(self):
        # kamailio relays each in-dialog request (Record-Route), so each
        # response is seen twice: from dave to kamailio, from kamailio to alice
        methods = [row["sipresp.method"][0] for row in self.rows]
        self.assertEqual(sorted(set(methods)), ["BYE", "CANCEL", "INFO", "INVITE", "MESSAGE", "OPTIONS", "REFER",
                                                "REGISTER", "UPDATE"])
        for method in ["BYE", "CANCEL", "INFO", "MESSAGE", "OPTIONS", "REFER", "UPDATE"]:
            self.assertEqual(methods.count(method), 2, method)
        self.assertEqual(methods.count("INVITE"), 4)  # the call and the re-INVITE, both legs
        self.assertEqual(methods.count("REGISTER"), 2)  # kamailio answers itself
        for row in self.rows:
            self.assertEqual(row["sipresp.request_missing"], [], "frame %s" % row["frame.number"])
            self.assertLess(int(row["sipresp.request_frame"][0]), int(row["frame.number"][0]))
            expected_ack = ["acked"] if row["sipresp.method"] == ["INVITE"] else []
            self.assertEqual(row["sipresp.ack"], expected_ack, "frame %s" % row["frame.number"])

    def test_each_leg_cites_the_ack_sent_back_to_its_sender(self):
        # kamailio relays alice's ACK to dave: dave's 200 (to kamailio) is
        # answered by the relay, kamailio's 200 (to alice) by alice's ACK
        rows = fields(DIALOG, ["frame.number", "udp.srcport", "udp.dstport", "sip.Method", "sipresp.method",
                               "sipresp.ack_frame", "sipresp.ack_elsewhere"], "sip", two_pass=True)
        by_frame = {r["frame.number"][0]: r for r in rows}
        oks = [r for r in rows if r["sipresp.method"] == ["INVITE"]]
        self.assertEqual(len(oks), 4)
        for ok in oks:
            ack = by_frame[ok["sipresp.ack_frame"][0]]
            self.assertEqual(ack["sip.Method"], ["ACK"])
            self.assertEqual(ack["udp.dstport"], ok["udp.srcport"], "frame %s" % ok["frame.number"][0])
            self.assertEqual(ok["sipresp.ack_elsewhere"], [])
        self.assertEqual(sorted({r["udp.srcport"][0] for r in oks}), ["5060", "5073"])  # both legs

    def test_titles_name_the_method_and_what_its_contacts_are(self):
        lines = tshark("-r", DIALOG, "-2", "-V", "-O", "sipresp").splitlines()
        titles = sorted(line.split(": ", 1)[1] for line in lines if line.startswith("SIP Response Analysis"))
        # dialog_uas.xml puts its Contact in the 2xx to INVITE, UPDATE and
        # REFER only; dereg.xml registers one binding, then removes it
        expected = (["200 OK to BYE"] * 2 + ["200 OK to CANCEL"] * 2 + ["200 OK to INFO"] * 2 +
                    ["200 OK to INVITE, 1 Contact"] * 4 + ["200 OK to MESSAGE"] * 2 + ["200 OK to OPTIONS"] * 2 +
                    ["200 OK to REGISTER, 1 binding", "200 OK to REGISTER, no bindings"] +
                    ["200 OK to UPDATE, 1 Contact"] * 2 + ["202 Accepted to REFER, 1 Contact"] * 2)
        self.assertEqual(titles, sorted(expected))
        # the Contact of a 2xx to INVITE or UPDATE is the dialog's remote
        # target (12.1.2, 12.2.1.2; RFC 3311), never ranked. dave's REFER
        # rides inside the call, and RFC 3515 does not make such a REFER a
        # target refresh request: its 202's Contact is shown with no claim.
        contact_of = {}
        title = None
        for line in (line.strip() for line in lines):
            if line.startswith("SIP Response Analysis: "):
                title = line
            elif line.startswith("Contact 1: sip:dave@"):
                contact_of.setdefault(title.split(" to ")[1].split(",")[0], []).append(line)
        self.assertEqual({method: len(found) for method, found in contact_of.items()},
                         {"INVITE": 4, "UPDATE": 2, "REFER": 2})
        for method, found in contact_of.items():
            for line in found:
                self.assertEqual(line.endswith("(remote target of the dialog)"), method != "REFER", line)

    def test_the_200_to_the_removal_says_no_bindings_remain(self):
        # dereg.xml sends "Contact: *" with "Expires: 0"; kamailio's 200 then
        # lists no Contact, so the address-of-record has no binding left
        # (RFC 3261 10.3 step 8); the 200 to the first REGISTER lists erin's
        oks = [r for r in fields(DIALOG, ["frame.number", "sip.contact.uri", "sipresp.meaning"],
                                 'sipresp.method == "REGISTER"')]
        self.assertEqual(len(oks), 2)
        added, removed = oks
        self.assertEqual(len(added["sip.contact.uri"]), 1)
        self.assertTrue(added["sipresp.meaning"][0].startswith("bindings accepted"), added["sipresp.meaning"])
        self.assertEqual(removed["sip.contact.uri"], [])
        self.assertTrue(removed["sipresp.meaning"][0].startswith("no bindings remain"), removed["sipresp.meaning"])


class QueryRealTraffic(unittest.TestCase):
    """Registration queries against kamailio's registrar (pcaps/make_real.sh,
    query; real/query.xml): gina registers one binding (frames 1-2), sends
    a REGISTER without Contact (3-4), removes every binding (Contact: *,
    Expires: 0; 5-6) and sends another REGISTER without Contact (7-8).
    Then she binds :5090 and :5091 at once (9-10), removes :5090 by its
    expires parameter (11-12) and :5091 by Expires: 0 (13-14).

    From RFC 3261 10.2.3 and 10.3: a REGISTER without Contact changes no
    binding and its 200 lists what is held: the binding of frame 1 for the
    first query, none for the second. So 4 and 8 say they answer a query,
    2 that bindings were accepted, 6 that none remain. A removed binding is
    dropped (10.3 step 7): 12 lists :5091 alone, 14 none, and neither says
    a removal was ignored. No rule on either pass; every 200 paired."""

    NAMES = ["frame.number", "sip.contact.uri", "sipresp.meaning", "sipresp.request_frame",
             "sipresp.target.lifetime", "sipresp.target.removal_ignored", "sipresp.rule"]

    def test_the_200s_to_queries_say_so(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = {r["frame.number"][0]: r for r in fields(QUERY, self.NAMES, "sipresp", two_pass)}
                self.assertEqual(sorted(rows, key=int), ["2", "4", "6", "8", "10", "12", "14"])
                self.assertEqual([rows[f]["sipresp.request_frame"] for f in ("2", "4", "6", "8", "10", "12", "14")],
                                 [["1"], ["3"], ["5"], ["7"], ["9"], ["11"], ["13"]])
                self.assertTrue(rows["2"]["sipresp.meaning"][0].startswith("bindings accepted"), rows["2"])
                # the binding of frame 1, listed again, a few ms older
                self.assertEqual(rows["4"]["sip.contact.uri"], ["sip:gina@127.0.0.1:5090"])
                self.assertLessEqual(int(rows["4"]["sipresp.target.lifetime"][0]), 600)
                self.assertEqual(rows["4"]["sipresp.meaning"],
                                 ["registration query answered, nothing changed; the Contacts list every current "
                                  "binding with its expiry"])
                self.assertTrue(rows["6"]["sipresp.meaning"][0].startswith("no bindings remain"), rows["6"])
                self.assertEqual(rows["8"]["sip.contact.uri"], [])
                self.assertEqual(rows["8"]["sipresp.meaning"],
                                 ["registration query answered, nothing changed; the registrar holds no binding "
                                  "for this address-of-record"])
                # one of two bindings removed: the other listed, nothing kept
                self.assertEqual(rows["12"]["sip.contact.uri"], ["sip:gina@127.0.0.1:5091"])
                self.assertTrue(rows["12"]["sipresp.meaning"][0].startswith("bindings accepted;"), rows["12"])
                self.assertTrue(rows["14"]["sipresp.meaning"][0].startswith("no bindings remain"), rows["14"])
                self.assertEqual([r["sipresp.target.removal_ignored"] for r in rows.values()], [[]] * 7)
                assert_no_rule_anywhere(self, list(rows.values()), QUERY)


class RealTransports(unittest.TestCase):
    def test_tcp(self):
        rows = fields(TCP, NAMES, "sipresp")
        self.assertEqual([r["sipresp.status_code"] for r in rows], [["200"], ["302"]])
        register, temporary = rows
        self.assertEqual(register["sipresp.method"], ["REGISTER"])
        self.assertEqual(temporary["sipresp.target.lifetime"], ["60"])
        for row in rows:
            self.assertEqual(len(row["sipresp.request_frame"]), 1)
            self.assertEqual(row["sipresp.rule"], [])

    def test_tcp_once_the_whole_file_is_known(self):
        # the caller only ACKs the 302 (redirect_only.xml) and the capture
        # stops: nothing followed it, which only the whole file can show
        rows = fields(TCP, NAMES, "sipresp", two_pass=True)
        self.assertEqual([r["sipresp.rule"] for r in rows], [[], ["redirect-not-followed"]])

    def test_non_default_port_needs_decode_as(self):
        off = ["--disable-heuristic", "sip_udp"]
        self.assertEqual(fields(PORT5099, NAMES, "sipresp", extra=off), [])
        rows = fields(PORT5099, NAMES, "sipresp", extra=off + ["-d", "udp.port==5099,sip"])
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["sipresp.status_code"], ["302"])
        self.assertEqual(rows[0]["sipresp.request_frame"], ["1"])
        self.assertEqual(rows[0]["sipresp.target.lifetime"], ["60"])


class NewLegRealTraffic(unittest.TestCase):
    """A caller that follows the location service's 302 as a new call
    (another SIPp process: new Call-ID and From tag, the same Via sent-by
    and From URI) straight to the first target, then calls that target
    again 5 s later (pcaps/make_real.sh, newleg)."""

    NAMES = ["frame.number", "sip.Method", "sip.r-uri", "sip.Call-ID", "sipresp.status_code", "sipresp.rule",
             "sipresp.redirected_by", "sipresp.redirected_as_new_call", "sipresp.target.uri",
             "sipresp.target.followed_in"]

    def calls(self, two_pass):
        rows = fields(NEWLEG, self.NAMES, "sip", two_pass=two_pass)
        (redirect,) = [r for r in rows if r["sipresp.status_code"] == ["302"]]
        legs = [r for r in rows if r["sip.Method"] == ["INVITE"] and r["sip.r-uri"] == ["sip:bob@127.0.0.1:5070"]]
        return rows, redirect, legs

    def test_the_new_call_follows_the_302_and_the_next_one_reuses_its_target(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows, redirect, legs = self.calls(two_pass)
                self.assertEqual(len(legs), 2)
                first, again = legs
                self.assertEqual(len({r["sip.Call-ID"][0] for r in [redirect, first, again]}), 3)
                self.assertEqual(first["sipresp.redirected_by"], redirect["frame.number"])
                self.assertEqual(first["sipresp.redirected_as_new_call"], ["1"])
                self.assertEqual(again["sipresp.redirected_by"], [])
                self.assertEqual(again["sipresp.redirected_as_new_call"], [])
                # the only rule: the 302 gave its targets no lifetime (21.3.3), and
                # the second call is not the first one's recursion
                hits = [(r["frame.number"][0], rule) for r in rows for rule in r["sipresp.rule"]]
                self.assertEqual(hits, [(again["frame.number"][0], "cached-without-lifetime")])
        # the first target followed in the new call, the second never tried
        self.assertEqual(redirect["sipresp.target.uri"], ["sip:bob@127.0.0.1:5070", "sip:bob@127.0.0.1:5071"])
        self.assertEqual(redirect["sipresp.target.followed_in"], first["frame.number"])
        tree = tshark("-r", NEWLEG, "-V", "-O", "sipresp", "-Y", "frame.number == " + first["frame.number"][0])
        self.assertIn("Redirected by frame %s, " % redirect["frame.number"][0], tree)
        self.assertIn(", as a new call (another Call-ID)", tree)


class FragmentsRealTraffic(unittest.TestCase):
    """A 200 too big for lo's MTU, set to 1500 for the call: alice (SIPp,
    real/call.xml) calls erin (SIPp, real/uas_big200.xml), whose 200 with a
    48-candidate SDP the kernel sends in IPv4 fragments; ACK, BYE, 200.
    Captured at once with the filter the README suggests (every fragment:
    real/fragments.pcap) and with `udp port 5073` (the first fragment only,
    which carries the UDP header: real/fragments_filtered.pcap)
    (pcaps/make_real.sh, fragments)."""

    NAMES = ["frame.number", "sip.Method", "sip.CSeq.method", "ip.flags.mf", "ip.frag_offset", "sipresp.status_code",
             "sipresp.request_frame", "sipresp.ack_frame", "sipresp.rule", "sipresp.ip_first_fragment",
             "sipresp.body_cut", "sipresp.unreadable"]
    NO_REASSEMBLY = ["-o", "ip.defragment:FALSE"]

    def rows(self, capture, two_pass=False, extra=()):
        return {r["frame.number"][0]: r for r in fields(capture, self.NAMES, two_pass=two_pass, extra=extra)}

    def request(self, rows, method):
        (frame,) = [n for n, r in rows.items() if r["sip.Method"] == [method]]
        return frame

    @staticmethod
    def more_fragments(row):
        # a boolean field of IP's: 1 up to tshark 4.0, True from 4.2 on
        return row["ip.flags.mf"][:1] in (["1"], ["True"])

    def first_fragments(self, rows):
        return [n for n, r in rows.items() if self.more_fragments(r) and r["ip.frag_offset"] == ["0"]]

    def test_the_suggested_capture_filter_keeps_every_fragment_and_udp_port_only_the_first(self):
        # frame by frame without reassembly: what each capture filter let in
        names = ["ip.flags.mf", "ip.frag_offset", "ip.len", "ip.hdr_len"]
        whole = fields(FRAGMENTS, names, extra=self.NO_REASSEMBLY)
        kept = fields(FRAGMENTS_FILTERED, names, extra=self.NO_REASSEMBLY)
        pieces = lambda rows: [r for r in rows if self.more_fragments(r) or r["ip.frag_offset"] != ["0"]]
        # 1500 less the IPv4 header in each fragment but the last, at offsets
        # 0, 1 and 2 times that (tshark 4.0 counts them in 8-byte units)
        carried = [int(r["ip.len"][0]) - int(r["ip.hdr_len"][0]) for r in pieces(whole)]
        self.assertEqual(len(carried), 3)
        self.assertEqual(carried[:2], [1480, 1480])
        offsets = [int(r["ip.frag_offset"][0]) for r in pieces(whole)]
        self.assertEqual(offsets, [0, offsets[1], 2 * offsets[1]])
        self.assertIn(offsets[1], (1480, 1480 // 8))
        self.assertEqual([r["ip.frag_offset"] for r in pieces(kept)], [["0"]])
        self.assertEqual(len(whole) - len(kept), 2)

    def test_with_every_fragment_the_200_is_analysed_once_where_it_completes(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = self.rows(FRAGMENTS, two_pass)
                invite, ack, bye = (self.request(rows, m) for m in ("INVITE", "ACK", "BYE"))
                answered = [(n, r["sipresp.request_frame"]) for n, r in rows.items() if r["sipresp.status_code"]]
                # the 200 to INVITE in the frame of its last fragment (3 of 3,
                # after the INVITE and two fragments), the 200 to BYE
                self.assertEqual(answered, [(str(int(invite) + 3), [invite]), (str(int(bye) + 1), [bye])])
                self.assertEqual(rows[str(int(invite) + 3)]["sipresp.ack_frame"], [ack] if two_pass else [])
                (first,) = self.first_fragments(rows)
                self.assertEqual({n: r["sipresp.ip_first_fragment"] for n, r in rows.items()
                                  if r["sipresp.ip_first_fragment"]}, {first: ["SIP/2.0 200 OK"]})
                self.assertEqual([r["sipresp.rule"] for r in rows.values() if r["sipresp.rule"]], [])
                self.assertEqual([r["sipresp.unreadable"] for r in rows.values() if r["sipresp.unreadable"]], [])

    def test_with_the_first_fragment_alone_the_200_is_named_and_nothing_is_called_wrong(self):
        # The 200 to INVITE never completes: sipresp names it on its first
        # fragment, analyses nothing there, and charges nobody with its
        # loss (the ACK answers a 2xx the capture does not hold)
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = self.rows(FRAGMENTS_FILTERED, two_pass)
                invite, bye = self.request(rows, "INVITE"), self.request(rows, "BYE")
                (first,) = self.first_fragments(rows)
                self.assertEqual(rows[first]["sipresp.ip_first_fragment"], ["SIP/2.0 200 OK"])
                self.assertEqual([(n, r["sipresp.request_frame"]) for n, r in rows.items() if r["sipresp.status_code"]],
                                 [(str(int(bye) + 1), [bye])])
                self.assertNotEqual(first, invite)
                self.assertEqual([r["sipresp.rule"] for r in rows.values() if r["sipresp.rule"]], [])
                # once the whole capture is read: the rest never came
                self.assertEqual({n: r["sipresp.unreadable"] for n, r in rows.items() if r["sipresp.unreadable"]},
                                 {first: [LOST_FRAGMENTS]} if two_pass else {})
        lines = {line.split()[0]: line for line in tshark("-r", FRAGMENTS_FILTERED).splitlines()}
        self.assertTrue(lines[first].endswith(" | first IP fragment of SIP 200 OK (INVITE)"), lines[first])
        # the tree: the frame's share of the message, from its IP and UDP headers
        held = fields(FRAGMENTS_FILTERED, ["frame.number", "ip.len", "ip.hdr_len", "udp.length"],
                      extra=self.NO_REASSEMBLY)
        (sizes,) = [r for r in held if r["frame.number"] == [first]]
        in_frame = int(sizes["ip.len"][0]) - int(sizes["ip.hdr_len"][0]) - 8
        tree = tshark("-r", FRAGMENTS_FILTERED, "-V", "-O", "sipresp", "-Y", "frame.number == " + first)
        self.assertIn("First IP fragment of: SIP/2.0 200 OK (CSeq 1 INVITE); %d of its %d bytes are in this frame"
                      % (in_frame, int(sizes["udp.length"][0]) - 8), tree)

    def test_with_the_first_fragment_alone_and_reassembly_off_the_200_is_read_from_it(self):
        # what the first fragment's note advises: the 200's header section
        # is whole in its 1472 bytes, so it is analysed there and paired
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = self.rows(FRAGMENTS_FILTERED, two_pass, self.NO_REASSEMBLY)
                invite, ack = self.request(rows, "INVITE"), self.request(rows, "ACK")
                (first,) = self.first_fragments(rows)
                self.assertEqual(rows[first]["sipresp.status_code"], ["200"])
                self.assertEqual(rows[first]["sipresp.request_frame"], [invite])
                self.assertEqual(rows[first]["sipresp.body_cut"], ["1"])
                self.assertEqual(rows[first]["sipresp.ack_frame"], [ack] if two_pass else [])
                self.assertEqual([r["sipresp.ip_first_fragment"] for r in rows.values() if r["sipresp.ip_first_fragment"]],
                                 [])
                self.assertEqual([r["sipresp.rule"] for r in rows.values() if r["sipresp.rule"]], [])


class TcpSegmentsRealTraffic(unittest.TestCase):
    """Ten calls on one TCP connection: alice (SIPp's built-in uac) calls
    erin (SIPp, real/uas_big200.xml), whose 200 with a 48-candidate SDP
    goes out, with lo's MTU at 1500 and one segment a packet, in three TCP
    segments, as over Ethernet; Wireshark puts it together in the last.
    ACK, BYE, 200 (pcaps/make_real.sh, tcp_segments)."""
    NAMES = ["frame.number", "sip.Method", "sip.Call-ID", "sip.CSeq.method", "sip.Status-Code", "tcp.segment.count",
             "sipresp.status_code", "sipresp.request_frame", "sipresp.ack_frame", "sipresp.rule",
             "sipresp.unreadable", "sipresp.tcp_first_segment"]
    OFF = ["-o", "tcp.desegment_tcp_streams:FALSE"]

    def requests(self, rows):
        """(Call-ID, method) -> the frame SIP shows that request in"""
        return {(r["sip.Call-ID"][0], r["sip.Method"][0]): r["frame.number"][0] for r in rows if r["sip.Method"]}

    def test_each_200_is_read_where_wireshark_puts_it_together_paired_and_acked(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = fields(TCP_SEGMENTS, self.NAMES, two_pass=two_pass)
                requests = self.requests(rows)
                oks = [r for r in rows if r["sip.Status-Code"] == ["200"]]
                self.assertEqual(sorted(r["sip.CSeq.method"][0] for r in oks), 10 * ["BYE"] + 10 * ["INVITE"])
                for r in oks:
                    call, method = r["sip.Call-ID"][0], r["sip.CSeq.method"][0]
                    with self.subTest(frame=r["frame.number"][0]):
                        self.assertEqual(r["sipresp.status_code"], ["200"])
                        self.assertEqual(r["sipresp.request_frame"], [requests[(call, method)]])
                        if method == "INVITE":
                            # (what this capture is for: three segments)
                            self.assertEqual(r["tcp.segment.count"], ["3"])
                            self.assertEqual(r["sipresp.ack_frame"], [requests[(call, "ACK")]] if two_pass else [])
                for name in ("sipresp.rule", "sipresp.unreadable", "sipresp.tcp_first_segment"):
                    self.assertEqual([r["frame.number"][0] for r in rows if r[name]], [], name)
        out = tshark("-r", TCP_SEGMENTS, "-2", "-q", "-z", "expert,note")
        self.assertEqual([line for line in out.splitlines() if "SIPRESP" in line], [])

    def test_with_tcp_reassembly_off_each_200_to_invite_is_unreadable_and_counted(self):
        rows = fields(TCP_SEGMENTS, self.NAMES, two_pass=True, extra=self.OFF)
        requests = self.requests(rows)
        # SIP shows each 200's first segment alone (its start line), the
        # other two as continuations
        starts = [r for r in rows if r["sip.Status-Code"] == ["200"] and r["sip.CSeq.method"] != ["BYE"]]
        self.assertEqual(len(starts), 10)
        for r in starts:
            self.assertEqual(r["sipresp.tcp_first_segment"], ["SIP/2.0 200 OK"])
            self.assertEqual(r["sipresp.unreadable"], ["goes on past its TCP segment; tcp.desegment_tcp_streams is off"])
            self.assertEqual(r["sipresp.status_code"], [])
        byes = [r for r in rows if r["sip.CSeq.method"] == ["BYE"] and r["sip.Status-Code"] == ["200"]]
        self.assertEqual([r["sipresp.request_frame"] for r in byes],
                         [[requests[(r["sip.Call-ID"][0], "BYE")]] for r in byes])
        self.assertEqual([r["frame.number"][0] for r in rows if r["sipresp.rule"]], [])
        tree = tshark("-r", TCP_SEGMENTS, "-2", "-q", "-z", "sipresp,tree", *self.OFF)
        (line,) = [line for line in tree.splitlines() if line.startswith("SIP messages not analysed (unreadable)")]
        self.assertEqual(line.split()[5], "10")


class TcpSipfragRealTraffic(unittest.TestCase):
    """Twenty calls on one TCP connection, lo's MTU at 1280 (pcaps/make_real.sh,
    tcp_sipfrag): SIPp (real/notify_uac.xml) sends an INVITE, gets a 302
    from SIPp (real/notify_uas.xml), ACKs it, then sends a transfer's NOTIFY
    padded past one packet, whose body is the message/sipfrag line
    "SIP/2.0 200 OK" (RFC 3420): it goes out in two segments, the body in
    the second, where Wireshark puts it together; the 200 answers it."""
    NAMES = ["frame.number", "sip.Method", "sip.Call-ID", "sip.CSeq.method", "sip.Status-Code", "tcp.segment.count",
             "sipresp.status_code", "sipresp.request_frame", "sipresp.ack_frame", "sipresp.rule",
             "sipresp.unreadable", "sipresp.tcp_first_segment"]

    def test_the_sipfrag_body_in_a_later_segment_is_no_message(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = fields(TCP_SIPFRAG, self.NAMES, two_pass=two_pass)
                requests = {(r["sip.Call-ID"][0], r["sip.Method"][0]): r["frame.number"][0]
                            for r in rows if r["sip.Method"]}
                notifies = [r for r in rows if r["sip.Method"] == ["NOTIFY"]]
                self.assertEqual(len(notifies), 20)
                # (what this capture is for: each NOTIFY in two segments)
                self.assertEqual({v for r in notifies for v in r["tcp.segment.count"]}, {"2"})
                responses = [r for r in rows if r["sip.Status-Code"]]
                self.assertEqual(sorted((r["sip.Status-Code"][0], r["sip.CSeq.method"][0]) for r in responses),
                                 20 * [("200", "NOTIFY")] + 20 * [("302", "INVITE")])
                for r in responses:
                    call, method = r["sip.Call-ID"][0], r["sip.CSeq.method"][0]
                    with self.subTest(frame=r["frame.number"][0]):
                        self.assertEqual(r["sipresp.status_code"], r["sip.Status-Code"])
                        self.assertEqual(r["sipresp.request_frame"], [requests[(call, method)]])
                        if method == "INVITE":
                            self.assertEqual(r["sipresp.ack_frame"], [requests[(call, "ACK")]] if two_pass else [])
                            # nobody calls the 302's target
                            self.assertEqual(r["sipresp.rule"], ["redirect-not-followed"] if two_pass else [])
                        else:
                            self.assertEqual(r["sipresp.rule"], [])
                for name in ("sipresp.unreadable", "sipresp.tcp_first_segment"):
                    self.assertEqual([r["frame.number"][0] for r in rows if r[name]], [], name)
        out = tshark("-r", TCP_SIPFRAG, "-2", "-q", "-z", "expert")
        self.assertNotIn("Malformed", out)


class BaresipRealTraffic(unittest.TestCase):
    """Another stack on both ends (pcaps/make_real.sh, baresip): bob's
    baresip registers with kamailio and answers; alice's calls `moved`, and
    libre follows the 302 in the same call (same Call-ID and From tag, next
    CSeq) to bob's binding; then she calls `permanent` twice, libre following
    each 301 to carol but keeping no record of it; bob unregisters."""

    NAMES = ["frame.number", "sip.Method", "sip.r-uri", "sip.Call-ID", "sip.CSeq.seq", "sip.contact.uri",
             "sipresp.status_code", "sipresp.method", "sipresp.rule", "sipresp.redirected_by",
             "sipresp.redirected_as_new_call", "sipresp.target.uri", "sipresp.target.followed_in",
             "sipresp.ack_frame", "sipresp.target.lifetime_source"]

    def calls(self, two_pass):
        """rows, and per Call-ID of an INVITE its rows in order"""
        rows = fields(BARESIP, self.NAMES, "sip", two_pass=two_pass)
        by_call = {}
        for r in rows:
            by_call.setdefault(r["sip.Call-ID"][0], []).append(r)
        invites = [r for r in rows if r["sip.Method"] == ["INVITE"]]
        calls = []
        for r in invites:
            if by_call[r["sip.Call-ID"][0]] not in calls:
                calls.append(by_call[r["sip.Call-ID"][0]])
        return rows, calls

    def test_only_the_301_not_remembered_raises_a_rule(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows, calls = self.calls(two_pass)
                self.assertEqual(len(calls), 3)
                third_first_invite = [r for r in calls[2] if r["sip.Method"] == ["INVITE"]][0]
                self.assertEqual(third_first_invite["sip.r-uri"], ["sip:permanent@127.0.0.1"])
                # 21.3.2: after the 301 of the second call, the third still
                # goes to the URI it moved (a backward finding: both passes)
                hits = [(r["frame.number"][0], rule) for r in rows for rule in r["sipresp.rule"]]
                self.assertEqual(hits, [(third_first_invite["frame.number"][0], "moved-permanently-ignored")])

    def test_each_redirect_is_followed_in_its_own_call(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows, calls = self.calls(two_pass)
                # the first REGISTER adds the binding, the second removes it
                register, _ = [r for r in rows if r["sip.Method"] == ["REGISTER"]]
                for call, target in zip(calls, [register["sip.contact.uri"], ["sip:carol@127.0.0.1:5071"],
                                                ["sip:carol@127.0.0.1:5071"]]):
                    first, follow = [r for r in call if r["sip.Method"] == ["INVITE"]]
                    (redirect,) = [r for r in call if r["sipresp.status_code"] in (["302"], ["301"])]
                    self.assertEqual(follow["sip.r-uri"], target)
                    self.assertEqual(int(follow["sip.CSeq.seq"][0]), int(first["sip.CSeq.seq"][0]) + 1)
                    # linked within the call, not as a new one
                    self.assertEqual(follow["sipresp.redirected_by"], redirect["frame.number"])
                    self.assertEqual(follow["sipresp.redirected_as_new_call"], [])
                    self.assertEqual(redirect["sipresp.target.uri"], target)
                    # neither the location service's 302 nor kamailio's 301 gives a lifetime
                    self.assertEqual(redirect["sipresp.target.lifetime_source"], ["none"])
                    if two_pass:
                        self.assertEqual(redirect["sipresp.target.followed_in"], follow["frame.number"])
                        (answer,) = [r for r in call if r["sipresp.status_code"] == ["200"] and
                                     r["sipresp.method"] == ["INVITE"]]
                        # each ACK is the frame after what it acknowledges
                        self.assertEqual(int(redirect["sipresp.ack_frame"][0]), int(redirect["frame.number"][0]) + 1)
                        self.assertEqual(int(answer["sipresp.ack_frame"][0]), int(answer["frame.number"][0]) + 1)

    def test_the_200_answering_shows_its_reason_phrase(self):
        # libre writes "200 Answering": only the code counts (RFC 3261 21),
        # and the Status line says what was sent beside the registered name
        tree = [line.strip() for line in tshark("-r", BARESIP, "-V", "-O", "sipresp").splitlines()]
        self.assertIn('Status: 200 OK (Success), reason phrase "Answering"', tree)
        # the last 200 to REGISTER lists no binding: bob removed his
        self.assertEqual([line for line in tree if line.startswith("SIP Response Analysis: 200 OK to REGISTER")],
                         ["SIP Response Analysis: 200 OK to REGISTER, 1 binding",
                          "SIP Response Analysis: 200 OK to REGISTER, no bindings"])
        meanings = [line for line in tree if line.startswith("[Meaning: ") and "RFC 3261 10.3)" in line]
        self.assertEqual(len(meanings), 2)
        self.assertTrue(meanings[0].startswith("[Meaning: bindings accepted"), meanings[0])
        self.assertTrue(meanings[1].startswith("[Meaning: no bindings remain"), meanings[1])


class SipsakRealTraffic(unittest.TestCase):
    """sipsak, the probing tool (pcaps/make_real.sh, sipsak): one OPTIONS per
    run, each run its own Call-ID, a 3xx followed by sipsak itself to the
    first Contact, in the same call. It probes `moved` (the registrar's 302,
    no lifetime), `temporary` (302, expires=60), `choices` (300, Expires:
    300, which sipsak does not follow), `viaproxy` (305, which sipsak follows
    by putting the proxy's URI in the Request-URI; the proxy then answers
    404) and bob, whom kamailio forks to both his bindings."""

    NAMES = ["frame.number", "sip.Method", "sip.r-uri", "sip.Call-ID", "sip.CSeq.seq", "sipresp.status_code",
             "sipresp.method", "sipresp.request_frame", "sipresp.rule", "sipresp.redirected_by",
             "sipresp.redirected_as_new_call", "sipresp.target.uri", "sipresp.target.lifetime",
             "sipresp.target.lifetime_source", "sipresp.target.followed_in"]

    def rows(self, two_pass):
        return fields(SIPSAK, self.NAMES, "sip", two_pass=two_pass)

    def test_the_305_is_followed_to_the_proxys_own_uri_and_said_so(self):
        # the only request so marked: the OPTIONS to the 305's Contact, which
        # sipsak writes without its lr parameter (21.3.4)
        marked = fields(SIPSAK, ["sip.Method", "sip.r-uri", "sipresp.redirected_by"], "sipresp.sent_to_proxy_uri")
        self.assertEqual([(r["sip.Method"], r["sip.r-uri"]) for r in marked], [(["OPTIONS"], ["sip:127.0.0.1:5060"])])
        self.assertTrue(marked[0]["sipresp.redirected_by"])

    def test_no_rule_fires(self):
        # every probe is one request a server answered as it should; not
        # following the 300 is no fault: it answered an OPTIONS, and RULES.md
        # asks a follow-up only of a 3xx to INVITE
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = self.rows(two_pass)
                self.assertEqual(len(rows), 22)
                self.assertEqual([r["sipresp.rule"] for r in rows if r["sipresp.rule"]], [])

    def test_each_followed_redirect_is_linked_within_its_probe(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = self.rows(two_pass)
                by_frame = {int(r["frame.number"][0]): r for r in rows}
                redirects = {int(r["frame.number"][0]): r for r in rows
                             if r["sipresp.status_code"] and r["sipresp.status_code"][0].startswith("3")}
                self.assertEqual(sorted(int(r["sipresp.status_code"][0]) for r in redirects.values()),
                                 [300, 302, 302, 305])
                followers = {int(r["frame.number"][0]): int(r["sipresp.redirected_by"][0])
                             for r in rows if r["sipresp.redirected_by"]}
                # the 302s and the 305 are followed, each by the request right
                # after the response; the 300 is not
                (choices,) = [n for n, r in redirects.items() if r["sipresp.status_code"] == ["300"]]
                self.assertEqual(followers, {n + 1: n for n in redirects if n != choices})
                for follow, redirect in followers.items():
                    probe = by_frame[redirect - 1]
                    # the same call, the next CSeq: sipsak retries in its own dialog
                    self.assertEqual(by_frame[follow]["sip.Call-ID"], probe["sip.Call-ID"])
                    self.assertEqual(int(by_frame[follow]["sip.CSeq.seq"][0]), int(probe["sip.CSeq.seq"][0]) + 1)
                    self.assertEqual(by_frame[follow]["sipresp.redirected_as_new_call"], [])
                    # to the first target (the 305's: the proxy, named as the Request-URI)
                    first_target = redirects[redirect]["sipresp.target.uri"][0]
                    self.assertEqual(by_frame[follow]["sip.r-uri"][0], first_target.replace(";lr", ""))
                    if two_pass:
                        self.assertEqual(redirects[redirect]["sipresp.target.followed_in"][0], str(follow))
                if two_pass:
                    self.assertEqual(redirects[choices]["sipresp.target.followed_in"], [])

    def test_lifetimes_come_from_where_each_redirect_gives_them(self):
        rows = self.rows(False)
        got = [(r["sipresp.status_code"][0], r["sipresp.target.lifetime_source"], r["sipresp.target.lifetime"])
               for r in rows if r["sipresp.status_code"] and r["sipresp.status_code"][0].startswith("3")]
        self.assertEqual(got, [
            # the registrar's 302 lists both of bob's bindings, without expires (21.3.3: valid once)
            ("302", ["none", "none"], []),
            ("302", ["Contact expires parameter"], ["60"]),
            ("300", ["Expires header", "Expires header"], ["300", "300"]),
            # a 305's target is for the one request (21.3.4)
            ("305", ["none"], []),
        ])

    def test_each_200_is_paired_with_the_request_it_answers(self):
        rows = self.rows(False)
        by_frame = {int(r["frame.number"][0]): r for r in rows}
        answers = [r for r in rows if r["sipresp.status_code"] == ["200"] and r["sipresp.method"] == ["OPTIONS"]]
        self.assertEqual(len(answers), 5)
        for answer in answers:
            request = by_frame[int(answer["sipresp.request_frame"][0])]
            self.assertEqual(request["sip.Method"], ["OPTIONS"])
            self.assertEqual(request["sip.Call-ID"], answer["sip.Call-ID"])
        # the forked probe: each binding's 200 answers the proxy's copy to
        # it, and the one 200 relayed answers sipsak's own request
        (probe,) = [n for n, r in by_frame.items() if r["sip.r-uri"] == ["sip:bob@127.0.0.1"]]
        paired = sorted(int(a["sipresp.request_frame"][0]) for a in answers
                        if a["sip.Call-ID"] == by_frame[probe]["sip.Call-ID"])
        forks = sorted(n for n, r in by_frame.items() if r["sip.Method"] == ["OPTIONS"] and
                       r["sip.Call-ID"] == by_frame[probe]["sip.Call-ID"] and n != probe)
        self.assertEqual(len(forks), 2)
        self.assertEqual(paired, sorted([probe] + forks))


class Ipv6RealTraffic(unittest.TestCase):
    """The lab over IPv6 (pcaps/make_real.sh, ipv6; RFC 5118): bob6
    registers [::1]:5077 (q 0.9, 3600 s) and [::1]:5078 (q 0.5, 120 s);
    alice calls `moved6` (the registrar's 302), `temporary6` (302,
    expires=60) and `choices6` (300: bob6 on ::1 at q 0.8, carol on
    127.0.0.1 at q 0.4, Expires: 300) and follows each to its first target
    through the proxy. Every URI host is a bracketed IPv6 reference, which
    sipresp must read as any other host: a clean capture, nothing to say."""

    NAMES = NAMES + ["sip.Method", "sip.r-uri", "sip.Call-ID", "sipresp.redirected_by", "sipresp.ack",
                     "sipresp.target.followed_in"]
    FIRST = "sip:bob6@[::1]:5077"

    @classmethod
    def setUpClass(cls):
        cls.rows = {two_pass: fields(IPV6, cls.NAMES, "sip", two_pass=two_pass) for two_pass in (False, True)}
        cls.redirects = by_request_uri([r for r in cls.rows[False] if r["sipresp.status_code"]])

    def test_no_rule_fires(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                assert_no_rule_anywhere(self, self.rows[two_pass], IPV6)

    def test_register_200_lists_both_ipv6_bindings(self):
        (row,) = [r for r in self.rows[False] if r["sipresp.method"] == ["REGISTER"]]
        self.assertEqual(row["sipresp.target.uri"], [self.FIRST, "sip:bob6@[::1]:5078"])
        self.assertEqual(row["sipresp.target.q"], ["0.9", "0.5"])
        self.assertEqual(row["sipresp.target.lifetime_source"], ["Contact expires parameter"] * 2)
        lifetimes = [int(v) for v in row["sipresp.target.lifetime"]]
        self.assertTrue(3598 <= lifetimes[0] <= 3600 and 118 <= lifetimes[1] <= 120, lifetimes)

    def test_each_redirect_with_its_ipv6_targets_and_lifetimes(self):
        (moved,) = self.redirects["moved6"]
        self.assertEqual(moved["sipresp.status_code"], ["302"])
        self.assertEqual(moved["sipresp.target.uri"], [self.FIRST, "sip:bob6@[::1]:5078"])
        self.assertEqual(moved["sipresp.target.rank"], ["1", "2"])
        # the registrar's 302 gives no lifetime: valid for this one recursion (21.3.3)
        self.assertEqual(moved["sipresp.target.lifetime_source"], ["none", "none"])
        self.assertEqual(moved["sipresp.target.cacheable"], ["0", "0"])
        (temporary,) = self.redirects["temporary6"]
        self.assertEqual(temporary["sipresp.status_code"], ["302"])
        self.assertEqual(temporary["sipresp.target.uri"], [self.FIRST])
        self.assertEqual(temporary["sipresp.target.lifetime"], ["60"])
        (choices,) = self.redirects["choices6"]
        self.assertEqual(choices["sipresp.status_code"], ["300"])
        self.assertEqual(choices["sipresp.target.uri"], [self.FIRST, "sip:carol@127.0.0.1:5071"])
        self.assertEqual(choices["sipresp.target.q"], ["0.8", "0.4"])
        self.assertEqual(choices["sipresp.target.lifetime"], ["300", "300"])
        self.assertEqual(choices["sipresp.target.lifetime_source"], ["Expires header"] * 2)

    def test_follow_ups_link_to_their_redirects_and_every_invite_final_is_acked(self):
        rows = self.rows[True]
        frame_of = {r["frame.number"][0]: r for r in rows}
        for user in ("moved6", "temporary6", "choices6"):
            with self.subTest(call=user):
                (redirect,) = self.redirects[user]
                call_id = frame_of[redirect["frame.number"][0]]["sip.Call-ID"]
                # the caller's INVITE to the first target, and the proxy's copy of it
                follow_ups = [r for r in rows if r["sip.Method"] == ["INVITE"] and r["sip.Call-ID"] == call_id
                              and r["sip.r-uri"] == [self.FIRST]]
                self.assertEqual(len(follow_ups), 2)
                for r in follow_ups:
                    self.assertEqual(r["sipresp.redirected_by"], redirect["frame.number"])
                self.assertEqual(frame_of[redirect["frame.number"][0]]["sipresp.target.followed_in"],
                                 follow_ups[0]["frame.number"])
        finals = [r for r in rows if r["sipresp.method"] == ["INVITE"]]
        self.assertEqual(len(finals), 9)  # 3 redirects, and each call's 200 on both legs
        for r in finals:
            self.assertEqual(r["sipresp.ack"], ["acked"], "frame %s" % r["frame.number"])

    def test_every_response_is_paired_with_its_request(self):
        answers = [r for r in self.rows[False] if r["sipresp.status_code"]]
        # 200 (REGISTER), three 3xx, and the 200s to INVITE and BYE on both legs of three calls
        self.assertEqual(len(answers), 16)
        for row in answers:
            self.assertEqual(row["sipresp.request_missing"], [], "frame %s" % row["frame.number"])
            self.assertEqual(len(row["sipresp.request_frame"]), 1, "frame %s" % row["frame.number"])
            self.assertLess(int(row["sipresp.request_frame"][0]), int(row["frame.number"][0]))


class NetSipRealTraffic(unittest.TestCase):
    """Net::SIP, another stack, on both sides of a redirect (pcaps/make_real.sh,
    netsip). A registrar and redirect server made of it
    (real/netsip_redirect.pl); what it sends, read from its source
    (Net/SIP/Registrar.pm, Redirect.pm): the 200 to REGISTER lists each
    binding as `<uri>;expires=N`, the lifetime cut to its 300 s maximum and
    no q; the 302 lists the bindings in one Contact header field, as bare
    URIs without lifetime, in the order of a Perl hash (either binding may
    come first). alice (SIPp) follows its first target straight to bob's UA.
    Then a caller made of it (real/netsip_call.pl, carl) calls kamailio's
    `temporary` and follows its 302 itself (Net/SIP/Endpoint/Context.pm: the
    Contact's URI as the new Request-URI, the next CSeq, the same call)."""

    NAMES = NAMES + ["sip.Method", "sip.r-uri", "sip.Call-ID", "sip.CSeq.seq", "sipresp.redirected_by",
                     "sipresp.redirected_as_new_call", "sipresp.ack", "sipresp.target.followed_in"]
    BINDINGS = {"sip:bob@127.0.0.1:5070", "sip:bob@127.0.0.1:5071"}

    @classmethod
    def setUpClass(cls):
        cls.rows = {two_pass: fields(NETSIP, cls.NAMES, "sip", two_pass=two_pass) for two_pass in (False, True)}
        cls.redirects = by_request_uri([r for r in cls.rows[True] if r["sipresp.status_code"]])

    def follow_ups(self, redirect):
        """the INVITEs of the redirected call to its rank-1 target"""
        return [r for r in self.rows[True] if r["sip.Method"] == ["INVITE"] and r["sip.Call-ID"] == redirect["sip.Call-ID"]
                and r["sip.r-uri"] == redirect["sipresp.target.uri"][:1]]

    def test_no_rule_fires(self):
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                assert_no_rule_anywhere(self, self.rows[two_pass], NETSIP)

    def test_register_200_lists_the_bindings_with_the_registrars_lifetimes(self):
        (row,) = [r for r in self.rows[False] if r["sipresp.method"] == ["REGISTER"]]
        self.assertEqual(set(row["sipresp.target.uri"]), self.BINDINGS)
        # register.xml asks 3600 s for 5070 and 120 s for 5071; Net::SIP grants at most 300
        lifetimes = dict(zip(row["sipresp.target.uri"], row["sipresp.target.lifetime"]))
        self.assertEqual(lifetimes, {"sip:bob@127.0.0.1:5070": "300", "sip:bob@127.0.0.1:5071": "120"})
        self.assertEqual(row["sipresp.target.lifetime_source"], ["Contact expires parameter"] * 2)
        # no q in the answer: both at the default 1 (8.1.3.4 ranks ties by order)
        self.assertEqual(row["sipresp.target.q"], ["1", "1"])

    def test_the_net_sip_302_lists_both_bindings_without_lifetime_and_is_followed(self):
        (redirect,) = self.redirects["bob"]
        self.assertEqual(redirect["sipresp.status_code"], ["302"])
        self.assertEqual(set(redirect["sipresp.target.uri"]), self.BINDINGS)
        self.assertEqual(redirect["sipresp.target.rank"], ["1", "2"])
        self.assertEqual(redirect["sipresp.target.lifetime_source"], ["none", "none"])
        self.assertEqual(redirect["sipresp.target.cacheable"], ["0", "0"])
        self.assertEqual(redirect["sipresp.ack"], ["acked"])
        # alice's INVITE to the target listed first, straight to bob's UA
        (follow_up,) = self.follow_ups(redirect)
        self.assertEqual(follow_up["sipresp.redirected_by"], redirect["frame.number"])
        self.assertEqual(redirect["sipresp.target.followed_in"], follow_up["frame.number"])

    def test_the_net_sip_caller_follows_kamailios_302_in_the_same_call(self):
        (redirect,) = self.redirects["temporary"]
        self.assertEqual(redirect["sipresp.status_code"], ["302"])
        self.assertEqual(redirect["sipresp.target.uri"], ["sip:bob@127.0.0.1:5070"])
        self.assertEqual(redirect["sipresp.target.lifetime"], ["60"])
        self.assertEqual(redirect["sipresp.ack"], ["acked"])
        # carl's INVITE and kamailio's copy of it: the next CSeq, not a new call
        follow_ups = self.follow_ups(redirect)
        self.assertEqual(len(follow_ups), 2)
        for r in follow_ups:
            self.assertEqual(r["sip.CSeq.seq"], ["2"])
            self.assertEqual(r["sipresp.redirected_by"], redirect["frame.number"])
            self.assertEqual(r["sipresp.redirected_as_new_call"], [])
        self.assertEqual(redirect["sipresp.target.followed_in"], follow_ups[0]["frame.number"])

    def test_every_response_is_paired_and_every_invite_final_acked(self):
        answers = [r for r in self.rows[True] if r["sipresp.status_code"]]
        # alice: 200 (REGISTER), 302, 200 (INVITE), 200 (BYE); carl: 302, and
        # 200 (INVITE) and 200 (BYE) on each leg of the proxy
        self.assertEqual(len(answers), 9)
        assert_each_paired(self, answers)
        finals = [r for r in answers if r["sipresp.method"] == ["INVITE"]]
        self.assertEqual(len(finals), 5)
        for r in finals:
            self.assertEqual(r["sipresp.ack"], ["acked"], "frame %s" % r["frame.number"])


class RedirectingStack:
    """What the tests of a real stack that redirects and follows share: the
    capture's rows on either pass (`CAPTURE`, `NAMES`), its 3xx by the
    Request-URI user they answer, and the INVITEs to a URI."""

    @classmethod
    def setUpClass(cls):
        cls.rows = {two_pass: fields(cls.CAPTURE, cls.NAMES, "sip", two_pass=two_pass) for two_pass in (False, True)}
        cls.redirects = by_request_uri([r for r in cls.rows[True] if r["sipresp.status_code"]])

    def invites_to(self, uri, two_pass=True):
        return [r for r in self.rows[two_pass] if r["sip.Method"] == ["INVITE"] and r["sip.r-uri"] == [uri]]

    def assert_each_followed(self, followed, cases, assert_follow_up):
        """each (user, 3xx) of `followed` passes `assert_follow_up`; one whose
        user is in `cases` ({user: (target URIs, {field: value})}) also lists
        those targets, and its fields read those values"""
        for user, redirect in followed:
            with self.subTest(redirect=user, frame=redirect["frame.number"]):
                if user in cases:
                    uris, expected = cases[user]
                    self.assertEqual(redirect["sipresp.target.uri"], uris)
                    for name, value in expected.items():
                        self.assertEqual(redirect[name], value, name)
                assert_follow_up(redirect)

    def invite_200s_answering(self, request_uris):
        """the 200s to INVITE that answer `request_uris`, one each"""
        legs = [r for r in self.rows[True] if r["sipresp.status_code"] == ["200"] and r["sipresp.method"] == ["INVITE"]
                and r["sipresp.request_uri"][0] in request_uris]
        self.assertEqual(sorted(r["sipresp.request_uri"][0] for r in legs), sorted(request_uris))
        return legs

    def assert_each_leg_acked_by_its_own_ack(self, request_uris):
        """the 200 to INVITE of a call through kamailio, one on each side of
        it (answering the two `request_uris`: the caller's, kamailio's
        relay). Each is ACKed by the ACK sent back to its own sender
        (13.2.2.4), raises nothing, and shows the callee's Contact, which the
        proxy passes on unchanged"""
        legs = self.invite_200s_answering(request_uris)
        self.assertEqual(len(legs), 2)
        for r in legs:
            self.assertEqual(r["sipresp.ack"], ["acked"])
            self.assertEqual(r["sipresp.rule"], [])
        self.assertNotEqual(legs[0]["sipresp.ack_frame"], legs[1]["sipresp.ack_frame"])  # one ACK per leg
        self.assertEqual(legs[0]["sipresp.target.uri"], legs[1]["sipresp.target.uri"])

    def assert_registered_where_kamailio_sends_calls(self, relayed, lifetime):
        """the 200s to REGISTER: bob's two bindings, then the stack's own
        binding, which is the Request-URI of `relayed` (kamailio's relay of
        the call for it), with `lifetime`, then its removal (none listed)"""
        bob, added, removed = [r for r in self.rows[True] if r["sipresp.method"] == ["REGISTER"]]
        self.assertEqual(bob["sipresp.target.uri"], ["sip:bob@127.0.0.1:5070", "sip:bob@127.0.0.1:5071"])
        self.assertEqual(added["sipresp.target.uri"], relayed["sip.r-uri"])
        self.assertEqual(added["sipresp.target.lifetime"], [lifetime])
        self.assertEqual(removed["sipresp.target.uri"], [])
        self.assertEqual(removed["sipresp.rule"], [])


class TwinkleRealTraffic(RedirectingStack, unittest.TestCase):
    """Twinkle, a softphone with a SIP stack of its own, as a caller that
    follows redirects itself and as a phone that redirects
    (pcaps/make_real.sh, twinkle). dave (Twinkle) registers with kamailio
    for 600 s as he starts and removes his binding as he quits; for 5 s he
    forwards every call to bob's 5070 and carol's UA on 5071: a 302 of his
    own, which lists them in that order at q 0.900 and 0.800, no lifetime;
    then he answers every call himself. bob registers 5070 (q 0.9) and 5071
    (q 0.5) with SIPp; carol (Twinkle) calls dave straight (the 302), then
    through kamailio, which finds dave's binding and record-routes (a clean
    call between two real phones, each ACK relayed); then, through
    kamailio: `moved` (the registrar's 302: both bindings, no lifetime),
    `choices` (300: bob at q 0.8, carol's UA 5071 at q 0.4, Expires: 300),
    `busyfirst` (300: a UA on 5079 that answers 486 at q 0.9, bob at 0.5),
    `temporary` (302, expires=60),
    `permanent` twice (301 to 5071), `loopa` (302 to loopb:5060, whose 302
    names loopa:5060: a URI that the port makes another one, 19.1.4),
    `viaproxy` (305) and `self` (a 302 naming the URI it answers). Each
    call is hung up after 3 s.

    What a client that keeps a target set (8.1.3.4) does, and so what the
    capture must show: each redirect followed in the same call (same
    Call-ID, next CSeq) to the highest q first, and to the next target
    when one fails; after loopa -> loopb:5060 -> loopa:5060 the next 302
    names loopb:5060 again, which the chain already asked, so the caller
    stops; so after the second 302 of `self`. Twinkle keeps no record of a
    301, so the second call to `permanent` goes to the moved URI again
    (21.3.2): moved-permanently-ignored. The second 302 of `self` names its
    own Request-URI: redirect-loop. Nothing else, and no
    redirect-not-followed, on either pass."""

    NAMES = NAMES + ["sip.Method", "sip.r-uri", "sip.Call-ID", "sip.CSeq.seq", "sipresp.redirected_by",
                     "sipresp.redirected_as_new_call", "sipresp.ack", "sipresp.ack_frame",
                     "sipresp.target.followed_in", "sipresp.target.tried_in"]
    CAPTURE = TWINKLE

    def test_exactly_the_expected_rules_on_either_pass(self):
        _, second_to_permanent = self.invites_to("sip:permanent@127.0.0.1")
        _, self_again = self.redirects["self"]
        self.assertEqual(self_again["sipresp.request_uri"], ["sip:self@127.0.0.1:5060"])
        expected = sorted([(second_to_permanent["frame.number"][0], "moved-permanently-ignored"),
                           (self_again["frame.number"][0], "redirect-loop")])
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                hits = sorted((r["frame.number"][0], rule) for r in self.rows[two_pass] for rule in r["sipresp.rule"])
                self.assertEqual(hits, expected)

    def test_each_redirect_is_followed_in_the_same_call_to_its_first_target(self):
        # each redirect's targets, and what some of their fields must read
        bob, carol = "sip:bob@127.0.0.1:5070", "sip:carol@127.0.0.1:5071"
        cases = {"moved": ([bob, "sip:bob@127.0.0.1:5071"], {"sipresp.target.lifetime_source": ["none", "none"]}),
                 "choices": ([bob, carol], {"sipresp.target.lifetime": ["300", "300"]}),
                 "temporary": ([bob], {"sipresp.target.lifetime": ["60"]}),
                 "dave": ([bob, carol], {"sipresp.target.q": ["0.9", "0.8"],
                                         "sipresp.target.lifetime_source": ["none", "none"]})}
        followed = [(user, self.redirects[user][0]) for user in cases]
        followed += [("permanent", r) for r in self.redirects["permanent"]]
        followed += [("loop", r) for r in self.redirects["loopa"][:1] + self.redirects["loopb"] + self.redirects["self"][:1]]
        self.assertEqual(len(followed), 9)

        def in_same_call(redirect):
            assert_followed_in_same_call(self, self.rows[True], redirect)
            self.assertEqual(redirect["sipresp.target.tried_in"], [])
        self.assert_each_followed(followed, cases, in_same_call)

    def test_a_busy_first_target_is_followed_by_the_next(self):
        # 8.1.3.4: a failure at one target sends the client to the next
        (r300,) = self.redirects["busyfirst"]
        self.assertEqual(r300["sipresp.target.uri"], ["sip:busy@127.0.0.1:5079", "sip:bob@127.0.0.1:5070"])
        self.assertEqual(r300["sipresp.target.lifetime_source"], ["none", "none"])
        tries = [r for r in self.rows[True] if r["sip.Method"] == ["INVITE"]
                 and r["sipresp.redirected_by"] == r300["frame.number"]]
        self.assertEqual([t["sip.r-uri"][0] for t in tries], r300["sipresp.target.uri"])
        self.assertEqual([int(t["sip.CSeq.seq"][0]) - int(r300["sip.CSeq.seq"][0]) for t in tries], [1, 2])
        self.assertEqual({t["sip.Call-ID"][0] for t in tries}, set(r300["sip.Call-ID"]))
        self.assertEqual(r300["sipresp.target.followed_in"], [t["frame.number"][0] for t in tries])
        self.assertEqual(r300["sipresp.rule"], [])

    def test_a_call_between_the_two_twinkles_through_kamailio_is_acked_on_each_leg(self):
        # dave's 200 to kamailio's relay of the INVITE, and kamailio's relay
        # of it to carol: each ACKed by the ACK sent back to its own sender
        # (carol's ACK to kamailio, kamailio's relay of it to dave), 13.2.2.4
        legs = self.invite_200s_answering(["sip:dave@127.0.0.1", "sip:dave@127.0.0.1:5097;transport=udp"])
        acks = {}
        for r in legs:
            self.assertEqual(r["sipresp.ack"], ["acked"])
            self.assertEqual(r["sipresp.rule"], [])
            acks[r["frame.number"][0]] = r["sipresp.ack_frame"]
        self.assertEqual(len({tuple(a) for a in acks.values()}), 2)  # one ACK per leg
        # the proxy passes the 2xx's Contact on unchanged: dave's remote target on both legs
        self.assertEqual(legs[0]["sipresp.target.uri"], legs[1]["sipresp.target.uri"])

    def test_the_caller_stops_where_its_chain_comes_back(self):
        # loopa -> loopb:5060 -> loopa:5060 -> loopb:5060: asked two 302s earlier
        (last_302,) = [r for r in self.redirects["loopa"] if r["sipresp.request_uri"] == ["sip:loopa@127.0.0.1:5060"]]
        self.assertEqual(last_302["sipresp.target.uri"], ["sip:loopb@127.0.0.1:5060"])
        (invite_to_loopb,) = self.invites_to("sip:loopb@127.0.0.1:5060")
        self.assertEqual(last_302["sipresp.target.tried_in"], invite_to_loopb["frame.number"])
        self.assertEqual(last_302["sipresp.target.followed_in"], [])
        # self:5060 answered by a 302 naming self:5060: the request itself
        self_again = self.redirects["self"][1]
        self.assertEqual(self_again["sipresp.target.tried_in"], self_again["sipresp.request_frame"])
        self.assertEqual(self_again["sipresp.target.followed_in"], [])
        self.assertEqual(len(self.invites_to("sip:loopb@127.0.0.1:5060")) + len(self.invites_to("sip:self@127.0.0.1:5060")), 2)

    def test_daves_registration_and_its_removal(self):
        bob, added, removed = [r for r in self.rows[True] if r["sipresp.method"] == ["REGISTER"]]
        self.assertEqual(bob["sipresp.target.uri"], ["sip:bob@127.0.0.1:5070", "sip:bob@127.0.0.1:5071"])
        # Twinkle's Contact carries its transport; registrar grants the 600 s asked
        self.assertEqual(added["sipresp.target.uri"], ["sip:dave@127.0.0.1:5097;transport=udp"])
        self.assertEqual(added["sipresp.target.lifetime"], ["600"])
        self.assertEqual(added["sipresp.target.lifetime_source"], ["Contact expires parameter"])
        # expires=0 removes his only binding: the 200 lists none (10.3 step 8)
        self.assertEqual(removed["sipresp.target.uri"], [])
        self.assertEqual(removed["sipresp.rule"], [])

    def test_the_305_is_followed_to_the_proxys_own_uri_and_said_so(self):
        # Twinkle puts the 305's Contact in the Request-URI, where 21.3.4 asks
        # for the same request again through that proxy; on either pass
        (r305,) = self.redirects["viaproxy"]
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                marked = [r for r in fields(TWINKLE, ["frame.number", "sip.r-uri", "sipresp.redirected_by"],
                                            "sipresp.sent_to_proxy_uri", two_pass=two_pass)]
                self.assertEqual(len(marked), 1)
                self.assertEqual(marked[0]["sip.r-uri"], ["sip:127.0.0.1:5060;lr"])
                self.assertEqual(marked[0]["sipresp.redirected_by"], r305["frame.number"])

    def test_a_capture_that_missed_the_305s_invite(self):
        # The same file without the INVITE the 305 answers, as a capture
        # started just after it: tshark must not crash (9121877), the 305
        # says its request is not in the capture, and the request to the
        # proxy's URI still follows it, with nothing to compare it with.
        (r305,) = self.redirects["viaproxy"]
        invite = int(r305["sipresp.request_frame"][0])
        with tempfile.TemporaryDirectory() as tmp:
            cut = os.path.join(tmp, "twinkle-cut.pcap")
            subprocess.run(["editcap", TWINKLE, cut, str(invite)], check=True, capture_output=True)
            tshark("-r", cut, "-2", "-V")
            rows = {two_pass: fields(cut, ["frame.number", "sip.Method", "sip.r-uri", "sipresp.status_code",
                                           "sipresp.request_missing",
                                           "sipresp.redirected_by", "sipresp.sent_to_proxy_uri", "sipresp.rule"],
                                     "sip", two_pass=two_pass) for two_pass in (False, True)}
        moved = str(int(r305["frame.number"][0]) - 1)  # one frame fewer before it
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                (answer,) = [r for r in rows[two_pass] if r["frame.number"] == [moved]]
                self.assertEqual(answer["sipresp.status_code"], ["305"])
                self.assertEqual(answer["sipresp.request_missing"], ["request not in capture"])
                (follow_up,) = [r for r in rows[two_pass]
                                if r["sip.Method"] == ["INVITE"] and r["sip.r-uri"] == ["sip:127.0.0.1:5060;lr"]]
                self.assertEqual(follow_up["sipresp.redirected_by"], [moved])
                self.assertEqual(follow_up["sipresp.sent_to_proxy_uri"], [])
                self.assertEqual(follow_up["sipresp.rule"], [])

    def test_every_response_is_paired_and_every_invite_final_acked(self):
        answers = [r for r in self.rows[True] if r["sipresp.status_code"]]
        assert_each_paired(self, answers)
        # 200 to REGISTER: bob's, dave's and its removal; 7 answered calls: 200 to
        # INVITE and to BYE each; the call to dave through kamailio: those two
        # on each leg; 3xx: dave, moved, choices, busyfirst, temporary,
        # permanent x2, loopa x2, loopb, viaproxy, self x2
        self.assertEqual(len(answers), 3 + 7 * 2 + 2 * 2 + 13)
        for r in answers:
            if r["sipresp.method"] == ["INVITE"]:
                self.assertEqual(r["sipresp.ack"], ["acked"], "frame %s" % r["frame.number"])


class SipviciousRealTraffic(unittest.TestCase):
    """SIPVicious's svwar, the extension scanner of many field captures,
    probing kamailio by INVITE (pcaps/make_real.sh, sipvicious): a random
    name, then temporary, choices, permanent, viaproxy and nobody. kamailio
    answers from kamailio.cfg, statelessly: 404, 302 (bob on 5070, 60 s),
    300 (bob and carol, Expires: 300), 301 (carol), 305 (the proxy), 404.
    svwar follows nothing, and ACKs each final on a new branch of its own
    with the Request-URI sip:127.0.0.1 (as its capture shows), where the ACK of
    a non-2xx belongs to the INVITE's transaction (17.1.1.3)."""

    NAMES = NAMES + ["sip.Method", "sipresp.ack", "sipresp.ack_frame", "sipresp.ack_other_branch"]

    @classmethod
    def setUpClass(cls):
        cls.rows = {two_pass: fields(SIPVICIOUS, cls.NAMES, "sip", two_pass=two_pass) for two_pass in (False, True)}
        cls.redirects = [r for r in cls.rows[True] if r["sipresp.status_code"]]

    def test_each_probe_is_answered_as_kamailio_cfg_says(self):
        answered = {r["sipresp.request_uri"][0]: r for r in self.redirects}
        self.assertEqual(sorted(answered), ["sip:%s@127.0.0.1" % n for n in ("choices", "permanent", "temporary", "viaproxy")])
        self.assertEqual(answered["sip:temporary@127.0.0.1"]["sipresp.target.lifetime"], ["60"])
        self.assertEqual(answered["sip:choices@127.0.0.1"]["sipresp.target.uri"],
                         ["sip:bob@127.0.0.1:5070", "sip:carol@127.0.0.1:5071"])
        self.assertEqual(answered["sip:choices@127.0.0.1"]["sipresp.target.lifetime"], ["300", "300"])
        self.assertEqual(answered["sip:permanent@127.0.0.1"]["sipresp.status_code"], ["301"])
        self.assertEqual(answered["sip:viaproxy@127.0.0.1"]["sipresp.status_code"], ["305"])

    def test_each_ack_on_a_branch_of_its_own_is_named_and_is_no_ack(self):
        frames = [r["frame.number"][0] for r in self.rows[True]]
        for r in self.redirects:
            with self.subTest(frame=r["frame.number"]):
                ack = self.rows[True][frames.index(r["frame.number"][0]) + 1]
                self.assertEqual(ack["sip.Method"], ["ACK"])
                self.assertEqual(r["sipresp.ack_other_branch"], ack["frame.number"])
                self.assertEqual(r["sipresp.ack_frame"], [])
                # the capture ends within a second: no verdict on a missing ACK
                self.assertEqual(r["sipresp.ack"], ["unknown"])

    def test_only_redirect_not_followed_and_only_once_the_whole_file_is_known(self):
        for row in self.rows[False]:
            self.assertEqual(row["sipresp.rule"], [], "frame %s" % row["frame.number"])
        hits = sorted((r["frame.number"][0], rule) for r in self.rows[True] for rule in r["sipresp.rule"])
        self.assertEqual(hits, sorted((r["frame.number"][0], "redirect-not-followed") for r in self.redirects))


class SofiaRealTraffic(RedirectingStack, unittest.TestCase):
    """Sofia-SIP (libsofia-sip-ua, the SIP stack of FreeSWITCH) on both
    sides (pcaps/make_real.sh, sofia; real/sofia/sofia_calls.c). frank
    registers with kamailio for 600 s and removes his binding at the end.
    He answers a call straight to him with a 302 that Sofia builds: bob's
    5070 at q 0.9 and 5071 at q 0.5, with `Expires: 60` and no expires
    parameter; a call that comes through kamailio he answers himself. gina,
    with Sofia's own redirect handling (NUTAG_AUTO302, NUTAG_AUTO305),
    calls frank straight, then frank through kamailio (kamailio finds his
    binding and record-routes: two Sofia UAs in one dialog), then through
    kamailio `moved` (the registrar's 302: bob's bindings, no lifetime),
    `choices` and `busyfirst` (300), `temporary` (302, expires=60),
    `permanent` twice (301), `viaproxy` (305 naming kamailio itself, which
    answers the resend with the same 305), `loopa` (302 to loopb:5060,
    whose 302 names loopa:5060) and `self` (a 302 naming the URI it
    answers). gina hangs up each answered call.

    What the capture shows Sofia doing, and so what sipresp must say:
    - Sofia follows a 302 and a 305 itself, in the same call (same Call-ID,
      next CSeq), to the first target; a 300 and a 301 it leaves to the
      application, which here follows nothing: redirect-not-followed on
      each of those four, on the second pass only;
    - the second call to `permanent` goes to the moved URI again (21.3.2):
      moved-permanently-ignored;
    - Sofia stops after three redirects in one call. After a 305 it sends
      the same Request-URI through the proxy, as 21.3.4 asks, which is no
      retry; the resends after kamailio's second and third 305, which name
      the proxy the request already went through, are (target-retried),
      and the fourth 305, not followed, needs no follow-up: its proxy was
      already used. `loopa` -> loopb:5060 -> loopa:5060 -> loopb:5060: the
      last INVITE retries loopb:5060, and the last 302 names a URI the
      chain asked. `self` -> self:5060, whose 302 names itself
      (redirect-loop, three times), followed twice more (target-retried)."""

    NAMES = NAMES + ["sip.Method", "sip.r-uri", "sip.Call-ID", "sip.CSeq.seq", "sipresp.redirected_by",
                     "sipresp.redirected_as_new_call", "sipresp.ack", "sipresp.ack_frame",
                     "sipresp.target.followed_in", "sipresp.target.tried_in", "sipresp.sent_to_proxy_uri"]
    CAPTURE = SOFIA

    def test_exactly_the_expected_rules_on_either_pass(self):
        frame = lambda row: row["frame.number"][0]
        resends = self.invites_to("sip:viaproxy@127.0.0.1")
        self.assertEqual(len(resends), 4)  # the first try and three resends through the proxy
        loopb = self.invites_to("sip:loopb@127.0.0.1:5060")
        self_again = self.invites_to("sip:self@127.0.0.1:5060")
        self.assertEqual((len(loopb), len(self_again)), (2, 3))
        both = [(frame(self.invites_to("sip:permanent@127.0.0.1")[1]), "moved-permanently-ignored")]
        both += [(frame(r), "target-retried") for r in resends[2:] + loopb[1:] + self_again[1:]]
        both += [(frame(r), "redirect-loop") for r in self.redirects["self"]
                 if r["sipresp.request_uri"] == ["sip:self@127.0.0.1:5060"]]
        not_followed = [(frame(r), "redirect-not-followed")
                        for r in self.redirects["choices"] + self.redirects["busyfirst"] + self.redirects["permanent"]]
        for two_pass, expected in ((False, both), (True, both + not_followed)):
            with self.subTest(two_pass=two_pass):
                hits = sorted((frame(r), rule) for r in self.rows[two_pass] for rule in r["sipresp.rule"])
                self.assertEqual(hits, sorted(expected))
                self.assertEqual(len(hits), 9 + 4 * two_pass)

    def test_sofias_302_and_its_follow_up(self):
        # frank's own 302, built by Sofia: the lifetime of both targets from
        # the Expires header (10.2.1.1 order of q, 21.3.3 lifetime)
        (r302,) = self.redirects["frank"]
        self.assertEqual(r302["sipresp.request_uri"], ["sip:frank@127.0.0.1:5093"])
        self.assertEqual(r302["sipresp.target.uri"], ["sip:bob@127.0.0.1:5070", "sip:bob@127.0.0.1:5071"])
        self.assertEqual(r302["sipresp.target.q"], ["0.9", "0.5"])
        self.assertEqual(r302["sipresp.target.lifetime"], ["60", "60"])
        self.assertEqual(r302["sipresp.target.lifetime_source"], ["Expires header", "Expires header"])
        for user in ("frank", "moved", "temporary"):
            (redirect,) = self.redirects[user]
            with self.subTest(redirect=user):
                assert_followed_in_same_call(self, self.rows[True], redirect)
                self.assertEqual(redirect["sipresp.rule"], [])

    def test_the_305_resends_go_through_the_proxy_and_the_last_305_needs_none(self):
        first, *resends = self.invites_to("sip:viaproxy@127.0.0.1")
        r305s = self.redirects["viaproxy"]
        self.assertEqual([r["sipresp.request_frame"] for r in r305s], [first["frame.number"]] +
                         [r["frame.number"] for r in resends])
        for r305, resend in zip(r305s, resends):
            with self.subTest(resend=resend["frame.number"]):
                self.assertEqual(resend["sipresp.redirected_by"], r305["frame.number"])
                self.assertEqual(resend["sip.Call-ID"], first["sip.Call-ID"])
                self.assertEqual(resend["sipresp.sent_to_proxy_uri"], [])  # the same Request-URI, as 21.3.4 asks
                self.assertEqual(r305["sipresp.target.followed_in"], resend["frame.number"])
        # the fourth 305 answers the third resend, which came through the proxy it names
        self.assertEqual(r305s[-1]["sipresp.target.followed_in"], [])
        self.assertEqual(r305s[-1]["sipresp.target.tried_in"], resends[-1]["frame.number"])
        tree = tshark("-r", SOFIA, "-2", "-V", "-O", "sipresp", "-Y", "frame.number == %s" % r305s[-1]["frame.number"][0])
        self.assertIn("Not tried again: already sent through this proxy in frame %s of this redirect chain"
                      % resends[-1]["frame.number"][0], tree)

    def test_the_call_between_the_two_sofia_uas_through_kamailio_is_acked_on_each_leg(self):
        self.assert_each_leg_acked_by_its_own_ack(["sip:frank@127.0.0.1", "sip:127.0.0.1:5093"])

    def test_franks_registration_and_its_removal(self):
        # his binding is where kamailio sends the call for sip:frank@127.0.0.1
        (relayed,) = [r for r in self.rows[True] if r["sip.Method"] == ["INVITE"]
                      and r["sip.r-uri"][0].endswith("127.0.0.1:5093") and not r["sip.r-uri"][0].startswith("sip:frank")]
        self.assert_registered_where_kamailio_sends_calls(relayed, "600")

    def test_every_response_is_paired_and_every_invite_final_acked(self):
        answers = [r for r in self.rows[True] if r["sipresp.status_code"]]
        assert_each_paired(self, answers)
        # 200 to REGISTER: bob's, frank's and its removal; Sofia's OPTIONS to
        # its own address of record through kamailio: a 200 on each leg; 3
        # answered calls to bob (frank's 302, moved, temporary): 200 to INVITE
        # and to BYE each; the call to frank through kamailio: those two on
        # each leg; 3xx: frank, moved, choices, busyfirst, temporary,
        # permanent x2, viaproxy x4, loopa x2, loopb x2, self x4
        self.assertEqual(len(answers), 3 + 2 + 3 * 2 + 2 * 2 + 19)
        for r in answers:
            if r["sipresp.method"] == ["INVITE"]:
                self.assertEqual(r["sipresp.ack"], ["acked"], "frame %s" % r["frame.number"])


class LinphoneRealTraffic(RedirectingStack, unittest.TestCase):
    """Linphone (liblinphone on belle-sip) on both sides (pcaps/make_real.sh,
    linphone; real/linphone/). ivy registers with kamailio for 600 s and
    removes her binding as she quits; a call straight to her she sends on
    to bob's 5070 with a 302 linphone builds (`redirect all`: one Contact,
    no lifetime); later calls she answers. bob registers 5070 and 5071
    with SIPp. henry calls ivy straight, then ivy through kamailio (a
    record-routed call between the two), then through kamailio `moved`
    (the registrar's 302: bob's bindings, no lifetime), `choices` and
    `busyfirst` (300), `temporary` (302, expires=60), `permanent` twice
    (301 to carol's 5071), `viaproxy` (305), `loopa` (302 to loopb:5060,
    whose 302 names loopa:5060, and so on) and, from a second linphonec,
    `self` (302 to self:5060, whose 302 names itself). Each loop is ended
    by quitting linphonec 0.3 s after the call.

    What the capture shows linphone doing, read from the SIP fields: it
    follows a 302 and a 301 itself, to the first target, with a new
    INVITE of a new Call-ID that keeps the From tag (and the CSeq); it
    follows no 300 and no 305; it keeps no record of a 301; and it keeps no
    target set (8.1.3.4), so it follows a redirect loop until it quits.
    So, from RULES.md, on either pass: target-retried on each INVITE of a
    chain (one From tag) to a URI the chain already asked;
    redirect-chain-too-long on each 3xx past the fifth of a chain;
    redirect-loop on each 302 answering self:5060 with itself;
    moved-permanently-ignored on the second call to `permanent`. Once the
    whole file is known also redirect-not-followed on the two 300s and the
    305, and on no 302 a loop ended with (its target was already asked).
    Nothing else: no false alarm on the clean calls."""

    NAMES = NAMES + ["sip.Method", "sip.r-uri", "sip.Call-ID", "sip.CSeq.seq", "sip.from.tag", "udp.srcport",
                     "sipresp.redirected_by", "sipresp.redirected_as_new_call", "sipresp.ack", "sipresp.ack_frame",
                     "sipresp.target.followed_in", "sipresp.target.tried_in"]
    CAPTURE = LINPHONE

    def henrys_invites(self):
        return [r for r in self.rows[True] if r["sip.Method"] == ["INVITE"] and r["udp.srcport"] == ["5086"]]

    def chains(self):
        """From tag -> henry's 3xx of that redirect chain (responses answering
        his INVITEs, which copy its From), in the capture's order"""
        out = {}
        for r in self.rows[True]:
            if r["sipresp.status_code"] and r["sipresp.status_code"][0].startswith("3"):
                out.setdefault(r["sip.from.tag"][0], []).append(r)
        return out

    def loop_chains(self):
        """the chains that start at `loopa` and at `self`"""
        return [c for c in self.chains().values() if c[0]["sipresp.request_uri"][0].startswith(("sip:loopa", "sip:self"))]

    def test_exactly_the_expected_rules_on_either_pass(self):
        frame = lambda row: row["frame.number"][0]
        asked, retried = {}, []
        for invite in self.henrys_invites():
            chain = asked.setdefault(invite["sip.from.tag"][0], set())
            if invite["sip.r-uri"][0] in chain:
                retried.append(invite)
            chain.add(invite["sip.r-uri"][0])
        both = [(frame(r), "target-retried") for r in retried]
        both += [(frame(r), "redirect-chain-too-long") for chain in self.chains().values() for r in chain[5:]]
        both += [(frame(r), "redirect-loop") for r in self.redirects["self"]
                 if r["sipresp.request_uri"] == ["sip:self@127.0.0.1:5060"]]
        both.append((frame(self.invites_to("sip:permanent@127.0.0.1")[1]), "moved-permanently-ignored"))
        not_followed = [(frame(r), "redirect-not-followed")
                        for user in ("choices", "busyfirst", "viaproxy") for r in self.redirects[user]]
        self.assertEqual(len(not_followed), 3)
        # the loops ran long enough to show each rule: past three tries and five redirects
        loop_chains = self.loop_chains()
        self.assertEqual(len(loop_chains), 2)
        for chain in loop_chains:
            self.assertGreater(len(chain), 6)
        for two_pass, expected in ((False, both), (True, both + not_followed)):
            with self.subTest(two_pass=two_pass):
                hits = sorted((frame(r), rule) for r in self.rows[two_pass] for rule in r["sipresp.rule"])
                self.assertEqual(hits, sorted(expected))

    def assert_followed_with_a_new_call_id(self, redirect):
        """`redirect` ACKed and followed by one INVITE to its first target:
        another Call-ID, the same From tag, linked as a new call"""
        self.assertEqual(redirect["sipresp.ack"], ["acked"])
        (follow_up,) = [r for r in self.rows[True] if r["sip.Method"] == ["INVITE"]
                        and r["sipresp.redirected_by"] == redirect["frame.number"]]
        self.assertEqual(follow_up["sip.r-uri"], redirect["sipresp.target.uri"][:1])
        self.assertNotEqual(follow_up["sip.Call-ID"], redirect["sip.Call-ID"])
        self.assertEqual(follow_up["sip.from.tag"], redirect["sip.from.tag"])
        self.assertEqual(follow_up["sipresp.redirected_as_new_call"], ["1"])
        self.assertEqual(redirect["sipresp.target.followed_in"], follow_up["frame.number"])
        self.assertEqual(redirect["sipresp.target.tried_in"], [])

    def test_each_302_and_301_is_followed_to_its_first_target_with_a_new_call_id(self):
        bob = "sip:bob@127.0.0.1:5070"
        cases = {"ivy": ([bob], {"sipresp.request_uri": ["sip:ivy@127.0.0.1:5087"],
                                 "sipresp.target.lifetime_source": ["none"], "sipresp.target.cacheable": ["0"]}),
                 "moved": ([bob, "sip:bob@127.0.0.1:5071"], {"sipresp.target.lifetime_source": ["none", "none"]}),
                 "temporary": ([bob], {"sipresp.target.lifetime": ["60"]})}
        followed = [(user, r) for user in cases for r in self.redirects[user]]
        followed += [("permanent", r) for r in self.redirects["permanent"]]
        self.assertEqual(len(followed), 5)

        def with_a_new_call_id(redirect):
            self.assert_followed_with_a_new_call_id(redirect)
            self.assertEqual(redirect["sipresp.rule"], [])
        self.assert_each_followed(followed, cases, with_a_new_call_id)

    def test_a_loop_is_followed_302_by_302_and_its_last_302_asks_nothing_new(self):
        for chain in self.loop_chains():
            *followed, last = chain
            with self.subTest(loop=chain[0]["sipresp.request_uri"][0]):
                for depth, redirect in enumerate(followed, 1):
                    with self.subTest(depth=depth):
                        self.assert_followed_with_a_new_call_id(redirect)
                # the 302 linphonec quit after names a URI its chain asked:
                # nobody need follow it, so no redirect-not-followed
                self.assertEqual(last["sipresp.target.followed_in"], [])
                self.assertTrue(last["sipresp.target.tried_in"])
                self.assertNotIn("redirect-not-followed", last["sipresp.rule"])

    def test_the_300s_and_the_305_are_acked_and_not_followed(self):
        for user in ("choices", "busyfirst", "viaproxy"):
            (redirect,) = self.redirects[user]
            with self.subTest(redirect=user):
                self.assertEqual(redirect["sipresp.ack"], ["acked"])
                self.assertEqual(redirect["sipresp.target.followed_in"], [])
                self.assertEqual([r for r in self.rows[True] if r["sipresp.redirected_by"] == redirect["frame.number"]],
                                 [])
        self.assertEqual(self.redirects["choices"][0]["sipresp.target.lifetime"], ["300", "300"])

    def test_the_call_between_the_two_linphones_through_kamailio_is_acked_on_each_leg(self):
        self.assert_each_leg_acked_by_its_own_ack(["sip:ivy@127.0.0.1", "sip:ivy@127.0.0.1:5087;transport=udp"])

    def test_ivys_registration_and_its_removal(self):
        # her binding is where kamailio sends the call for sip:ivy@127.0.0.1
        (relayed,) = [r for r in self.rows[True] if r["sip.Method"] == ["INVITE"] and r["udp.srcport"] == ["5060"]]
        self.assert_registered_where_kamailio_sends_calls(relayed, "600")

    def test_every_response_is_paired_and_every_invite_final_acked_but_the_last_of_each_loop(self):
        answers = [r for r in self.rows[True] if r["sipresp.status_code"]]
        assert_each_paired(self, answers)
        in_loops = [r for chain in self.loop_chains() for r in chain]
        # 200 to REGISTER: bob's, ivy's and its removal; 5 calls answered by
        # bob or carol (after ivy's 302, moved, temporary, permanent x2): 200
        # to INVITE and to BYE each; the call to ivy through kamailio: those
        # two on each leg; 3xx: ivy, moved, choices, busyfirst, temporary,
        # permanent x2, viaproxy
        self.assertEqual(len(answers) - len(in_loops), 3 + 5 * 2 + 2 * 2 + 8)
        last_of_loops = [chain[-1]["frame.number"] for chain in self.loop_chains()]
        for r in answers:
            if r["sipresp.method"] == ["INVITE"] and r["frame.number"] not in last_of_loops:
                self.assertEqual(r["sipresp.ack"], ["acked"], "frame %s" % r["frame.number"])


class GruuAckLostAtTheProxy(unittest.TestCase):
    """Two linphones with GRUU on (pcaps/make_real.sh, gruu): ivy registers
    and kamailio hands her a GRUU (RFC 5627), which she puts in the Contact
    of her 200; henry calls her through kamailio, which record-routes. His
    ACK follows the route set to kamailio with the GRUU as Request-URI, as
    12.2.1.1 asks, but kamailio.cfg takes the GRUU for its own URI and
    drops the ACK: ivy sends her 200 again until Timer H, and kamailio
    passes each copy on. Unlike lost_ack.pcap the caller is right and the
    proxy is at fault: the 200 carries a Record-Route, so the ACK belonged
    at kamailio, and the finding must not send the engineer to the Contact.

    From RULES.md and README "Following a call": once the whole file is
    known, invite-2xx-not-acked on the first 200 of each leg and nothing
    else; in a single pass, nothing. Each leg's 200 cites henry's first ACK
    (none ever went back to ivy), ivy's as sent elsewhere; each counts its
    copies sent over T1 (0.5 s) after that ACK."""

    SIP = ["frame.number", "frame.time_epoch", "sip.Method", "sip.r-uri", "udp.srcport", "udp.dstport",
           "sipresp.status_code", "sipresp.method", "sipresp.request_frame", "sipresp.rule", "sipresp.ack_frame",
           "sipresp.ack_elsewhere", "sipresp.retransmissions", "sipresp.retransmissions_after_ack",
           "sipresp.copy_of", "sipresp.target.uri", "sipresp.target.lifetime"]

    @classmethod
    def setUpClass(cls):
        cls.rows = {two_pass: fields(GRUU, cls.SIP, "sip", two_pass=two_pass) for two_pass in (False, True)}

    def call(self, two_pass=True):
        """henry's first ACK, and the 200 to INVITE on each leg: ivy's to
        kamailio, kamailio's to henry, each in the order sent"""
        rows = self.rows[two_pass]
        ack = next(r for r in rows if r["sip.Method"] == ["ACK"])
        self.assertEqual(ack["udp.srcport"], ["5086"])
        oks = [r for r in rows if r["sipresp.status_code"] == ["200"] and r["sipresp.method"] == ["INVITE"]]
        callee = [r for r in oks if r["udp.srcport"] == ["5087"]]
        caller = [r for r in oks if r["udp.dstport"] == ["5086"]]
        self.assertEqual(len(callee) + len(caller), len(oks))
        return ack, callee, caller

    def late(self, leg, ack):
        return [c for c in leg[1:] if float(c["frame.time_epoch"][0]) - float(ack["frame.time_epoch"][0]) > 0.5]

    def test_the_ack_goes_to_the_gruu_the_200_gave_as_its_contact(self):
        ack, callee, caller = self.call()
        gruu = callee[0]["sipresp.target.uri"]
        self.assertEqual(len(gruu), 1)
        self.assertIn(";gr=urn:uuid:", gruu[0])
        self.assertEqual(caller[0]["sipresp.target.uri"], gruu)  # kamailio passes the Contact on
        self.assertEqual(ack["sip.r-uri"], gruu)

    def test_invite_2xx_not_acked_on_each_leg_once_the_whole_file_is_known(self):
        ack, callee, caller = self.call()
        for name, leg in (("callee", callee), ("caller", caller)):
            with self.subTest(leg=name):
                late = self.late(leg, ack)
                self.assertGreaterEqual(len(late), 5)  # Timer H lets ivy send some 8 more
                first = leg[0]
                self.assertEqual(first["sipresp.rule"], ["invite-2xx-not-acked"])
                self.assertEqual(first["sipresp.ack_frame"], ack["frame.number"])
                self.assertEqual(first["sipresp.retransmissions"], [])
                self.assertEqual(first["sipresp.retransmissions_after_ack"], [str(len(late))])
                self.assertEqual([c["sipresp.copy_of"] for c in leg[1:]], [first["frame.number"]] * (len(leg) - 1))
        self.assertNotEqual(callee[0]["sipresp.ack_elsewhere"], [])
        self.assertEqual(caller[0]["sipresp.ack_elsewhere"], [])
        hits = sorted((r["frame.number"][0], rule) for r in self.rows[True] for rule in r["sipresp.rule"])
        self.assertEqual(hits, sorted((leg[0]["frame.number"][0], "invite-2xx-not-acked") for leg in (callee, caller)))

    def test_a_single_pass_raises_nothing(self):
        self.assertEqual([r["frame.number"] for r in self.rows[False] if r["sipresp.rule"]], [])

    def test_the_text_puts_the_fault_at_the_proxy_not_at_the_contact(self):
        ack, callee, caller = self.call()
        late_callee, late_caller = self.late(callee, ack), self.late(caller, ack)
        tree = tshark("-r", GRUU, "-2", "-V", "-O", "sipresp")
        # (counts, not assertIn: a miss then prints a number, not the whole tree)
        self.assertEqual(tree.count("invite-2xx-not-acked: sent %d more times after the ACK in frame %s, which went "
                                    "to another address: no ACK reached the sender"
                                    % (len(late_callee), ack["frame.number"][0])), 1)
        self.assertEqual(tree.count("to another address (none to this 2xx's sender)]"), 1)
        self.assertEqual(tree.count("12.2.1.1"), 0)
        self.assertEqual(tree.count("belongs at the Contact"), 0)
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                info = tshark("-r", GRUU, *(["-2"] if two_pass else []))
                said = "after ACK %s: " % ack["frame.number"][0]
                self.assertEqual(info.count(said + "ACK lost"), len(late_caller))
                # ivy's copies: only once the file shows no ACK came back to her
                self.assertEqual(info.count(said + "none to sender"), len(late_callee) if two_pass else 0)

    def test_ivys_gruu_registration_and_its_removal(self):
        added, removed = [r for r in self.rows[True] if r["sipresp.method"] == ["REGISTER"]]
        # the binding is her address; the GRUUs kamailio adds are parameters of it
        self.assertEqual(added["sipresp.target.uri"], ["sip:ivy@127.0.0.1:5087;transport=udp"])
        self.assertEqual(added["sipresp.target.lifetime"], ["600"])
        self.assertEqual(added["sipresp.rule"], [])
        self.assertEqual(removed["sipresp.target.uri"], [])
        self.assertEqual(removed["sipresp.rule"], [])

    def test_every_2xx_is_paired_with_its_request(self):
        answers = [r for r in self.rows[True] if r["sipresp.status_code"]]
        _, callee, caller = self.call()
        self.assertEqual(len(answers), 2 + len(callee) + len(caller))  # and no 404 or 481 analysed
        assert_each_paired(self, answers)


class JamiRealTraffic(RedirectingStack, unittest.TestCase):
    """Jami's daemon (jamid 13.7, pjsip inside) as a SIP phone, jack on
    5088 (pcaps/make_real.sh, jami; real/jami/jack.sh). jack registers
    with kamailio for the 3600 s he asks; calls bob's 5070 through kamailio
    (record-routed; SIPp answers and leaves the Record-Route out of its
    200); then `moved` (the registrar's 302), `choices` (300), `temporary`
    (302, expires=60), `permanent` (301) and `viaproxy` (305); then alice
    (SIPp) calls him through kamailio and he answers; he quits, removing
    his binding.

    What the capture shows jack doing, read from the SIP fields: he ACKs
    each 3xx and follows none (pjsip ends an INVITE session on a 3xx unless
    the application asks to follow it, and Jami does not). His offer to
    bob holds no media line (jamid set up no audio in this lab), so he
    turns bob's answer down and sends the BYE before the ACK of the 200
    (13.2.2.4 asks for the ACK first). So, from RULES.md: once the whole
    file is known redirect-not-followed on each of the five 3xx (each is
    the last message of its call); nothing in a single pass; the 200 to
    bob still ACKed, by the ACK that came after the BYE; nothing else."""

    NAMES = NAMES + ["sip.Method", "sip.r-uri", "sip.Call-ID", "sip.CSeq.seq", "udp.srcport", "udp.dstport",
                     "sipresp.ack", "sipresp.ack_frame", "sipresp.target.followed_in"]
    CAPTURE = JAMI

    def test_redirect_not_followed_on_each_3xx_and_only_once_the_whole_file_is_known(self):
        redirects = [r for r in self.rows[True] if r["sipresp.status_code"][:1] and
                     r["sipresp.status_code"][0].startswith("3")]
        self.assertEqual(sorted(user for user, rows in self.redirects.items() for _ in rows),
                         ["choices", "moved", "permanent", "temporary", "viaproxy"])
        hits = sorted((r["frame.number"][0], rule) for r in self.rows[True] for rule in r["sipresp.rule"])
        self.assertEqual(hits, sorted((r["frame.number"][0], "redirect-not-followed") for r in redirects))
        self.assertEqual([r["frame.number"] for r in self.rows[False] if r["sipresp.rule"]], [])

    def test_each_3xx_is_acked_and_no_target_is_tried(self):
        for user, (redirect,) in self.redirects.items():
            with self.subTest(redirect=user):
                self.assertEqual(redirect["sipresp.ack"], ["acked"])
                self.assertEqual(redirect["sipresp.target.followed_in"], [])
                self.assertTrue(redirect["sipresp.target.uri"])
                later = [r for r in self.rows[True] if r["sip.Method"] == ["INVITE"] and r["udp.srcport"] == ["5088"]
                         and int(r["frame.number"][0]) > int(redirect["frame.number"][0])]
                self.assertEqual([r for r in later if r["sip.r-uri"][0] in redirect["sipresp.target.uri"]], [])

    def test_the_200_turned_down_with_a_bye_before_its_ack_is_still_acked(self):
        rows = self.rows[True]
        (ok,) = [r for r in rows if r["sipresp.status_code"] == ["200"] and r["sipresp.method"] == ["INVITE"]
                 and r["sipresp.request_uri"] == ["sip:bob@127.0.0.1:5070"]]
        after = [r for r in rows if int(r["frame.number"][0]) > int(ok["frame.number"][0])
                 and r["sip.Call-ID"] == ok["sip.Call-ID"] and r["sip.Method"]]
        self.assertEqual([r["sip.Method"][0] for r in after[:2]], ["BYE", "ACK"])  # what this test is about
        self.assertEqual(ok["sipresp.ack"], ["acked"])
        self.assertEqual(ok["sipresp.ack_frame"], after[1]["frame.number"])
        self.assertEqual(ok["sipresp.rule"], [])

    def test_the_call_to_jack_through_kamailio_is_acked_on_each_leg(self):
        # alice's INVITE names kamailio's port (real/call.xml)
        self.assert_each_leg_acked_by_its_own_ack(["sip:jack@127.0.0.1:5060", "sip:jack@127.0.0.1:5088"])

    def test_jacks_registration_and_its_removal(self):
        (relayed,) = [r for r in self.rows[True] if r["sip.Method"] == ["INVITE"] and r["udp.dstport"] == ["5088"]]
        self.assert_registered_where_kamailio_sends_calls(relayed, "3600")

    def test_every_2xx_and_3xx_is_paired_with_its_request(self):
        answers = [r for r in self.rows[True] if r["sipresp.status_code"]]
        # 200 to REGISTER x3; the call to bob: 200 to INVITE and to BYE;
        # five 3xx; alice's call to jack: 200 to INVITE and to BYE per leg
        self.assertEqual(len(answers), 3 + 2 + 5 + 4)
        assert_each_paired(self, answers)


class JamiAcksTheWrongFork(unittest.TestCase):
    """The same Jami (pjsip) as a caller whose INVITE kamailio forks
    (pcaps/make_real.sh, jamifork): dora has two bindings, 5073 (SIPp's uas:
    180, then 200 at once) and 5074 (real/uas_answer_late.xml: 200 after
    100 ms, no 1xx, sent again until ACKed), and both answer jack's call.
    Neither 200 carries a Record-Route, so jack's ACKs go straight to the
    Contact. What the SIP fields show: jack ACKs the first fork's 200 (To
    tag A) and, for the second fork's 200 (To tag B) and each of its copies,
    sends that same ACK again (To tag A, the same branch); he never sends an
    ACK with tag B.

    So, from RULES.md and README "Following a call": 13.2.2.4 asks for an
    ACK of each fork's 2xx. Once the whole file is known the second fork's
    200 gets invite-2xx-not-acked on both legs (it was sent again and never
    ACKed), and on jack's leg it names the ACK jack sent again as the one of
    the first fork's dialog (sipresp.ack_other_fork); the first fork's 200
    is ACKed on both legs, without a finding. In a single pass, nothing."""

    SIP = ["frame.number", "sip.Method", "sip.to.tag", "sip.Via.branch", "udp.srcport", "udp.dstport",
           "sipresp.status_code", "sipresp.method", "sipresp.rule", "sipresp.ack", "sipresp.ack_frame",
           "sipresp.ack_other_fork", "sipresp.retransmissions", "sipresp.copy_of", "sipresp.request_frame"]

    @classmethod
    def setUpClass(cls):
        cls.rows = {two_pass: fields(JAMIFORK, cls.SIP, "sip", two_pass=two_pass) for two_pass in (False, True)}

    def forks(self, two_pass=True):
        """The first copy of each fork's 200 to INVITE on jack's leg (to
        5088) and on the callee's (from 5073 or 5074), by To tag, and
        jack's ACKs"""
        rows = self.rows[two_pass]
        oks = [r for r in rows if r["sipresp.status_code"] == ["200"] and r["sipresp.method"] == ["INVITE"]
               and not r["sipresp.copy_of"]]
        first_tag = next(r for r in oks if r["udp.dstport"] == ["5088"])["sip.to.tag"]
        legs = {}
        for r in oks:
            fork = "first" if r["sip.to.tag"] == first_tag else "second"
            leg = "caller" if r["udp.dstport"] == ["5088"] else "callee"
            self.assertNotIn((fork, leg), legs)
            legs[(fork, leg)] = r
        self.assertEqual(len(legs), 4)
        acks = [r for r in rows if r["sip.Method"] == ["ACK"]]
        return legs, acks

    def test_what_jack_does_read_from_the_sip_fields(self):
        legs, acks = self.forks()
        # each ACK carries the first fork's To tag, on one branch; there are
        # as many as the first 200 and every copy of the second fork's
        self.assertEqual({tuple(a["sip.to.tag"]) for a in acks}, {tuple(legs[("first", "caller")]["sip.to.tag"])})
        self.assertEqual(len({tuple(a["sip.Via.branch"]) for a in acks}), 1)
        second = legs[("second", "caller")]
        copies = [r for r in self.rows[True] if r["sipresp.copy_of"] == second["frame.number"]]
        self.assertGreaterEqual(len(copies), 2)  # sent again at T1, 2*T1, ... until jack quits
        self.assertEqual(len(acks), 1 + 1 + len(copies))

    def test_the_second_forks_200_is_not_acked_and_names_the_ack_of_the_first(self):
        legs, acks = self.forks()
        second = legs[("second", "caller")]
        after = [a for a in acks if int(a["frame.number"][0]) > int(second["frame.number"][0])]
        self.assertEqual(second["sipresp.rule"], ["invite-2xx-not-acked"])
        self.assertEqual(second["sipresp.ack"], ["missing"])
        self.assertEqual(second["sipresp.ack_frame"], [])
        self.assertEqual(second["sipresp.ack_other_fork"], after[0]["frame.number"])
        # the callee's leg: its copies went unanswered; no other fork there
        callee = legs[("second", "callee")]
        self.assertEqual(callee["sipresp.rule"], ["invite-2xx-not-acked"])
        self.assertEqual(callee["sipresp.ack_other_fork"], [])
        tree = tshark("-r", JAMIFORK, "-2", "-V", "-O", "sipresp", "-Y", "frame.number == " + second["frame.number"][0])
        self.assertIn("ACK in frame %s is the one of frame %s's dialog (another To tag)"
                      % (after[0]["frame.number"][0], legs[("first", "caller")]["frame.number"][0]), tree)

    def test_the_first_fork_is_acked_on_each_leg_without_a_finding(self):
        legs, acks = self.forks()
        for leg in ("caller", "callee"):
            with self.subTest(leg=leg):
                first = legs[("first", leg)]
                self.assertEqual(first["sipresp.ack"], ["acked"])
                self.assertEqual(first["sipresp.ack_frame"], acks[0]["frame.number"])
                self.assertEqual(first["sipresp.rule"], [])
                self.assertEqual(first["sipresp.ack_other_fork"], [])

    def test_nothing_else_and_nothing_in_a_single_pass(self):
        hits = sorted(r["frame.number"][0] for r in self.rows[True] if r["sipresp.rule"])
        legs, _ = self.forks()
        self.assertEqual(hits, sorted(legs[("second", leg)]["frame.number"][0] for leg in ("caller", "callee")))
        self.assertEqual([r["frame.number"] for r in self.rows[False] if r["sipresp.rule"] or r["sipresp.ack_other_fork"]],
                         [])

    def test_every_2xx_is_paired_with_its_request(self):
        answers = [r for r in self.rows[True] if r["sipresp.status_code"] and not r["sipresp.copy_of"]]
        # 200 to REGISTER x3 (dora, jack, his removal), each fork's 200 on
        # each leg, the first fork's 200 to jack's BYE
        self.assertEqual(len(answers), 3 + 4 + 1)
        assert_each_paired(self, answers)


class TransferRealTraffic(unittest.TestCase):
    """Two transfers among three Linphones through kamailio (pcaps/make_real.sh,
    transfer). Blind: henry calls ivy and, inside that call, sends her a
    REFER to `forwarded`, which she accepts with a 202 that carries no
    Contact, as belle-sip sends it; she puts henry on hold, calls
    `forwarded`, follows its 302 to kim (a new Call-ID, the same From tag,
    as linphone.pcap shows), reports to henry in NOTIFYs, and each call
    ends with a BYE. Attended: henry holds a call with ivy, calls kim, and
    sends ivy a REFER whose Refer-To carries a Replaces URI header; ivy
    calls kim with Replaces, and kim ends henry's call to her.

    From RFC 3515 2 (a REFER is answered as a BYE; only one sent outside a
    dialog opens one) and RULES.md: no rule on either pass. No 202 owes a
    Contact, and no title asks for one. The 302 gives its target for its
    Contact's expires, is ACKed and followed, as a new call; every 2xx to
    INVITE is ACKed on each leg; every 2xx is paired."""

    SIP = ["frame.number", "udp.srcport", "sip.Method", "sip.r-uri", "sip.Call-ID", "sip.from.tag", "sip.CSeq.seq",
           "sip.CSeq.method", "sip.Status-Code", "sip.Contact", "sip.to.tag", "sip.Refer-To", "sip.Replaces",
           "sipresp.status_code", "sipresp.method",
           "sipresp.request_frame", "sipresp.rule", "sipresp.ack", "sipresp.target.uri", "sipresp.target.lifetime",
           "sipresp.target.lifetime_source", "sipresp.target.followed_in", "sipresp.redirected_by",
           "sipresp.redirected_as_new_call"]

    @classmethod
    def setUpClass(cls):
        cls.rows = {two_pass: fields(TRANSFER, cls.SIP, "sip", two_pass=two_pass) for two_pass in (False, True)}
        cls.by_frame = {r["frame.number"][0]: r for r in cls.rows[True]}

    def test_no_rule_on_either_pass(self):
        assert_no_rule_on_either_pass(self, self.rows, TRANSFER)

    def test_no_rule_with_each_response_judged_alone(self):
        # With calls not tracked no 202 is paired with its REFER, which alone
        # says whether it opened a dialog: none is asked for a Contact.
        alone = fields(TRANSFER, ["frame.number", "sipresp.method", "sipresp.rule"], "sipresp",
                       extra=["-o", "sipresp.track_calls:FALSE"])
        self.assertEqual(len([r for r in alone if r["sipresp.method"] == ["REFER"]]), 4)  # 2 REFERs, 2 legs
        self.assertEqual([r for r in alone if r["sipresp.rule"]], [])

    def test_the_refer_sent_inside_the_call_is_accepted_without_a_contact(self):
        refers = [r for r in self.rows[True] if r["sip.Method"] == ["REFER"]]
        accepted = [r for r in self.rows[True] if r["sipresp.method"] == ["REFER"]]
        self.assertEqual(len(refers), 4)  # henry's two, and kamailio's relay of each
        self.assertEqual(len(accepted), 4)
        for refer in refers:
            self.assertEqual(len(refer["sip.to.tag"]), 1, "inside a dialog")
        for row in accepted:
            self.assertEqual(row["sipresp.status_code"], ["202"])
            self.assertEqual(row["sip.Contact"], [])
            self.assertEqual(row["sipresp.rule"], [])
            self.assertEqual(self.by_frame[row["sipresp.request_frame"][0]]["sip.Method"], ["REFER"])
        lines = tshark("-r", TRANSFER, "-V", "-O", "sipresp").splitlines()
        titles = [line.split(": ", 1)[1] for line in lines if line.startswith("SIP Response Analysis: 202")]
        self.assertEqual(titles, ["202 Accepted to REFER"] * 4)

    def test_the_forwarded_number_is_followed_as_a_new_call(self):
        (redirect,) = [r for r in self.rows[True] if r["sipresp.status_code"] == ["302"]]
        self.assertEqual(self.by_frame[redirect["sipresp.request_frame"][0]]["sip.r-uri"][0].split("@")[0],
                         "sip:forwarded")
        (contact,) = redirect["sip.Contact"]
        self.assertEqual(redirect["sipresp.target.uri"], [contact.split("<", 1)[1].split(">", 1)[0]])
        self.assertEqual(redirect["sipresp.target.lifetime"], [re.search(r"expires=(\d+)", contact).group(1)])
        self.assertEqual(redirect["sipresp.target.lifetime_source"], ["Contact expires parameter"])
        self.assertEqual(redirect["sipresp.ack"], ["acked"])
        follow_ups = [r for r in self.rows[True] if r["sip.Method"] == ["INVITE"]
                      and r["sipresp.redirected_by"] == redirect["frame.number"]]
        self.assertEqual(len(follow_ups), 2)  # ivy's INVITE to kim, and kamailio's relay of it
        # as in linphone.pcap: another Call-ID, the same From tag and CSeq
        for follow_up in follow_ups:
            self.assertEqual(follow_up["sip.r-uri"], redirect["sipresp.target.uri"])
            self.assertNotEqual(follow_up["sip.Call-ID"], redirect["sip.Call-ID"])
            self.assertEqual(follow_up["sip.from.tag"], redirect["sip.from.tag"])
            self.assertEqual(follow_up["sip.CSeq.seq"], redirect["sip.CSeq.seq"])
            self.assertEqual(follow_up["sipresp.redirected_as_new_call"], ["1"])
        self.assertEqual(redirect["sipresp.target.followed_in"], follow_ups[0]["frame.number"])

    def test_the_attended_transfer_replaces_a_call_and_raises_nothing(self):
        rows = self.rows[True]
        replacing = [r for r in rows if r["sip.Method"] == ["INVITE"] and r["sip.Replaces"]]
        self.assertEqual(len(replacing), 2)  # ivy's, and kamailio's relay of it
        (refer_to,) = {r["sip.Refer-To"][0] for r in rows if r["sip.Method"] == ["REFER"] and "?Replaces=" in
                       r["sip.Refer-To"][0]}
        # the replaced call is henry's (5086) to kim (RFC 3891: its Call-ID first)
        (henry_to_kim,) = {r["sip.Call-ID"][0] for r in rows if r["sip.Method"] == ["INVITE"] and not r["sip.Replaces"]
                           and r["udp.srcport"] == ["5086"] and r["sip.r-uri"] == ["sip:kim@127.0.0.1"]}
        self.assertEqual(refer_to.split("?Replaces=", 1)[1].split("%3b", 1)[0], henry_to_kim)
        asked = {r["frame.number"][0] for r in replacing}
        answers = [r for r in rows if r["sipresp.request_frame"] and r["sipresp.request_frame"][0] in asked]
        self.assertEqual(sorted(a["sipresp.status_code"][0] for a in answers), ["200", "200"])
        for row in answers:
            self.assertEqual(row["sipresp.ack"], ["acked"])
            self.assertEqual(row["sipresp.rule"], [])

    def test_every_2xx_paired_and_every_2xx_to_invite_acked(self):
        answers = [r for r in self.rows[True] if r["sipresp.status_code"]]
        ok_invites = [r for r in answers if r["sip.CSeq.method"] == ["INVITE"] and r["sip.Status-Code"][0] < "300"]
        # blind: the call, ivy's hold of henry, her call to kim; attended:
        # the call, henry's hold of ivy, his call to kim, ivy's hold of him,
        # her call to kim with Replaces: each on both sides of kamailio
        self.assertEqual(len(ok_invites), 16)
        for row in ok_invites:
            self.assertEqual(row["sipresp.ack"], ["acked"], "frame %s" % row["frame.number"])
        assert_every_2xx_3xx_paired(self, self.rows[True])


class PresenceRealTraffic(unittest.TestCase):
    """Presence between two Linphones through kamailio (pcaps/make_real.sh,
    presence): kim subscribes to ivy's presence for 600 s, ivy answers 200
    and sends a NOTIFY (active); as kim quits he unsubscribes inside the
    dialog with Expires: 0, and ivy's 200 to that has no Expires. Both
    register first and remove their bindings as they quit.

    From RFC 6665 (4.1.2.1, 4.1.2.3) and RULES.md: no rule on either pass;
    the first 200 grants the subscription 600 s; the unsubscribe's 200 means
    the subscription ends, which only its request says (the 200 grants
    nothing itself), so it says so only with calls tracked; every 2xx is
    paired. Each row is on both sides of kamailio."""

    SIP = ["frame.number", "sip.Method", "sip.CSeq.method", "sip.Status-Code", "sip.Expires", "sip.to.tag",
           "sipresp.status_code", "sipresp.method", "sipresp.request_frame", "sipresp.meaning",
           "sipresp.subscription_lifetime", "sipresp.rule"]

    @classmethod
    def setUpClass(cls):
        cls.rows = {two_pass: fields(PRESENCE, cls.SIP, "sip", two_pass=two_pass) for two_pass in (False, True)}
        cls.by_frame = {r["frame.number"][0]: r for r in cls.rows[True]}
        requests = [r for r in cls.rows[True] if r["sip.Method"] == ["SUBSCRIBE"]]
        cls.subscribe = {r["frame.number"][0] for r in requests if not r["sip.to.tag"]}
        cls.unsubscribe = {r["frame.number"][0] for r in requests if r["sip.to.tag"]}

    def answers_to(self, frames):
        return [r for r in self.rows[True] if r["sipresp.request_frame"] and r["sipresp.request_frame"][0] in frames]

    def test_the_capture_holds_a_subscription_and_its_unsubscribe(self):
        # kim's SUBSCRIBE and kamailio's relay of it, then the same for the
        # unsubscribe; what each asked for, from the SIP fields
        self.assertEqual(len(self.subscribe), 2)
        self.assertEqual(len(self.unsubscribe), 2)
        for frame in self.subscribe:
            self.assertEqual(self.by_frame[frame]["sip.Expires"], ["600"])
        for frame in self.unsubscribe:
            self.assertEqual(self.by_frame[frame]["sip.Expires"], ["0"])
        notifies = [r for r in self.rows[True] if r["sip.Method"] == ["NOTIFY"]]
        self.assertEqual(len(notifies), 2)

    def test_no_rule_on_either_pass(self):
        assert_no_rule_on_either_pass(self, self.rows, PRESENCE)

    def test_the_subscription_is_granted_600_s(self):
        answers = self.answers_to(self.subscribe)
        self.assertEqual(len(answers), 2)
        for row in answers:
            self.assertEqual(row["sipresp.status_code"], ["200"])
            self.assertEqual(row["sip.Expires"], ["600"])
            self.assertEqual(row["sipresp.subscription_lifetime"], ["600"])
            self.assertIn("subscription accepted", row["sipresp.meaning"][0])

    def test_the_unsubscribe_200_without_expires_means_the_subscription_ends(self):
        answers = self.answers_to(self.unsubscribe)
        self.assertEqual(len(answers), 2)
        for row in answers:
            self.assertEqual(row["sipresp.status_code"], ["200"])
            self.assertEqual(row["sip.Expires"], [], "Linphone's 200 to an unsubscribe has no Expires")
            self.assertEqual(row["sipresp.subscription_lifetime"], [])
            self.assertIn("subscription ends", row["sipresp.meaning"][0])
            self.assertIn("asked for 0 s", row["sipresp.meaning"][0])
        these = " || ".join("frame.number == %s" % r["frame.number"][0] for r in answers)
        lines = [line.strip() for line in tshark("-r", PRESENCE, "-V", "-O", "sipresp", "-Y", these).splitlines()]
        self.assertEqual([line for line in lines if line.startswith("[Meaning")],
                         ["[Meaning: subscription ends: the SUBSCRIBE asked for 0 s; a last NOTIFY with state "
                          "terminated is due (RFC 6665 4.1.2.3)]"] * 2)
        # with calls not tracked, each 200 is judged alone, and nothing in it
        # says the subscription ends
        alone = fields(PRESENCE, ["sipresp.meaning"], these, extra=("-o", "sipresp.track_calls:FALSE"))
        self.assertEqual(len(alone), 2)
        for row in alone:
            self.assertIn("subscription accepted", row["sipresp.meaning"][0])

    def test_every_2xx_paired(self):
        assert_every_2xx_3xx_paired(self, self.rows[True])
        answers = [r for r in self.rows[True] if r["sipresp.status_code"]]
        for row in answers:
            self.assertEqual(self.by_frame[row["sipresp.request_frame"][0]]["sip.Method"], row["sip.CSeq.method"])
        # ivy's NOTIFY and its relay, answered 200 by kim and relayed back
        notified = [r for r in answers if r["sipresp.method"] == ["NOTIFY"]]
        self.assertEqual(len(notified), 2)


class PrackRealTraffic(unittest.TestCase):
    """Reliable provisional responses (RFC 3262) between two Linphones
    through kamailio (pcaps/make_real.sh, prack): ivy requires 100rel, so
    each of henry's two calls rings with a reliable 180 (Require: 100rel,
    RSeq) that henry answers with a PRACK, answered 200. ivy answers the
    first call (ACK, BYE); henry cancels the second (200 to the CANCEL,
    487). Each message on both sides of kamailio.

    From RFC 3262 and RULES.md: a 200 to PRACK answers the PRACK, not the
    INVITE whose 180 it acknowledges, and opens nothing; no rule on either
    pass; the first call's 200 to INVITE ACKed on both legs; no 2xx to the
    cancelled INVITE; every 2xx paired."""

    SIP = ["frame.number", "sip.Method", "sip.Call-ID", "sip.CSeq.method", "sip.Status-Code", "sip.Require",
           "sip.RSeq", "sip.RAck", "sipresp.status_code", "sipresp.method", "sipresp.request_frame",
           "sipresp.meaning", "sipresp.rule", "sipresp.ack"]

    @classmethod
    def setUpClass(cls):
        cls.rows = {two_pass: fields(PRACK, cls.SIP, "sip", two_pass=two_pass) for two_pass in (False, True)}
        cls.by_frame = {r["frame.number"][0]: r for r in cls.rows[True]}
        cls.answers = [r for r in cls.rows[True] if r["sipresp.status_code"]]

    def test_each_call_rings_reliably_and_the_ringing_is_acknowledged(self):
        ringing = [r for r in self.rows[True] if r["sip.Status-Code"] == ["180"]]
        pracks = [r for r in self.rows[True] if r["sip.Method"] == ["PRACK"]]
        self.assertEqual(len(ringing), 4)  # two calls, each 180 on both legs
        self.assertEqual(len(pracks), 4)
        for row in ringing:
            self.assertIn("100rel", row["sip.Require"][0])
            self.assertEqual(len(row["sip.RSeq"]), 1)
        # each PRACK acknowledges its call's 180 by RSeq, CSeq number and method
        for row in pracks:
            (rseq,) = {r["sip.RSeq"][0] for r in ringing if r["sip.Call-ID"] == row["sip.Call-ID"]}
            self.assertEqual(row["sip.RAck"][0].split()[0], rseq)
            self.assertEqual(row["sip.RAck"][0].split()[2], "INVITE")

    def test_no_rule_on_either_pass(self):
        assert_no_rule_on_either_pass(self, self.rows, PRACK)

    def test_each_200_to_prack_answers_its_prack(self):
        acknowledged = [r for r in self.answers if r["sipresp.method"] == ["PRACK"]]
        self.assertEqual(len(acknowledged), 4)
        for row in acknowledged:
            self.assertEqual(self.by_frame[row["sipresp.request_frame"][0]]["sip.Method"], ["PRACK"])
            self.assertIn("acknowledged", row["sipresp.meaning"][0])
            self.assertEqual(row["sipresp.ack"], [], "a 200 to PRACK is not ACKed")

    def test_the_answered_call_is_acked_and_the_cancelled_one_has_no_2xx(self):
        answered = [r for r in self.answers if r["sipresp.method"] == ["INVITE"]]
        self.assertEqual(len(answered), 2)  # the first call, on both legs
        for row in answered:
            self.assertEqual(row["sipresp.ack"], ["acked"])
        calls = {r["sip.Call-ID"][0] for r in answered}
        self.assertEqual(len(calls), 1)
        cancelled = {r["sip.Call-ID"][0] for r in self.rows[True] if r["sip.Method"] == ["CANCEL"]}
        self.assertEqual(len(cancelled), 1)
        self.assertNotEqual(calls, cancelled)
        cancel_ok = [r for r in self.answers if r["sipresp.method"] == ["CANCEL"]]
        self.assertEqual(len(cancel_ok), 2)
        for row in cancel_ok:
            self.assertEqual(self.by_frame[row["sipresp.request_frame"][0]]["sip.Method"], ["CANCEL"])

    def test_every_2xx_paired(self):
        assert_every_2xx_3xx_paired(self, self.rows[True])


class LossyRealTraffic(unittest.TestCase):
    """SIPp's uac and uas dropping a tenth of their messages at random,
    straight to each other and through kamailio (pcaps/make_real.sh, section
    2b). The loss differs on each run, so what sipresp must find is read off
    the capture with the SIP dissector's fields alone, by the README's
    reading of invite-2xx-not-acked (RFC 3261 13.3.1.4), leg by leg: on each
    leg a 2xx to INVITE breaks it when a copy of it comes before the first
    ACK sent back to its sender on that leg (or with no such ACK at all),
    when a copy comes more than T1 (0.5 s) after that ACK (sooner, the copy
    may have crossed the ACK), or when no ACK is there but a later request
    of its dialog is. A 2xx never resent and never ACKed is "unknown", no
    finding: its ACK goes end to end and may have bypassed the capture
    point."""

    SIP = ["frame.number", "frame.time_epoch", "ip.src", "udp.srcport", "ip.dst", "udp.dstport", "sip.Method",
           "sip.Status-Code", "sip.CSeq.method", "sip.CSeq.seq", "sip.Call-ID", "sip.to.tag", "sipresp.status_code",
           "sipresp.request_frame", "sipresp.rule", "sipresp.copy_of"]

    @staticmethod
    def ends(r):
        """(sender, receiver) of a frame"""
        return ((r["ip.src"][0], r["udp.srcport"][0]), (r["ip.dst"][0], r["udp.dstport"][0]))

    def expected(self, rows):
        """frame of each 2xx to INVITE's first copy on its leg -> whether the
        catalogue calls it retransmitted or never ACKed, and its copies"""
        def dialog(r):
            return (r["sip.Call-ID"][0], tuple(r["sip.to.tag"]))

        def after(frames, first):
            return [f for f in frames if int(f["frame.number"][0]) > int(first["frame.number"][0])]
        oks, acks, requests = {}, {}, {}
        for r in rows:
            sender, receiver = self.ends(r)
            if r["sip.Status-Code"] == ["200"] and r["sip.CSeq.method"] == ["INVITE"]:
                # keyed by the way back, where its ACK goes
                oks.setdefault((dialog(r), r["sip.CSeq.seq"][0], receiver, sender), []).append(r)
            elif r["sip.Method"] == ["ACK"]:
                acks.setdefault((dialog(r), r["sip.CSeq.seq"][0], sender, receiver), []).append(r)
            elif r["sip.Method"]:
                requests.setdefault((dialog(r), sender, receiver), []).append(r)
        out = {}
        for (dlg, seq, back_from, back_to), copies in oks.items():
            first = copies[0]
            later_acks = after(acks.get((dlg, seq, back_from, back_to), []), first)
            if not later_acks:
                flagged = len(copies) > 1 or bool(after(requests.get((dlg, back_from, back_to), []), first))
            else:
                ack_frame = int(later_acks[0]["frame.number"][0])
                ack_time = float(later_acks[0]["frame.time_epoch"][0])
                flagged = any(int(c["frame.number"][0]) < ack_frame or float(c["frame.time_epoch"][0]) - ack_time > 0.5
                              for c in copies[1:])
            out[first["frame.number"][0]] = (flagged, copies)
        return out

    def test_rules_only_where_a_2xx_was_resent_or_not_acked(self):
        rows = fields(LOSSY, self.SIP, "sip", two_pass=True)
        expected = self.expected(rows)
        flagged = sorted(int(f) for f, (bad, _) in expected.items() if bad)
        # the capture holds both kinds, on both kinds of leg, or it tests nothing
        for proxied in (False, True):
            with self.subTest(through_the_proxy=proxied):
                legs = {f: bad for f, (bad, copies) in expected.items()
                        if ("5060" in (copies[0]["udp.srcport"][0], copies[0]["udp.dstport"][0])) == proxied}
                self.assertTrue(any(legs.values()), "no 2xx resent or left without ACK: regenerate the capture")
                self.assertFalse(all(legs.values()), "every 2xx resent: regenerate the capture")
        # and a 2xx sent once that no ACK followed anywhere ("unknown"): the
        # uac lost it, and the uas never sent it again, nor answered the
        # INVITE the uac sent again (what SIPp's uas does)
        acked_calls = {r["sip.Call-ID"][0] for r in rows if r["sip.Method"] == ["ACK"]}
        self.assertTrue([f for f, (bad, copies) in expected.items()
                         if not bad and len(copies) == 1 and copies[0]["sip.Call-ID"][0] not in acked_calls],
                        "no lone unACKed 2xx: regenerate the capture")
        hits = {int(r["frame.number"][0]): r["sipresp.rule"] for r in rows if r["sipresp.rule"]}
        self.assertEqual(sorted(hits), flagged)
        for frame, rule in hits.items():
            self.assertEqual(rule, ["invite-2xx-not-acked"], "frame %d" % frame)
        # later copies on a leg point at that leg's first, never the other way
        for first, (_, copies) in expected.items():
            self.assertEqual(copies[0]["sipresp.copy_of"], [])
            for c in copies[1:]:
                self.assertEqual(c["sipresp.copy_of"], [first], "frame %s" % c["frame.number"][0])
        assert_every_2xx_3xx_paired(self, rows)

    def test_a_single_pass_finds_nothing(self):
        # the rule sits on a 2xx's first copy, printed before any later copy
        # or ACK is read; nothing else in these calls breaks a rule
        self.assertEqual(fields(LOSSY, ["sipresp.rule"], "sipresp.rule"), [])
        self.assertNotIn("Errors", tshark("-r", LOSSY, "-2", "-q", "-z", "expert,sipresp"))


class RealStability(unittest.TestCase):
    def test_same_fields_on_first_pass_and_with_two_passes(self):
        for capture in (CLEAN, BROKEN, TCP, LOST_ACK, DIALOG, COMPACT, FORK, NEWLEG, BARESIP, SIPSAK, IPV6, NETSIP, TWINKLE,
                        SIPVICIOUS, LINPHONE, GRUU, JAMI, JAMIFORK, TRANSFER, PRESENCE, PRACK, QUERY, LOSSY,
                        TCP_LOSS):
            with self.subTest(capture=capture):
                self.assertEqual(fields(capture, NAMES), without_forward(fields(capture, NAMES, two_pass=True)))

    def test_output_does_not_depend_on_the_table_key_seed(self):
        # The tables' keys start from a seed chosen per process (key_hash.h);
        # what a response is paired with, which copy is first, which fork
        # an ACK is for must not depend on how the tables are laid out.
        for capture in (CLEAN, BROKEN, TCP, pcap("handmade/calls.pcap"), pcap("handmade/rules.pcap"), TCP_LOSS):
            with self.subTest(capture=capture):
                runs = [tshark("-r", capture, "-2", "-V", env={"SIPRESP_KEY_SEED": seed})
                        for seed in ("1", "0x9e3779b97f4a7c15")]
                self.assertTrue("SIP Response Analysis" in runs[0], "sipresp shows nothing")
                self.assertEqual(runs[0], runs[1])

    def test_sip_dissector_output_unchanged_by_the_plugin(self):
        for capture in (CLEAN, BROKEN, TCP, DIALOG, COMPACT, FORK, NEWLEG, BARESIP, SIPSAK, IPV6, NETSIP, TWINKLE,
                        SIPVICIOUS, LINPHONE, GRUU, JAMI, JAMIFORK, TRANSFER, PRESENCE, PRACK, QUERY, LOSSY,
                        TCP_LOSS):
            with self.subTest(capture=capture):
                with_plugin = strip_sipresp(tshark("-r", capture, "-T", "pdml"))
                without = tshark("-r", capture, "-T", "pdml", "--disable-protocol", "sipresp")
                self.assertEqual(with_plugin, strip_sipresp(without))


class TcpLossRealTraffic(unittest.TestCase):
    """SIPp's uac and uas over one TCP connection through a router that
    drops what overflows its links, captured at the callee
    (pcaps/make_tcp_loss.sh): the kernel's TCP sends segments again, and
    SIPp itself sends nothing twice over TCP. What must hold is read off
    the TCP streams themselves (each direction's bytes put in order by
    sequence number, each place once), not from SIP's or sipresp's fields:
    every 200 to INVITE in the callee's stream has its ACK in the caller's,
    so no rule may fire, with Wireshark's default preferences (where a
    segment whose first copy was lost before the capture point is a "TCP
    Retransmission" that no dissector sees, the ACK in it too) or with
    tcp.analyze_sequence_numbers off (where TCP's resends reach SIP)."""

    SEQ_OFF = ["-o", "tcp.analyze_sequence_numbers:FALSE"]
    CALL_ID = re.compile(r"^(?:Call-ID|i)\s*:\s*(\S+)", re.I | re.M)

    @classmethod
    def setUpClass(cls):
        # each direction's segments by place: the stream as sent, once
        rows = fields(TCP_LOSS, ["frame.number", "ip.src", "tcp.seq_raw", "tcp.payload"], "tcp.len > 0",
                      extra=["-o", "tcp.desegment_tcp_streams:FALSE"] + cls.SEQ_OFF)
        segments = {}
        cls.copies = {}  # (direction, place) -> the payloads of the segments that start there
        for r in rows:
            data = bytes.fromhex(r["tcp.payload"][0].replace(":", ""))
            place = int(r["tcp.seq_raw"][0])
            segments.setdefault(r["ip.src"][0], {})[place] = data
            cls.copies.setdefault((r["ip.src"][0], place), []).append(data)
        cls.streams = {}
        cls.bases = {src: min(parts) for src, parts in segments.items()}  # the place of each stream's first byte
        for src, parts in segments.items():
            text, end = b"", None
            for place in sorted(parts):
                data = parts[place]
                if end is not None and place < end:
                    data = data[end - place:]  # (a resend that overlaps what is there)
                text += data
                end = place + len(parts[place]) if end is None else max(end, place + len(parts[place]))
            cls.streams[src] = text.decode("latin-1")

    CONTENT_LENGTH = re.compile(r"^(?:Content-Length|l)\s*:\s*(\d+)", re.I | re.M)

    def messages(self, src):
        """(start line, Call-ID) of each message in a direction's stream,
        each header section followed by its Content-Length's body"""
        found, text, at = [], self.streams[src], 0
        while True:
            end = text.find("\r\n\r\n", at)
            if end < 0:
                return found
            head = text[at:end]
            length = self.CONTENT_LENGTH.search(head)
            call = self.CALL_ID.search(head)
            found.append((head.split("\r\n", 1)[0], call.group(1) if call else None))
            at = end + 4 + (int(length.group(1)) if length else 0)

    def request_places(self, src):
        """[first place, end place) of each request in a direction's stream"""
        found, text, at = [], self.streams[src], 0
        while True:
            end = text.find("\r\n\r\n", at)
            if end < 0:
                return found
            length = self.CONTENT_LENGTH.search(text[at:end])
            after = end + 4 + (int(length.group(1)) if length else 0)
            if not text.startswith("SIP/2.0 ", at):
                found.append((self.bases[src] + at, self.bases[src] + after))
            at = after

    def test_the_capture_holds_the_cases(self):
        oks = {c for line, c in self.messages("192.0.2.140") if line.startswith("SIP/2.0 200")}
        acks = {c for line, c in self.messages("192.0.2.10") if line.startswith("ACK ")}
        self.assertGreaterEqual(len(oks), 30, "regenerate the capture: too few calls answered")
        self.assertEqual(oks - acks, set(), "every answered call's ACK is in the caller's stream")
        # an ACK whose only copy Wireshark hides (a retransmission to it,
        # which no dissector sees, with the default preferences), and a
        # 200 whose segment TCP sent again (which Wireshark 4.0 and 4.4 show
        # to SIP as a fast retransmission, and 4.6 does not)
        plain = fields(TCP_LOSS, ["frame.number", "sip.Method", "tcp.analysis.retransmission", "sip.Status-Code"],
                       "tcp.len > 0")
        hidden = [r for r in plain if r["tcp.analysis.retransmission"] and not r["sip.Method"]
                  and not r["sip.Status-Code"]]
        self.assertTrue(any(b"ACK sip:" in self.segment_bytes(int(r["frame.number"][0])) for r in hidden),
                        "regenerate the capture: no ACK only in a hidden segment")
        self.assertTrue(any(len(payloads) > 1 and any(b"SIP/2.0 200" in p for p in payloads)
                            for (src, _), payloads in self.copies.items() if src == "192.0.2.140"),
                        "regenerate the capture: no 200 whose segment TCP sent again")

    def segment_bytes(self, frame):
        rows = fields(TCP_LOSS, ["tcp.payload"], "frame.number == %d" % frame,
                      extra=["-o", "tcp.desegment_tcp_streams:FALSE"])
        return bytes.fromhex(rows[0]["tcp.payload"][0].replace(":", ""))

    def test_no_rule_and_every_200_acked_in_a_frame_holding_its_ack(self):
        names = ["frame.number", "sipresp.status_code", "sipresp.rule", "sipresp.copy_of", "sipresp.tcp_resend_of",
                 "sipresp.ack_frame"]
        answered = {c for line, c in self.messages("192.0.2.140") if line.startswith("SIP/2.0 200")}
        for extra in ([], self.SEQ_OFF):
            for two_pass in (False, True):
                with self.subTest(extra=extra, two_pass=two_pass):
                    rows = fields(TCP_LOSS, names, "sipresp", two_pass=two_pass, extra=extra)
                    self.assertEqual([r["frame.number"] for r in rows if r["sipresp.rule"]], [])
                    if not two_pass:
                        continue
                    # SIPp never sends a message twice over TCP: every copy is TCP's
                    copies = [r for r in rows if r["sipresp.copy_of"]]
                    self.assertEqual([r["frame.number"] for r in copies
                                      if len(r["sipresp.tcp_resend_of"]) != len(r["sipresp.copy_of"])], [])
                    # each answered call's 200 (its first copy) names its
                    # ACK, in a frame whose segment holds an ACK
                    named = [int(a) for r in rows if not r["sipresp.copy_of"] for a in r["sipresp.ack_frame"]]
                    if not extra:
                        self.assertEqual(len(named), len(answered))
                    else:
                        # (with sequence analysis off, TCP reassembly takes a
                        # resend that ends mid-message for the start of a
                        # message and hands a later segment to no dissector:
                        # a 200 SIP does not show has nothing of sipresp's)
                        self.assertGreaterEqual(len(named), len(answered) - 3)
                    for ack in set(named):
                        self.assertIn(b"ACK sip:", self.segment_bytes(ack), ack)

    START_LINE = re.compile(rb"(?:^|(?<=\n))(?:[A-Z]+ sips?:[^ \r\n]+ SIP/2\.0\r\n|SIP/2\.0 \d{3} )")

    def test_a_message_cut_by_a_lost_segment_is_a_start_never_unreadable(self):
        # Segments lost before the capture point leave the last message of
        # some frames without its end (frame 199: its rest is in a resend).
        # Nothing in the capture is broken: no note calls a message
        # unreadable; the start is shown where it begins, the last start
        # line of the segment's payload, and named by that line.
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                self.assertEqual(fields(TCP_LOSS, ["frame.number"], "sipresp.unreadable", two_pass=two_pass), [])
        pdml = tshark("-r", TCP_LOSS, "-2", "-T", "pdml", "-Y", "sipresp.tcp_first_segment")
        starts = re.findall(r'<field name="frame.number" [^>]*show="(\d+)"/>|'
                            r'<field name="sipresp.tcp_first_segment" [^>]*pos="(\d+)" show="([^"]*)"', pdml)
        cut, frame = {}, None
        for number, pos, line in starts:
            if number:
                frame = int(number)
            else:
                cut.setdefault(frame, []).append((line, int(pos)))
        self.assertTrue(cut, "regenerate the capture: no message cut by a lost segment")
        for frame, found in cut.items():
            payload = self.segment_bytes(frame)
            length = int(fields(TCP_LOSS, ["frame.len"], "frame.number == %d" % frame)[0]["frame.len"][0])
            last = [m.start() for m in self.START_LINE.finditer(payload)][-1]
            line = payload[last:payload.index(b"\r\n", last)] if b"\r\n" in payload[last:] else payload[last:]
            self.assertEqual(found, [(line.decode(), length - len(payload) + last)], frame)

    def test_every_response_finds_its_request_even_split_over_a_hidden_segment(self):
        # Every request is in the caller's stream (test_the_capture_holds_the_cases
        # reads them there), so with the default preferences every response
        # names its request: also one whose segments Wireshark never put
        # together, its start in one segment and its rest in a resend it
        # hides (or both parts in such resends). The capture must hold one.
        names = ["frame.number", "sipresp.request_frame", "sipresp.request_missing", "sipresp.copy_of"]
        for two_pass in (False, True):
            with self.subTest(two_pass=two_pass):
                rows = fields(TCP_LOSS, names, "sipresp.status_code", two_pass=two_pass)
                self.assertEqual([r["frame.number"] for r in rows if r["sipresp.request_missing"]], [])
                self.assertEqual([r["frame.number"] for r in rows if not r["sipresp.request_frame"]], [])
        plain = fields(TCP_LOSS, ["frame.number", "ip.src", "sip.Method", "sip.Status-Code"], "tcp.len > 0")
        hidden = {int(r["frame.number"][0]) for r in plain if not r["sip.Method"] and not r["sip.Status-Code"]}
        caller = {int(r["frame.number"][0]) for r in plain if r["ip.src"] == ["192.0.2.10"]}
        named = {int(f) for r in rows for f in r["sipresp.request_frame"]}
        self.assertEqual(named - caller, set(), "a request frame the caller did not send")
        # a named frame Wireshark hid, which holds part of a request whose
        # other part is in another segment: the request is read there only
        # because sipresp joined the two (4.0 and 4.4: the BYE begun in frame
        # 199 and ended in 210; 4.6: an INVITE begun in 237, ended in 227)
        segments = {int(r["frame.number"][0]): r for r in fields(
            TCP_LOSS, ["frame.number", "tcp.seq_raw", "tcp.len"], "tcp.len > 0 && ip.src == 192.0.2.10")}
        requests = self.request_places("192.0.2.10")

        def split_there(frame):
            first = int(segments[frame]["tcp.seq_raw"][0])
            end = first + int(segments[frame]["tcp.len"][0])
            return any(start < end and stop > first and (start < first or stop > end) for start, stop in requests)

        self.assertTrue([f for f in named & hidden if split_there(f)],
                        "no request named in a hidden segment that holds only part of it")

    def test_a_message_cut_by_a_lost_segment_names_the_resend_holding_its_rest(self):
        # On a later pass the note on such a message names the segment that
        # goes on from where its frame's segment ends (its sequence number is
        # the first's plus its length) when Wireshark hid that segment (a
        # resend: 4.0 and 4.4 hide frame 210; 4.6 hands it to SIP, which
        # then shows the message whole there, and the note names nothing)
        text = tshark("-r", TCP_LOSS, "-2", "-V", "-O", "sipresp", "-Y", "sipresp.tcp_first_segment")
        blocks = re.split(r"^Frame (\d+):", text, flags=re.M)[1:]
        line = (r"Read whole in frame (\d+) \(a TCP segment Wireshark shows no SIP in; sipresp read it\), "
                r"where it counts for call tracking")
        named = {int(frame): [int(f) for f in re.findall(line, block)]
                 for frame, block in zip(blocks[::2], blocks[1::2])}
        # and the field says the same
        rows = fields(TCP_LOSS, ["frame.number", "sipresp.whole_in"], "sipresp.tcp_first_segment", two_pass=True)
        self.assertEqual({int(r["frame.number"][0]): [int(f) for f in r["sipresp.whole_in"]] for r in rows}, named)
        self.assertTrue(named, "regenerate the capture: no message cut by a lost segment")
        plain = {int(r["frame.number"][0]): r
                 for r in fields(TCP_LOSS, ["frame.number", "ip.src", "tcp.seq_raw", "tcp.len", "sip.Method",
                                            "sip.Status-Code"], "tcp.len > 0")}
        for cut, rests in named.items():
            with self.subTest(cut=cut):
                end = (int(plain[cut]["tcp.seq_raw"][0]) + int(plain[cut]["tcp.len"][0])) % 2 ** 32
                after = [f for f in sorted(plain) if f > cut and plain[f]["ip.src"] == plain[cut]["ip.src"]
                         and int(plain[f]["tcp.seq_raw"][0]) == end]
                hidden = [f for f in after[:1] if not plain[f]["sip.Method"] + plain[f]["sip.Status-Code"]]
                self.assertEqual(rests, hidden)
        # a single pass cannot know yet, and says only what it can
        single = tshark("-r", TCP_LOSS, "-V", "-O", "sipresp", "-Y", "sipresp.tcp_first_segment")
        self.assertIn("First part of: ", single)
        self.assertNotIn("Read whole in frame", single)

    ACK_LINE = re.compile(r"\[ACK in frame (\d+)( \(a TCP segment Wireshark shows no SIP in; sipresp read it\))?, ")

    def test_an_ack_only_in_a_hidden_segment_says_so(self):
        # Whoever follows "ACK in frame N" to a frame Wireshark shows as TCP
        # alone must be told why no SIP is there: the mark goes with exactly
        # the frames where SIP shows nothing (default preferences)
        plain = fields(TCP_LOSS, ["frame.number", "sip.Method", "sip.Status-Code"], "tcp.len > 0")
        no_sip = {int(r["frame.number"][0]) for r in plain if not r["sip.Method"] and not r["sip.Status-Code"]}
        lines = self.ACK_LINE.findall(tshark("-r", TCP_LOSS, "-2", "-V", "-Y", "sipresp.ack_frame"))
        self.assertGreaterEqual(len(lines), 40)
        marked = {int(frame) for frame, mark in lines if mark}
        unmarked = {int(frame) for frame, mark in lines if not mark}
        self.assertEqual(marked - no_sip, set())
        self.assertEqual(unmarked & no_sip, set())
        self.assertTrue(marked, "regenerate the capture: no ACK only in a hidden segment")
        # and a filter finds them: sipresp.ack_hidden on exactly those 2xx
        rows = fields(TCP_LOSS, ["sipresp.ack_frame", "sipresp.ack_hidden"], "sipresp.ack_frame", two_pass=True)
        flagged = {int(r["sipresp.ack_frame"][0]) for r in rows if r["sipresp.ack_hidden"]}
        self.assertEqual(flagged, marked)
        self.assertEqual([r["sipresp.ack_hidden"] for r in rows if int(r["sipresp.ack_frame"][0]) not in no_sip],
                         [[] for r in rows if int(r["sipresp.ack_frame"][0]) not in no_sip])


if __name__ == "__main__":
    unittest.main(verbosity=2)
