#!/usr/bin/perl
# A registrar and redirect server built from Net::SIP (Debian package
# libnet-sip-perl), another SIP stack than kamailio's: REGISTER is stored,
# any other request for a registered address of record is answered with a
# 302 listing its bindings (pcaps/make_real.sh, netsip).
#   perl netsip_redirect.pl 127.0.0.1:5062
use strict;
use warnings;
use Net::SIP qw(:alias);

my $loop = Dispatcher_Eventloop->new;
my $disp = Dispatcher->new([Leg->new(addr => $ARGV[0] || '127.0.0.1:5062')], $loop);
my $registrar = Registrar->new(dispatcher => $disp);
my $redirect = Redirect->new(dispatcher => $disp, registrar => $registrar);
# the redirect answers first; REGISTER passes it on to the registrar
$disp->set_receiver(ReceiveChain->new([$redirect, $registrar]));
$loop->loop;
