/* Two Sofia-SIP user agents (libsofia-sip-ua, the SIP stack of FreeSWITCH)
 * for pcaps/make_real.sh, on loopback with the lab's kamailio on 5060.
 *
 * frank (port 5093) registers with kamailio. He answers an INVITE sent
 * straight to him with a 302 that Sofia builds (two Contacts with q, an
 * Expires header), and one that came through the proxy with a 200. At the
 * end he removes his registration.
 * gina (port 5094) calls each URI given on the command line in turn, with
 * Sofia's own redirect handling on (NUTAG_AUTO302, NUTAG_AUTO305): what
 * Sofia does with a 3xx is Sofia's, not this program's. A call that is
 * answered is hung up after 200 ms.
 *
 * Usage: sofia_calls URI...   (exit 0 when every call ended one way or
 * another; a line per final response on stderr)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>

static su_root_t *root;
static nua_t *frank, *gina;
static nua_handle_t *frank_reg, *call;
static su_timer_t *timer;
static char **targets;
static int target_count, next_target, shutting_down, agents_left = 2;

static const char sdp[] =
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
    "t=0 0\r\nm=audio 8300 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

static void after(su_duration_t ms, su_timer_f f);

static void finish(su_root_magic_t *m, su_timer_t *t, su_timer_arg_t *a) {
    (void)m; (void)t; (void)a;
    shutting_down = 1;
    nua_shutdown(frank);
    nua_shutdown(gina);
}

static void unregister(su_root_magic_t *m, su_timer_t *t, su_timer_arg_t *a) {
    (void)m; (void)t; (void)a;
    nua_unregister(frank_reg, TAG_END());
}

static void place_next_call(su_root_magic_t *m, su_timer_t *t, su_timer_arg_t *a) {
    (void)m; (void)t; (void)a;
    if (next_target == target_count) {
        after(100, unregister);
        return;
    }
    const char *to = targets[next_target++];
    call = nua_handle(gina, NULL, SIPTAG_TO_STR(to), TAG_END());
    nua_invite(call, NUTAG_URL(to), SIPTAG_CONTENT_TYPE_STR("application/sdp"), SIPTAG_PAYLOAD_STR(sdp),
               TAG_END());
}

static void hang_up(su_root_magic_t *m, su_timer_t *t, su_timer_arg_t *a) {
    (void)m; (void)t; (void)a;
    nua_bye(call, TAG_END());
}

static void after(su_duration_t ms, su_timer_f f) {
    su_timer_set_interval(timer, f, NULL, ms);
}

static void call_over(void) {
    nua_handle_destroy(call);
    call = NULL;
    after(100, place_next_call);
}

static void on_event(nua_event_t event, int status, char const *phrase, nua_t *nua, nua_magic_t *magic,
                     nua_handle_t *nh, nua_hmagic_t *hmagic, sip_t const *sip, tagi_t tags[]) {
    (void)magic; (void)hmagic; (void)sip; (void)tags;
    const char *who = nua == frank ? "frank" : "gina";
    if (status >= 200) fprintf(stderr, "%s: %s %d %s\n", who, nua_event_name(event), status, phrase);
    switch (event) {
    case nua_r_register:
        if (status >= 200 && status < 300 && nh == frank_reg && !shutting_down) after(100, place_next_call);
        break;
    case nua_r_unregister:
        if (status >= 200) after(100, finish);
        break;
    case nua_i_invite:
        /* frank: a call straight to him goes elsewhere; one through the
         * proxy (a second Via) he answers, so that the two Sofia UAs hold a
         * record-routed dialog */
        if (sip && sip->sip_via && sip->sip_via->v_next)
            nua_respond(nh, 200, "OK", NUTAG_WITH_THIS(nua), SIPTAG_CONTENT_TYPE_STR("application/sdp"),
                        SIPTAG_PAYLOAD_STR(sdp), TAG_END());
        else
            nua_respond(nh, 302, "Moved Temporarily", NUTAG_WITH_THIS(nua),
                        SIPTAG_CONTACT_STR("<sip:bob@127.0.0.1:5070>;q=0.9, <sip:bob@127.0.0.1:5071>;q=0.5"),
                        SIPTAG_EXPIRES_STR("60"), TAG_END());
        break;
    case nua_i_state:
        if (nua == frank) {
            int state = 0;
            tl_gets(tags, NUTAG_CALLSTATE_REF(state), TAG_END());
            if (state == nua_callstate_terminated) nua_handle_destroy(nh);
        }
        break;
    case nua_r_invite:
        if (nh != call || status < 200) break;
        if (status < 300) after(200, hang_up);
        else call_over();
        break;
    case nua_r_bye:
        if (nh == call && status >= 200) call_over();
        break;
    case nua_r_shutdown:
        if (status >= 200 && --agents_left == 0) su_root_break(root);
        break;
    default:
        break;
    }
}

int main(int argc, char **argv) {
    targets = argv + 1;
    target_count = argc - 1;
    su_init();
    root = su_root_create(NULL);
    timer = su_timer_create(su_root_task(root), 0);
    frank = nua_create(root, on_event, NULL, NUTAG_URL("sip:127.0.0.1:5093"), TAG_END());
    gina = nua_create(root, on_event, NULL, NUTAG_URL("sip:127.0.0.1:5094"), TAG_END());
    if (!frank || !gina) {
        fprintf(stderr, "sofia_calls: cannot open ports 5093 and 5094\n");
        return 1;
    }
    nua_set_params(frank, NUTAG_AUTOALERT(0), NUTAG_AUTOANSWER(0), NUTAG_MEDIA_ENABLE(0), TAG_END());
    nua_set_params(gina, NUTAG_MEDIA_ENABLE(0), NUTAG_AUTO302(1), NUTAG_AUTO305(1), TAG_END());
    frank_reg = nua_handle(frank, NULL, SIPTAG_TO_STR("sip:frank@127.0.0.1"), TAG_END());
    nua_register(frank_reg, NUTAG_REGISTRAR("sip:127.0.0.1:5060"), SIPTAG_FROM_STR("sip:frank@127.0.0.1"),
                 SIPTAG_EXPIRES_STR("600"), TAG_END());
    su_root_run(root);
    nua_destroy(frank);
    nua_destroy(gina);
    su_timer_destroy(timer);
    su_root_destroy(root);
    su_deinit();
    return 0;
}
