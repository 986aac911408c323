#!/usr/bin/perl
# A caller built from Net::SIP (Debian package libnet-sip-perl): calls TO
# through PROXY from 127.0.0.1:5095, waits for the final answer, hangs up a
# second later. Net::SIP follows a 302 itself, in the same call (the next
# CSeq), to the Contact's URI (pcaps/make_real.sh, netsip).
#   perl netsip_call.pl 127.0.0.1:5060 sip:temporary@127.0.0.1
use strict;
use warnings;
use Net::SIP;

my ($proxy, $to) = @ARGV;
my $ua = Net::SIP::Simple->new(from => 'sip:carl@127.0.0.1', outgoing_proxy => $proxy, leg => '127.0.0.1:5095');
my $final;
my $call = $ua->invite($to, cb_final => sub { $final = shift }) or die "no INVITE sent: " . $ua->error . "\n";
$ua->loop(10, \$final);
die "no final answer\n" unless defined $final;
$ua->loop(1);
my $hung_up;
$call->bye(cb_final => sub { $hung_up = 1 });
$ua->loop(5, \$hung_up);
