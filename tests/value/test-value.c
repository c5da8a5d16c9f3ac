/* test-value.c — every property's value syntax: good values and their
 * canonical text, bad values and their messages, print → parse round trips
 * and the limits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include "pal-value-private.h"

typedef struct
{
  PalProperty property;
  const char *text;
  const char *canonical;   /* what pal_value_print() gives */
} Good;

typedef struct
{
  PalProperty property;
  const char *text;
  const char *message;     /* a part of the message, or NULL */
} Bad;

static const Good good_values[] = {
  { PAL_PROPERTY_ANY, "", "" },
  { PAL_PROPERTY_ANY, "   ", "" },

  { PAL_PROPERTY_DIRECTION, "in", "in" },
  { PAL_PROPERTY_DIRECTION, "OUT , In", "in, out" },
  { PAL_PROPERTY_DIRECTION, "forward,in,out", "in, out, forward" },

  { PAL_PROPERTY_INTERFACE, "eth0", "eth0" },
  { PAL_PROPERTY_INTERFACE, "wlan*, External,internal", "wlan*, external, internal" },
  { PAL_PROPERTY_INTERFACE, "enp0s31f6", "enp0s31f6" },
  { PAL_PROPERTY_INTERFACE, "abcdefghijklmno", "abcdefghijklmno" },
  { PAL_PROPERTY_INTERFACE, "br-lan.10", "br-lan.10" },
  { PAL_PROPERTY_INTERFACE, "Eth0", "Eth0" },

  { PAL_PROPERTY_IP_VERSION, "4", "4" },
  { PAL_PROPERTY_IP_VERSION, " 6 ", "6" },
  { PAL_PROPERTY_IP_VERSION, "IPv6", "6" },

  { PAL_PROPERTY_SOURCE_ADDRESS, "1.2.3.4", "1.2.3.4" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.0/8", "10.0.0.0/8" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "0.0.0.0/0", "0.0.0.0/0" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.1/32", "10.0.0.1/32" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.1-10.0.0.9", "10.0.0.1-10.0.0.9" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.1 - 10.0.0.9", "10.0.0.1-10.0.0.9" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.5-10.0.0.5", "10.0.0.5" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.1,10.0.0.2 ,  10.0.0.3", "10.0.0.1, 10.0.0.2, 10.0.0.3" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "::", "::" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "::1", "::1" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "0:0:0:0:0:0:0:1", "::1" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "::ffff:10.0.0.1", "::ffff:10.0.0.1" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "2001:DB8::/32", "2001:db8::/32" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "fe80::1-fe80::ff", "fe80::1-fe80::ff" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "::/0", "::/0" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "fe80::/10, 10.0.0.0/8, ::1", "fe80::/10, 10.0.0.0/8, ::1" },
  { PAL_PROPERTY_DESTINATION_ADDRESS, "192.168.1.0/24,2001:db8::1", "192.168.1.0/24, 2001:db8::1" },

  { PAL_PROPERTY_SOURCE_MAC, "00:11:22:AA:bb:cc", "00:11:22:aa:bb:cc" },
  { PAL_PROPERTY_DESTINATION_MAC, "00-11-22-aa-bb-cc, ff:ff:ff:ff:ff:ff",
    "00:11:22:aa:bb:cc, ff:ff:ff:ff:ff:ff" },

  { PAL_PROPERTY_PROTOCOL, "tcp", "tcp" },
  { PAL_PROPERTY_PROTOCOL, "TCP, udp,icmp, icmpv6", "tcp, udp, icmp, icmpv6" },
  { PAL_PROPERTY_PROTOCOL, "6", "tcp" },
  { PAL_PROPERTY_PROTOCOL, "sctp, udplite, gre, esp, ah, igmp", "sctp, udplite, gre, esp, ah, igmp" },
  { PAL_PROPERTY_PROTOCOL, "0, 255, 253", "0, raw, 253" },
  { PAL_PROPERTY_PROTOCOL, "ipv6-icmp", "icmpv6" },
  { PAL_PROPERTY_PROTOCOL, "1-6", "1-6" },

  { PAL_PROPERTY_SOURCE_PORT, "22", "22" },
  { PAL_PROPERTY_SOURCE_PORT, "1024-65535", "1024-65535" },
  { PAL_PROPERTY_SOURCE_PORT, "0", "0" },
  { PAL_PROPERTY_DESTINATION_PORT, "ssh, HTTP,https", "22, 80, 443" },
  { PAL_PROPERTY_DESTINATION_PORT, "netbios-ns-netbios-ssn", "137-139" },
  { PAL_PROPERTY_DESTINATION_PORT, "netbios-ns", "137" },
  { PAL_PROPERTY_DESTINATION_PORT, "8000 - 8080, http-alt", "8000-8080, 8080" },
  { PAL_PROPERTY_DESTINATION_PORT, "ssh-80", "22-80" },
  { PAL_PROPERTY_DESTINATION_PORT, "5-5", "5" },

  { PAL_PROPERTY_ICMP_TYPE, "echo-request", "echo-request" },
  { PAL_PROPERTY_ICMP_TYPE, "8", "echo-request" },
  { PAL_PROPERTY_ICMP_TYPE, "3/4", "destination-unreachable/frag-needed" },
  { PAL_PROPERTY_ICMP_TYPE, "Destination-Unreachable/Port-Unreachable",
    "destination-unreachable/port-unreachable" },
  { PAL_PROPERTY_ICMP_TYPE, "destination-unreachable/host-unreachable, 3/0, 3/2, 3/13, 3/5",
    "destination-unreachable/host-unreachable, destination-unreachable/net-unreachable, "
    "destination-unreachable/prot-unreachable, destination-unreachable/admin-prohibited, "
    "destination-unreachable/5" },
  { PAL_PROPERTY_ICMP_TYPE, "time-exceeded, parameter-problem/0, 200, 11/1",
    "time-exceeded, parameter-problem/0, 200, time-exceeded/1" },
  { PAL_PROPERTY_ICMPV6_TYPE, "echo-request", "echo-request" },
  { PAL_PROPERTY_ICMPV6_TYPE, "nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, "
    "nd-router-advert", "nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, "
    "nd-router-advert" },
  { PAL_PROPERTY_ICMPV6_TYPE, "135", "nd-neighbor-solicit" },
  { PAL_PROPERTY_ICMPV6_TYPE, "1/4", "destination-unreachable/port-unreachable" },
  { PAL_PROPERTY_ICMPV6_TYPE, "packet-too-big, time-exceeded, parameter-problem, "
    "mld-listener-query", "packet-too-big, time-exceeded, parameter-problem, mld-listener-query" },
  { PAL_PROPERTY_ICMPV6_TYPE, "mld-listener-reduction", "mld-listener-done" },
  { PAL_PROPERTY_ICMPV6_TYPE, "destination-unreachable/no-route, 1/admin-prohibited",
    "destination-unreachable/no-route, destination-unreachable/admin-prohibited" },

  { PAL_PROPERTY_TCP_FLAGS, "syn,-ack", "syn, -ack" },
  { PAL_PROPERTY_TCP_FLAGS, "-ACK , SYN", "syn, -ack" },
  { PAL_PROPERTY_TCP_FLAGS, "fin, syn, rst, psh, ack, urg, ece, cwr",
    "fin, syn, rst, psh, ack, urg, ece, cwr" },
  { PAL_PROPERTY_TCP_FLAGS, "-fin,-syn", "-fin, -syn" },

  { PAL_PROPERTY_TCP_OPTION, "mss", "mss" },
  { PAL_PROPERTY_TCP_OPTION, "timestamp, sack-perm, window, sack",
    "window, sack-permitted, sack, timestamp" },

  { PAL_PROPERTY_IP_OPTION, "lsrr, ssrr", "lsrr, ssrr" },
  { PAL_PROPERTY_IP_OPTION, "RA,rr", "rr, ra" },

  { PAL_PROPERTY_FRAGMENT, "any", "any" },
  { PAL_PROPERTY_FRAGMENT, "first", "first" },
  { PAL_PROPERTY_FRAGMENT, "Not-First", "not-first" },
  { PAL_PROPERTY_FRAGMENT, "tiny", "tiny" },

  { PAL_PROPERTY_CONNECTION_STATE, "established, related", "established, related" },
  { PAL_PROPERTY_CONNECTION_STATE, "untracked,invalid,new", "new, invalid, untracked" },

  { PAL_PROPERTY_LISTED_IN, "triggered", "triggered" },
  { PAL_PROPERTY_LISTED_IN, "Trusted", "trusted" },
  { PAL_PROPERTY_LISTED_IN, "authorized", "authorized" },
  { PAL_PROPERTY_LISTED_IN, "kept", "kept" },

  { PAL_PROPERTY_SERVICE, "sshd.service", "sshd.service" },
  { PAL_PROPERTY_SERVICE, "app-foo.slice", "app-foo.slice" },
  { PAL_PROPERTY_SERVICE, "user@1000.service/app.slice", "user@1000.service/app.slice" },
  { PAL_PROPERTY_SERVICE, "user.slice/user-1000.slice", "user.slice/user-1000.slice" },
  { PAL_PROPERTY_SERVICE, "session-2.scope", "session-2.scope" },
  { PAL_PROPERTY_SERVICE, "systemd-fsck@dev-disk-by\\x2duuid-1.service",
    "systemd-fsck@dev-disk-by\\x2duuid-1.service" },

  { PAL_PROPERTY_USER, "root", "0" },
  { PAL_PROPERTY_USER, "1000", "1000" },
  { PAL_PROPERTY_USER, "1000-1999, root", "1000-1999, 0" },
  { PAL_PROPERTY_USER, "ROOT", "0" },
  { PAL_PROPERTY_USER, "4294967294", "4294967294" },

  { PAL_PROPERTY_TIME_OF_DAY, "08:00-17:30", "08:00-17:30" },
  { PAL_PROPERTY_TIME_OF_DAY, "8:00 - 9:05", "08:00-09:05" },
  { PAL_PROPERTY_TIME_OF_DAY, "22:00-06:00", "22:00-06:00" },
  { PAL_PROPERTY_TIME_OF_DAY, "00:00-23:59", "00:00-23:59" },

  { PAL_PROPERTY_DAY_OF_WEEK, "mon", "mon" },
  { PAL_PROPERTY_DAY_OF_WEEK, "mon-fri", "mon-fri" },
  { PAL_PROPERTY_DAY_OF_WEEK, "sat,sun", "sat, sun" },
  { PAL_PROPERTY_DAY_OF_WEEK, "Sunday, MONDAY, tue", "mon, tue, sun" },
  { PAL_PROPERTY_DAY_OF_WEEK, "mon-sun", "mon-sun" },
  { PAL_PROPERTY_DAY_OF_WEEK, "fri-mon", "mon, fri-sun" },
  { PAL_PROPERTY_DAY_OF_WEEK, "mon, wed, fri", "mon, wed, fri" },
  { PAL_PROPERTY_DAY_OF_WEEK, "tue-wed", "tue, wed" },
  { PAL_PROPERTY_DAY_OF_WEEK, "thursday-saturday", "thu-sat" },

  { PAL_PROPERTY_DATE_TIME, "2026-01-01 to 2026-12-31T18:00", "2026-01-01 to 2026-12-31T18:00" },
  { PAL_PROPERTY_DATE_TIME, "2026-01-01t08:30  TO  2026-01-01", "2026-01-01T08:30 to 2026-01-01" },
  { PAL_PROPERTY_DATE_TIME, "2026-03-01T00:00 to 2026-03-02T00:00",
    "2026-03-01 to 2026-03-02T00:00" },
  { PAL_PROPERTY_DATE_TIME, "2024-02-29 to 2024-02-29", "2024-02-29 to 2024-02-29" },
  /* Days of 23 and 25 hours where the zone has daylight saving time. */
  { PAL_PROPERTY_DATE_TIME, "2026-03-29 to 2026-03-29", "2026-03-29 to 2026-03-29" },
  { PAL_PROPERTY_DATE_TIME, "2026-10-25T02:30 to 2026-10-25", "2026-10-25T02:30 to 2026-10-25" },

  { PAL_PROPERTY_PACKET_LENGTH, "64", "64" },
  { PAL_PROPERTY_PACKET_LENGTH, "0-128, 1500-65535", "0-128, 1500-65535" },
};

static const Bad bad_values[] = {
  { PAL_PROPERTY_ANY, "x", "takes no value" },

  { PAL_PROPERTY_DIRECTION, "", "empty" },
  { PAL_PROPERTY_DIRECTION, "up", "\"up\" is not a direction; write in, out or forward." },
  { PAL_PROPERTY_DIRECTION, "in,in", "\"in\" is listed twice" },
  { PAL_PROPERTY_DIRECTION, "in,", "ends with a comma" },
  { PAL_PROPERTY_DIRECTION, "in,,out", "empty item" },
  { PAL_PROPERTY_DIRECTION, ",in", "empty item" },
  { PAL_PROPERTY_DIRECTION, "in, \xff", "not valid UTF-8" },

  { PAL_PROPERTY_INTERFACE, "abcdefghijklmnop", "too long for an interface name" },
  { PAL_PROPERTY_INTERFACE, "eth/0", "\"eth/0\" is not an interface name" },
  { PAL_PROPERTY_INTERFACE, "eth 0", "\"eth 0\" is not an interface name" },
  { PAL_PROPERTY_INTERFACE, "e*th", "\"e*th\" is not an interface name" },
  { PAL_PROPERTY_INTERFACE, "*", "every interface" },
  { PAL_PROPERTY_INTERFACE, "eth0:1", "not an interface name" },
  { PAL_PROPERTY_INTERFACE, "..", "not an interface name" },
  { PAL_PROPERTY_INTERFACE, "", "empty" },

  { PAL_PROPERTY_IP_VERSION, "5", "\"5\" is not an IP version" },
  { PAL_PROPERTY_IP_VERSION, "4,6", "not a list" },
  { PAL_PROPERTY_IP_VERSION, "", "empty" },

  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.300", "\"10.0.0.300\" is not an IPv4 address." },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.1/8", "\"10.0.0.1/8\" has host bits set; did you mean 10.0.0.0/8?" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "2001:db8::1/32", "did you mean 2001:db8::/32?" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "fe80::1%eth0", "zone id" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "fe80::1%eth0-fe80::2", "zone id" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.1,", "ends with a comma" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.1,,10.0.0.2", "empty item" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "", "empty" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.9-10.0.0.1", "backwards" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "fe80::ff-fe80::1", "backwards" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.1-::1", "one IP version to one of the other" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.0/33", "prefix length from 0 to 32" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "::/129", "prefix length from 0 to 128" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.0/", "prefix length" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.0/x", "prefix length" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.0/8-10.1.0.0", "mixes a range and a prefix" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "example.com", "\"example.com\" is not an IP address" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0", "\"10.0.0\" is not an IPv4 address." },
  { PAL_PROPERTY_SOURCE_ADDRESS, "010.0.0.1", "is not an IPv4 address" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "1.2.3.4.5", "is not an IPv4 address" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "2001:db8:::1", "\"2001:db8:::1\" is not an IPv6 address." },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.1 10.0.0.2", "is not an IP address" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "10.0.0.1-", "\"10.0.0.1-\" is a range with a missing end" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "-::1", "missing end" },
  { PAL_PROPERTY_SOURCE_ADDRESS, "1.2.3.4-1.2.3.300", "\"1.2.3.300\" is not an IPv4 address." },
  { PAL_PROPERTY_DESTINATION_ADDRESS, "::1, 10.0.0.300", "\"10.0.0.300\" is not an IPv4 address." },
  { PAL_PROPERTY_DESTINATION_ADDRESS, "10.0.0.1; 10.0.0.2", "is not an IP address" },

  { PAL_PROPERTY_SOURCE_MAC, "00:11:22:aa:bb", "is not a MAC address" },
  { PAL_PROPERTY_SOURCE_MAC, "00:11:22:aa:bb:cg", "is not a MAC address" },
  { PAL_PROPERTY_SOURCE_MAC, "00:11-22:aa:bb:cc", "is not a MAC address" },
  { PAL_PROPERTY_DESTINATION_MAC, "0:11:22:aa:bb:cc:", "is not a MAC address" },

  { PAL_PROPERTY_PROTOCOL, "256", "\"256\" is not a protocol number (0 to 255)." },
  { PAL_PROPERTY_PROTOCOL, "tcpp", "\"tcpp\" is not a protocol" },
  { PAL_PROPERTY_PROTOCOL, "-1", "is not a protocol" },
  { PAL_PROPERTY_PROTOCOL, "17-6", "backwards" },

  { PAL_PROPERTY_SOURCE_PORT, "65536", "\"65536\" is not a port number (0 to 65535)." },
  { PAL_PROPERTY_SOURCE_PORT, "1-70000", "\"70000\" is not a port number" },
  { PAL_PROPERTY_SOURCE_PORT, "2000-1000", "backwards" },
  { PAL_PROPERTY_DESTINATION_PORT, "no-such-service", "\"no-such-service\" is neither a port number nor a service name" },
  { PAL_PROPERTY_DESTINATION_PORT, "22,", "ends with a comma" },
  { PAL_PROPERTY_DESTINATION_PORT, "+22", "neither a port number" },
  { PAL_PROPERTY_DESTINATION_PORT, "99999999999999999999999", "is not a port number" },

  { PAL_PROPERTY_ICMP_TYPE, "echo", "\"echo\" is not an ICMP type" },
  { PAL_PROPERTY_ICMP_TYPE, "256", "is not an ICMP type" },
  { PAL_PROPERTY_ICMP_TYPE, "3/256", "is not an ICMP code" },
  { PAL_PROPERTY_ICMP_TYPE, "echo-request/port-unreachable", "a code of destination-unreachable only" },
  { PAL_PROPERTY_ICMP_TYPE, "3/no-such-code", "is not an ICMP code" },
  { PAL_PROPERTY_ICMP_TYPE, "nd-neighbor-solicit", "is not an ICMP type" },
  { PAL_PROPERTY_ICMP_TYPE, "3/", "is not an ICMP code" },
  { PAL_PROPERTY_ICMPV6_TYPE, "source-quench", "is not an ICMPv6 type" },
  { PAL_PROPERTY_ICMPV6_TYPE, "1/frag-needed", "is not an ICMPv6 code" },

  { PAL_PROPERTY_TCP_FLAGS, "syn,-syn", "\"syn\" cannot be both set and clear." },
  { PAL_PROPERTY_TCP_FLAGS, "-ack,ack", "cannot be both set and clear" },
  { PAL_PROPERTY_TCP_FLAGS, "syn,syn", "listed twice" },
  { PAL_PROPERTY_TCP_FLAGS, "xmas", "\"xmas\" is not a TCP flag" },
  { PAL_PROPERTY_TCP_FLAGS, "--syn", "is not a TCP flag" },
  { PAL_PROPERTY_TCP_FLAGS, "", "empty" },

  { PAL_PROPERTY_TCP_OPTION, "-mss", "is not a TCP option" },
  { PAL_PROPERTY_TCP_OPTION, "sack-perm, sack-permitted", "listed twice" },
  { PAL_PROPERTY_IP_OPTION, "nop", "is not an IP option; write lsrr, ssrr, rr or ra." },
  { PAL_PROPERTY_IP_OPTION, "rr, RR", "listed twice" },

  { PAL_PROPERTY_FRAGMENT, "first, tiny", "not a list" },
  { PAL_PROPERTY_FRAGMENT, "last", "is not a kind of fragment" },

  { PAL_PROPERTY_CONNECTION_STATE, "known", "is not a connection state" },
  { PAL_PROPERTY_CONNECTION_STATE, "new,new", "listed twice" },

  { PAL_PROPERTY_LISTED_IN, "banned", "\"banned\" is not one of the firewall's lists; write triggered, trusted, authorized or kept." },
  { PAL_PROPERTY_LISTED_IN, "triggered, trusted", "not a list" },

  { PAL_PROPERTY_SERVICE, "sshd", "did you mean sshd.service?" },
  { PAL_PROPERTY_SERVICE, "sshd.timer", "must end in .service" },
  { PAL_PROPERTY_SERVICE, ".service", "must end in .service" },
  { PAL_PROPERTY_SERVICE, "/user.slice", "starts with \"/\"" },
  { PAL_PROPERTY_SERVICE, "user.slice/../system.slice", "\"..\"" },
  { PAL_PROPERTY_SERVICE, "user.slice//a.scope", "empty" },
  { PAL_PROPERTY_SERVICE, "user.slice/", "empty" },
  { PAL_PROPERTY_SERVICE, "ssh d.service", "character" },
  { PAL_PROPERTY_SERVICE, "a.service, b.service", "not a list" },

  { PAL_PROPERTY_USER, "no-such-user-here", "There is no user \"no-such-user-here\" on this computer." },
  { PAL_PROPERTY_USER, "4294967295", "is not a user id" },
  { PAL_PROPERTY_USER, "2000-1000", "backwards" },

  { PAL_PROPERTY_TIME_OF_DAY, "08:00", "is not a span of time" },
  { PAL_PROPERTY_TIME_OF_DAY, "08:00-08:00", "same minute" },
  { PAL_PROPERTY_TIME_OF_DAY, "25:00-26:00", "\"25:00\" is not a time of day" },
  { PAL_PROPERTY_TIME_OF_DAY, "08:60-09:00", "\"08:60\" is not a time of day" },
  { PAL_PROPERTY_TIME_OF_DAY, "08:00-24:00", "00:00, not 24:00" },
  { PAL_PROPERTY_TIME_OF_DAY, "8-17", "is not a time of day" },
  { PAL_PROPERTY_TIME_OF_DAY, "08:00-12:00, 13:00-17:00", "not a list" },

  { PAL_PROPERTY_DAY_OF_WEEK, "funday", "\"funday\" is not a day of the week" },
  { PAL_PROPERTY_DAY_OF_WEEK, "mon-fri, wed", "already in the list" },
  { PAL_PROPERTY_DAY_OF_WEEK, "mo", "is not a day of the week" },
  { PAL_PROPERTY_DAY_OF_WEEK, "mon-", "is not a day of the week" },

  { PAL_PROPERTY_DATE_TIME, "2026-01-01", "is not a span of dates" },
  { PAL_PROPERTY_DATE_TIME, "2026-12-31 to 2026-01-01", "ends before it starts" },
  { PAL_PROPERTY_DATE_TIME, "2026-01-01T10:00 to 2026-01-01T10:00", "ends before it starts" },
  { PAL_PROPERTY_DATE_TIME, "2026-02-30 to 2026-03-01", "\"2026-02-30\" is not a date" },
  { PAL_PROPERTY_DATE_TIME, "2026-01-01 to 2026-01-02T24:00", "is not a date" },
  { PAL_PROPERTY_DATE_TIME, "2026-1-1 to 2026-01-02", "is not a date" },
  { PAL_PROPERTY_DATE_TIME, "2026-01-01 until 2026-01-02", "is not a span of dates" },
  { PAL_PROPERTY_DATE_TIME, "1969-01-01 to 2026-01-02", "is not a date" },

  { PAL_PROPERTY_PACKET_LENGTH, "65536", "is not a packet length (0 to 65535 bytes)." },
  { PAL_PROPERTY_PACKET_LENGTH, "big", "is not a packet length" },
  { PAL_PROPERTY_PACKET_LENGTH, "128-64", "backwards" },
};

static void
test_good_value (gconstpointer data)
{
    {
      const Good *good = data;
      g_autoptr(GError) error = NULL;
      g_autoptr(PalValue) value = NULL;
      g_autoptr(PalValue) reparsed = NULL;
      g_autoptr(PalValue) copy = NULL;
      g_autofree char *printed = NULL;
      g_autofree char *reprinted = NULL;

      g_test_message ("%s: %s", pal_property_to_string (good->property), good->text);
      value = pal_value_parse (good->property, good->text, &error);
      g_assert_no_error (error);
      g_assert_nonnull (value);
      g_assert_cmpint (value->property, ==, good->property);

      printed = pal_value_print (value);
      g_assert_cmpstr (printed, ==, good->canonical);

      /* The canonical text is a fixed point, and means the same value. */
      reparsed = pal_value_parse (good->property, printed, &error);
      g_assert_no_error (error);
      g_assert_true (pal_value_equal (value, reparsed));
      reprinted = pal_value_print (reparsed);
      g_assert_cmpstr (reprinted, ==, printed);

      copy = g_boxed_copy (PAL_TYPE_VALUE, value);
      g_assert_true (pal_value_equal (value, copy));
    }
}

static void
test_bad_value (gconstpointer data)
{
    {
      const Bad *bad = data;
      g_autoptr(GError) error = NULL;
      g_autoptr(PalValue) value = NULL;

      g_test_message ("%s: %s", pal_property_to_string (bad->property), bad->text);
      value = pal_value_parse (bad->property, bad->text, &error);
      g_assert_null (value);
      g_assert_error (error, PAL_VALUE_ERROR, PAL_VALUE_ERROR_INVALID);
      if (bad->message != NULL && strstr (error->message, bad->message) == NULL)
        g_error ("%s: \"%s\" gave \"%s\", expected \"%s\"",
                 pal_property_to_string (bad->property), bad->text,
                 error->message, bad->message);
      /* A sentence for a person: capital or quote first, full stop or question last. */
      g_assert_true (g_ascii_isupper (error->message[0]) || error->message[0] == '"');
      g_assert_true (g_str_has_suffix (error->message, ".")
                     || g_str_has_suffix (error->message, "?"));
    }
}

/* Every property has good and bad values in the tables above. */
static void
test_tables_cover_every_property (void)
{
  for (PalProperty property = 0; property < PAL_N_PROPERTIES; property++)
    {
      guint n_good = 0, n_bad = 0;

      for (gsize i = 0; i < G_N_ELEMENTS (good_values); i++)
        n_good += good_values[i].property == property;
      for (gsize i = 0; i < G_N_ELEMENTS (bad_values); i++)
        n_bad += bad_values[i].property == property;

      /* Source and destination share their syntax. */
      if (property == PAL_PROPERTY_DESTINATION_ADDRESS || property == PAL_PROPERTY_SOURCE_MAC
          || property == PAL_PROPERTY_DESTINATION_MAC || property == PAL_PROPERTY_SOURCE_PORT
          || property == PAL_PROPERTY_DESTINATION_PORT || property == PAL_PROPERTY_ANY)
        {
          g_assert_cmpuint (n_good + n_bad, >, 0);
          continue;
        }
      g_test_message ("%s: %u good, %u bad", pal_property_to_string (property), n_good, n_bad);
      g_assert_cmpuint (n_good, >=, 2);
      g_assert_cmpuint (n_bad, >=, 2);
    }
}

static PalValue *
parse_ok (PalProperty  property,
          const char  *text)
{
  g_autoptr(GError) error = NULL;
  PalValue *value = pal_value_parse (property, text, &error);

  g_assert_no_error (error);
  return value;
}

static void
assert_address (const PalAddressRange *range,
                int                    family,
                const char            *first,
                const char            *last,
                int                    prefix)
{
  guint8 bytes[16] = { 0 };

  g_assert_cmpint (range->family, ==, family);
  g_assert_cmpint (range->prefix, ==, prefix);
  g_assert_cmpint (inet_pton (family, first, bytes), ==, 1);
  g_assert_cmpmem (range->first, 16, bytes, 16);
  memset (bytes, 0, sizeof bytes);
  g_assert_cmpint (inet_pton (family, last, bytes), ==, 1);
  g_assert_cmpmem (range->last, 16, bytes, 16);
}

static void
test_address_members (void)
{
  g_autoptr(PalValue) value = parse_ok (PAL_PROPERTY_SOURCE_ADDRESS,
                                        "10.1.0.0/16, 192.0.2.1-192.0.2.9, 2001:db8::/32, ::1");

  g_assert_cmpuint (value->addresses->len, ==, 4);
  assert_address (&g_array_index (value->addresses, PalAddressRange, 0),
                  AF_INET, "10.1.0.0", "10.1.255.255", 16);
  assert_address (&g_array_index (value->addresses, PalAddressRange, 1),
                  AF_INET, "192.0.2.1", "192.0.2.9", -1);
  assert_address (&g_array_index (value->addresses, PalAddressRange, 2),
                  AF_INET6, "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 32);
  assert_address (&g_array_index (value->addresses, PalAddressRange, 3),
                  AF_INET6, "::1", "::1", -1);
  g_assert_null (value->ranges);
}

static void
test_other_members (void)
{
  g_autoptr(PalValue) flags = parse_ok (PAL_PROPERTY_TCP_FLAGS, "syn,-ack");
  g_autoptr(PalValue) option = parse_ok (PAL_PROPERTY_TCP_OPTION, "mss, timestamp");
  g_autoptr(PalValue) ip_option = parse_ok (PAL_PROPERTY_IP_OPTION, "ssrr");
  g_autoptr(PalValue) fragment = parse_ok (PAL_PROPERTY_FRAGMENT, "tiny");
  g_autoptr(PalValue) listed = parse_ok (PAL_PROPERTY_LISTED_IN, "authorized");
  g_autoptr(PalValue) days = parse_ok (PAL_PROPERTY_DAY_OF_WEEK, "sun, sat");
  g_autoptr(PalValue) time = parse_ok (PAL_PROPERTY_TIME_OF_DAY, "22:00-06:30");
  g_autoptr(PalValue) icmp = parse_ok (PAL_PROPERTY_ICMP_TYPE, "echo-request, 3/3");
  g_autoptr(PalValue) iface = parse_ok (PAL_PROPERTY_INTERFACE, "wlan*, external");
  g_autoptr(PalValue) ports = parse_ok (PAL_PROPERTY_DESTINATION_PORT, "ssh, 1000-2000");
  g_autoptr(PalValue) mac = parse_ok (PAL_PROPERTY_SOURCE_MAC, "00:11:22:AA:BB:CC");
  g_autoptr(PalValue) service = parse_ok (PAL_PROPERTY_SERVICE, "sshd.service");
  g_autoptr(PalValue) version = parse_ok (PAL_PROPERTY_IP_VERSION, "6");
  g_autoptr(PalValue) direction = parse_ok (PAL_PROPERTY_DIRECTION, "in, forward");
  g_autoptr(PalValue) state = parse_ok (PAL_PROPERTY_CONNECTION_STATE, "established,related");
  const guint8 mac_bytes[] = { 0x00, 0x11, 0x22, 0xaa, 0xbb, 0xcc };

  g_assert_cmpuint (flags->flags, ==, PAL_TCP_SYN);
  g_assert_cmpuint (flags->clear_flags, ==, PAL_TCP_ACK);
  g_assert_cmpuint (option->flags, ==, (1 << 2) | (1 << 8));
  g_assert_cmpuint (ip_option->flags, ==, 1 << PAL_IP_OPTION_SSRR);
  g_assert_cmpuint (fragment->flags, ==, PAL_FRAGMENT_TINY);
  g_assert_cmpuint (listed->flags, ==, PAL_LIST_AUTHORIZED);
  g_assert_cmpuint (days->flags, ==, (1 << 0) | (1 << 6));
  g_assert_cmpint (time->first, ==, 22 * 60);
  g_assert_cmpint (time->last, ==, 6 * 60 + 30);
  g_assert_cmpuint (icmp->icmp->len, ==, 2);
  g_assert_cmpuint (g_array_index (icmp->icmp, PalIcmpType, 0).type, ==, 8);
  g_assert_cmpint (g_array_index (icmp->icmp, PalIcmpType, 0).code, ==, -1);
  g_assert_cmpuint (g_array_index (icmp->icmp, PalIcmpType, 1).type, ==, 3);
  g_assert_cmpint (g_array_index (icmp->icmp, PalIcmpType, 1).code, ==, 3);
  g_assert_cmpint (g_array_index (iface->interfaces, PalInterfaceMatch, 0).kind, ==, PAL_INTERFACE_BY_NAME);
  g_assert_cmpstr (g_array_index (iface->interfaces, PalInterfaceMatch, 0).name, ==, "wlan*");
  g_assert_cmpint (g_array_index (iface->interfaces, PalInterfaceMatch, 1).kind, ==, PAL_INTERFACE_EXTERNAL);
  g_assert_cmpuint (g_array_index (ports->ranges, PalRange, 0).first, ==, 22);
  g_assert_cmpuint (g_array_index (ports->ranges, PalRange, 0).last, ==, 22);
  g_assert_cmpuint (g_array_index (ports->ranges, PalRange, 1).first, ==, 1000);
  g_assert_cmpuint (g_array_index (ports->ranges, PalRange, 1).last, ==, 2000);
  g_assert_cmpmem (g_array_index (mac->macs, PalMac, 0).bytes, 6, mac_bytes, 6);
  g_assert_cmpuint (service->names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (service->names, 0), ==, "sshd.service");
  g_assert_cmpuint (version->ranges->len, ==, 1);
  g_assert_cmpuint (g_array_index (version->ranges, PalRange, 0).first, ==, 6);
  g_assert_cmpuint (direction->flags, ==, PAL_DIRECTION_IN | PAL_DIRECTION_FORWARD);
  g_assert_cmpuint (state->flags, ==, PAL_STATE_ESTABLISHED | PAL_STATE_RELATED);
}

/* Dates are local time: a date alone ends at the end of its day. */
static void
test_date_time_members (void)
{
  g_autoptr(PalValue) value = parse_ok (PAL_PROPERTY_DATE_TIME, "2026-01-01 to 2026-12-31");
  g_autoptr(PalValue) timed = parse_ok (PAL_PROPERTY_DATE_TIME,
                                        "2026-06-01T08:15 to 2026-06-02T18:00");
  g_autoptr(GDateTime) start = g_date_time_new_local (2026, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_new_local (2027, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) timed_start = g_date_time_new_local (2026, 6, 1, 8, 15, 0);
  g_autoptr(GDateTime) timed_end = g_date_time_new_local (2026, 6, 2, 18, 0, 0);

  g_assert_cmpint (value->first, ==, g_date_time_to_unix (start));
  g_assert_cmpint (value->last, ==, g_date_time_to_unix (end) - 1);
  g_assert_cmpint (timed->first, ==, g_date_time_to_unix (timed_start));
  g_assert_cmpint (timed->last, ==, g_date_time_to_unix (timed_end));
}

/* n distinct addresses, "10.0.0.0, 10.0.0.1, …" or "2001:db8::0:0:0, …". */
static char *
make_list (gboolean ipv6,
           guint    n)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      guint a = (i >> 16) & 0xff, b = (i >> 8) & 0xff, c = i & 0xff;

      if (i > 0)
        g_string_append (text, ", ");
      if (ipv6)
        g_string_append_printf (text, "2001:db8::%x:%x:%x", a + 1, b + 1, c + 1);
      else
        g_string_append_printf (text, "10.%u.%u.%u", a, b, c);
    }
  return g_string_free (text, FALSE);
}

/* 100,000 addresses in one value parse and print back. The time is only
 * reported: a wall-clock bound fails on a loaded machine or under ASan
 * (1.2 s there), and quadratic work would run into the test's timeout. */
static void
test_many_addresses (void)
{
  g_autofree char *text = make_list (FALSE, 100000);
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PalValue) value = pal_value_parse (PAL_PROPERTY_SOURCE_ADDRESS, text, &error);
  g_autofree char *printed = NULL;
  g_autoptr(PalValue) v6 = NULL;
  g_autofree char *v6_text = make_list (TRUE, 100000);

  g_assert_no_error (error);
  g_assert_cmpuint (value->addresses->len, ==, 100000);
  printed = pal_value_print (value);
  g_assert_cmpstr (printed, ==, text);

  v6 = pal_value_parse (PAL_PROPERTY_DESTINATION_ADDRESS, v6_text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (v6->addresses->len, ==, 100000);
  g_test_message ("parsed and printed 200,000 addresses in %.3f s", g_timer_elapsed (timer, NULL));
}

/* Over the limits: refused with TOO_LONG before any item is parsed. */
static void
test_limits (void)
{
  g_autofree char *items = make_list (FALSE, PAL_VALUE_MAX_ITEMS + 1);
  g_autofree char *commas = g_strnfill (PAL_VALUE_MAX_ITEMS, ',');
  g_autofree char *long_text = g_strnfill (PAL_VALUE_MAX_LENGTH + 1, 'a');
  g_autofree char *long_item = g_strnfill (1000, '1');
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PalValue) value = NULL;

  value = pal_value_parse (PAL_PROPERTY_SOURCE_ADDRESS, items, &error);
  g_assert_error (error, PAL_VALUE_ERROR, PAL_VALUE_ERROR_TOO_LONG);
  g_assert_null (value);
  g_clear_error (&error);

  /* Counting is all it takes: a list of empty items is refused as too long. */
  value = pal_value_parse (PAL_PROPERTY_DESTINATION_PORT, commas, &error);
  g_assert_error (error, PAL_VALUE_ERROR, PAL_VALUE_ERROR_TOO_LONG);
  g_clear_error (&error);

  for (PalProperty property = 0; property < PAL_N_PROPERTIES; property++)
    {
      value = pal_value_parse (property, long_text, &error);
      g_assert_error (error, PAL_VALUE_ERROR, PAL_VALUE_ERROR_TOO_LONG);
      g_assert_null (value);
      g_clear_error (&error);
    }
  /* Reported, not asserted: no wall-clock bounds in tests. */
  g_test_message ("refused %d over-long values in %.3f s", PAL_N_PROPERTIES + 2,
                  g_timer_elapsed (timer, NULL));

  /* A long item is quoted short. */
  value = pal_value_parse (PAL_PROPERTY_DESTINATION_PORT, long_item, &error);
  g_assert_error (error, PAL_VALUE_ERROR, PAL_VALUE_ERROR_INVALID);
  g_assert_cmpuint (strlen (error->message), <, 200);
  g_clear_error (&error);

  /* Exactly the maximum number of items is fine. */
  g_clear_pointer (&items, g_free);
  items = make_list (FALSE, PAL_VALUE_MAX_ITEMS);
  value = pal_value_parse (PAL_PROPERTY_SOURCE_ADDRESS, items, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (value->addresses->len, ==, PAL_VALUE_MAX_ITEMS);
}

/* Every hint is an example that parses. */
static void
test_hints (void)
{
  for (PalProperty property = 0; property < PAL_N_PROPERTIES; property++)
    {
      const char *hint = pal_value_get_hint (property);
      g_autoptr(GError) error = NULL;
      g_autoptr(PalValue) value = NULL;

      g_assert_nonnull (hint);
      if (property != PAL_PROPERTY_ANY)
        g_assert_cmpstr (hint, !=, "");
      value = pal_value_parse (property, hint, &error);
      g_assert_no_error (error);
    }
}

int
main (int    argc,
      char **argv)
{
  /* Dates in the tables are local time; pin a zone with daylight saving. */
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (good_values); i++)
    {
      g_autofree char *path = g_strdup_printf ("/value/good/%s/%" G_GSIZE_FORMAT,
                                               pal_property_to_string (good_values[i].property), i);

      g_test_add_data_func (path, &good_values[i], test_good_value);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad_values); i++)
    {
      g_autofree char *path = g_strdup_printf ("/value/bad/%s/%" G_GSIZE_FORMAT,
                                               pal_property_to_string (bad_values[i].property), i);

      g_test_add_data_func (path, &bad_values[i], test_bad_value);
    }
  g_test_add_func ("/value/coverage", test_tables_cover_every_property);
  g_test_add_func ("/value/address-members", test_address_members);
  g_test_add_func ("/value/other-members", test_other_members);
  g_test_add_func ("/value/date-time-members", test_date_time_members);
  g_test_add_func ("/value/many-addresses", test_many_addresses);
  g_test_add_func ("/value/limits", test_limits);
  g_test_add_func ("/value/hints", test_hints);

  return g_test_run ();
}
