/* test-evaluator.c — the packet evaluator and the lockout check.
 *
 * Every property the evaluator supports, with is and is-not, and the
 * packet that lacks the field (is-not is then unknown, never a guess);
 * unsupported properties are unknown; the outline's walk (children,
 * the parent's own action, group, exit-group, disabled rules, the default
 * verdict, unfiltered interfaces); the SSH and neighbour discovery checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "pal-evaluator.h"
#include "pal-lockout-check.h"

static PalRule *
rule_new (PalProperty  property,
          PalRelation  relation,
          const char  *value,
          PalAction    action)
{
  PalRule *rule = pal_rule_new (property, action);

  pal_rule_set_relation (rule, relation);
  pal_rule_set_value (rule, value);
  pal_rule_set_name (rule, value);
  return rule;
}

/* A document of one rule that drops, passing by default. */
static PalDocument *
one_rule (PalProperty  property,
          PalRelation  relation,
          const char  *value)
{
  PalDocument *document = pal_document_new ();
  g_autoptr(PalRule) rule = rule_new (property, relation, value, PAL_ACTION_DROP);

  pal_document_append_rule (document, rule);
  pal_document_set_default_verdict (document, PAL_VERDICT_PASS);
  return document;
}

/* TCP from 192.0.2.1:40000 to 198.51.100.2:22, coming in on eth0, established. */
static void
tcp_packet (PalPacket *packet)
{
  pal_packet_init (packet);
  packet->direction = PAL_DIRECTION_IN;
  packet->in_interface = "eth0";
  g_assert_true (pal_packet_set_address (packet, TRUE, "192.0.2.1"));
  g_assert_true (pal_packet_set_address (packet, FALSE, "198.51.100.2"));
  packet->protocol = IPPROTO_TCP;
  packet->source_port = 40000;
  packet->destination_port = 22;
  packet->tcp_flags = PAL_TCP_ACK;
  packet->state = PAL_STATE_ESTABLISHED;
}

static void
icmpv6_packet (PalPacket *packet)
{
  pal_packet_init (packet);
  packet->direction = PAL_DIRECTION_IN;
  packet->in_interface = "eth0";
  g_assert_true (pal_packet_set_address (packet, TRUE, "fe80::2"));
  g_assert_true (pal_packet_set_address (packet, FALSE, "ff02::1:ff00:1"));
  packet->protocol = IPPROTO_ICMPV6;
  packet->icmp_type = 135;
  packet->icmp_code = 0;
  packet->state = PAL_STATE_UNTRACKED;
}

typedef struct
{
  PalProperty     property;
  const char     *value;
  gboolean        icmpv6;       /* the ICMPv6 packet, else the TCP one */
  PalEvalVerdict  is;           /* the verdict with "is" */
  PalEvalVerdict  is_not;       /* with "is not" */
} Case;

#define D PAL_EVAL_DROP
#define P PAL_EVAL_PASS
#define U PAL_EVAL_UNKNOWN

static const Case cases[] = {
  { PAL_PROPERTY_ANY, "", FALSE, D, P },
  { PAL_PROPERTY_DIRECTION, "in", FALSE, D, P },
  { PAL_PROPERTY_DIRECTION, "out,forward", FALSE, P, D },
  { PAL_PROPERTY_INTERFACE, "eth0", FALSE, D, P },
  { PAL_PROPERTY_INTERFACE, "eth*", FALSE, D, P },
  { PAL_PROPERTY_INTERFACE, "wlan0", FALSE, P, D },
  { PAL_PROPERTY_INTERFACE, "internal", FALSE, D, P },
  { PAL_PROPERTY_INTERFACE, "external", FALSE, P, D },
  { PAL_PROPERTY_IP_VERSION, "4", FALSE, D, P },
  { PAL_PROPERTY_IP_VERSION, "6", FALSE, P, D },
  { PAL_PROPERTY_SOURCE_ADDRESS, "192.0.2.0/24", FALSE, D, P },
  { PAL_PROPERTY_SOURCE_ADDRESS, "192.0.2.2-192.0.2.9", FALSE, P, D },
  { PAL_PROPERTY_SOURCE_ADDRESS, "2001:db8::/32", FALSE, P, U },   /* no IPv4 in the value */
  { PAL_PROPERTY_DESTINATION_ADDRESS, "198.51.100.2", FALSE, D, P },
  { PAL_PROPERTY_DESTINATION_ADDRESS, "ff02::/16", TRUE, D, P },
  { PAL_PROPERTY_PROTOCOL, "tcp", FALSE, D, P },
  { PAL_PROPERTY_PROTOCOL, "udp,icmp", FALSE, P, D },
  { PAL_PROPERTY_SOURCE_PORT, "1024-65535", FALSE, D, P },
  { PAL_PROPERTY_DESTINATION_PORT, "22", FALSE, D, P },
  { PAL_PROPERTY_DESTINATION_PORT, "80,443", FALSE, P, D },
  { PAL_PROPERTY_DESTINATION_PORT, "22", TRUE, P, U },             /* ICMPv6 has no ports */
  { PAL_PROPERTY_ICMPV6_TYPE, "nd-neighbor-solicit", TRUE, D, P },
  { PAL_PROPERTY_ICMPV6_TYPE, "echo-request", TRUE, P, D },
  { PAL_PROPERTY_ICMPV6_TYPE, "135/0", TRUE, D, P },
  { PAL_PROPERTY_ICMP_TYPE, "echo-request", TRUE, P, U },          /* not ICMPv4 */
  { PAL_PROPERTY_TCP_FLAGS, "ack,-syn", FALSE, D, P },
  { PAL_PROPERTY_TCP_FLAGS, "syn", FALSE, P, D },
  { PAL_PROPERTY_TCP_FLAGS, "syn", TRUE, P, U },
  { PAL_PROPERTY_CONNECTION_STATE, "established,related", FALSE, D, P },
  { PAL_PROPERTY_CONNECTION_STATE, "new", FALSE, P, D },
  { PAL_PROPERTY_CONNECTION_STATE, "untracked", TRUE, D, P },
  { PAL_PROPERTY_LISTED_IN, "trusted", FALSE, D, P },
  /* Not evaluated: unknown either way. */
  { PAL_PROPERTY_LISTED_IN, "triggered", FALSE, U, U },
  { PAL_PROPERTY_SOURCE_MAC, "aa:bb:cc:dd:ee:ff", FALSE, U, U },
  { PAL_PROPERTY_TCP_OPTION, "mss", FALSE, U, U },
  { PAL_PROPERTY_IP_OPTION, "rr", FALSE, U, U },
  { PAL_PROPERTY_FRAGMENT, "any", FALSE, U, U },
  { PAL_PROPERTY_USER, "0", FALSE, U, U },
  { PAL_PROPERTY_TIME_OF_DAY, "08:00-17:00", FALSE, U, U },
  { PAL_PROPERTY_DAY_OF_WEEK, "mon-fri", FALSE, U, U },
  { PAL_PROPERTY_PACKET_LENGTH, "0-128", FALSE, U, U },
};

static void
test_properties (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];

      for (PalRelation relation = PAL_RELATION_IS; relation <= PAL_RELATION_IS_NOT; relation++)
        {
          g_autoptr(PalDocument) document = one_rule (c->property, relation, c->value);
          const char *trusted[] = { "192.0.2.0/24", NULL };
          PalEvalVerdict expected = relation == PAL_RELATION_IS ? c->is : c->is_not;
          g_autoptr(PalInterfaceConfig) wan = pal_interface_config_new ("wan0");
          PalEvaluation evaluation;
          PalPacket packet;

          pal_interface_config_set_external (wan, TRUE);
          pal_document_set_interface (document, wan);
          pal_document_set_trusted (document, trusted);
          if (c->icmpv6)
            icmpv6_packet (&packet);
          else
            tcp_packet (&packet);
          evaluation = pal_evaluate (document, &packet);
          g_test_message ("%s %s \"%s\" → %s", pal_property_to_string (c->property),
                          pal_relation_to_string (relation), c->value,
                          pal_eval_verdict_to_string (evaluation.verdict));
          g_assert_cmpstr (pal_eval_verdict_to_string (evaluation.verdict), ==,
                           pal_eval_verdict_to_string (expected));
          /* Who decided: the rule when it dropped or was unknown. */
          if (expected != PAL_EVAL_PASS)
            g_assert_nonnull (evaluation.rule);
          else
            g_assert_true (evaluation.by_default);
        }
    }
}

/* Children only when the parent matches; then the parent's own action. */
static void
test_outline (void)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalRule) tcp = rule_new (PAL_PROPERTY_PROTOCOL, PAL_RELATION_IS, "tcp", PAL_ACTION_DROP);
  g_autoptr(PalRule) ssh = rule_new (PAL_PROPERTY_DESTINATION_PORT, PAL_RELATION_IS, "22", PAL_ACTION_PASS);
  g_autoptr(PalRule) log = rule_new (PAL_PROPERTY_ANY, PAL_RELATION_IS, "", PAL_ACTION_LOG);
  g_autoptr(PalRule) off = rule_new (PAL_PROPERTY_ANY, PAL_RELATION_IS, "", PAL_ACTION_REJECT);
  PalEvaluation evaluation;
  PalPacket packet;

  pal_rule_set_parameter (log, "seen");
  pal_rule_set_enabled (off, FALSE);
  pal_rule_append_child (tcp, log);
  pal_rule_append_child (tcp, ssh);
  pal_document_append_rule (document, off);
  pal_document_append_rule (document, tcp);
  pal_document_set_default_verdict (document, PAL_VERDICT_REJECT);

  tcp_packet (&packet);
  evaluation = pal_evaluate (document, &packet);
  g_assert_cmpint (evaluation.verdict, ==, PAL_EVAL_PASS);
  g_assert_true (evaluation.rule == ssh);

  /* Not port 22: the children let it through to the parent's drop. */
  packet.destination_port = 80;
  evaluation = pal_evaluate (document, &packet);
  g_assert_cmpint (evaluation.verdict, ==, PAL_EVAL_DROP);
  g_assert_true (evaluation.rule == tcp);

  /* Not TCP: the default verdict. */
  icmpv6_packet (&packet);
  evaluation = pal_evaluate (document, &packet);
  g_assert_cmpint (evaluation.verdict, ==, PAL_EVAL_REJECT);
  g_assert_true (evaluation.by_default);
}

/* exit-group skips the rest of the group and the parent's own action;
 * group gives no verdict; rate-limit is unknown; unfiltered passes. */
static void
test_group_exit_unfiltered (void)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalRule) group = rule_new (PAL_PROPERTY_ANY, PAL_RELATION_IS, "", PAL_ACTION_DROP);
  g_autoptr(PalRule) leave = rule_new (PAL_PROPERTY_PROTOCOL, PAL_RELATION_IS, "tcp", PAL_ACTION_EXIT_GROUP);
  g_autoptr(PalRule) drop = rule_new (PAL_PROPERTY_ANY, PAL_RELATION_IS, "", PAL_ACTION_DROP);
  g_autoptr(PalRule) plain = rule_new (PAL_PROPERTY_ANY, PAL_RELATION_IS, "", PAL_ACTION_GROUP);
  g_autoptr(PalRule) limit = rule_new (PAL_PROPERTY_PROTOCOL, PAL_RELATION_IS, "icmpv6", PAL_ACTION_RATE_LIMIT);
  g_autoptr(PalInterfaceConfig) lan = pal_interface_config_new ("lan0");
  PalEvaluation evaluation;
  PalPacket packet;

  pal_rule_set_parameter (limit, "10/second");
  pal_rule_append_child (group, leave);
  pal_rule_append_child (group, drop);
  pal_document_append_rule (document, group);
  pal_document_append_rule (document, plain);
  pal_document_append_rule (document, limit);
  pal_document_set_default_verdict (document, PAL_VERDICT_PASS);

  tcp_packet (&packet);
  evaluation = pal_evaluate (document, &packet);
  g_assert_cmpint (evaluation.verdict, ==, PAL_EVAL_PASS);
  g_assert_true (evaluation.by_default);

  icmpv6_packet (&packet);
  evaluation = pal_evaluate (document, &packet);
  g_assert_cmpint (evaluation.verdict, ==, PAL_EVAL_DROP);
  g_assert_true (evaluation.rule == drop);

  pal_rule_set_enabled (drop, FALSE);
  pal_rule_set_action (group, PAL_ACTION_GROUP);
  evaluation = pal_evaluate (document, &packet);
  g_assert_cmpint (evaluation.verdict, ==, PAL_EVAL_UNKNOWN);
  g_assert_true (evaluation.rule == limit);

  pal_interface_config_set_filter (lan, FALSE);
  pal_document_set_interface (document, lan);
  packet.in_interface = "lan0";
  evaluation = pal_evaluate (document, &packet);
  g_assert_cmpint (evaluation.verdict, ==, PAL_EVAL_PASS);
  g_assert_null (evaluation.rule);
}

/* Unknown fields give unknown, not a guess. */
static void
test_unknown_fields (void)
{
  g_autoptr(PalDocument) state = one_rule (PAL_PROPERTY_CONNECTION_STATE, PAL_RELATION_IS, "new");
  g_autoptr(PalDocument) interface = one_rule (PAL_PROPERTY_INTERFACE, PAL_RELATION_IS_NOT, "eth0");
  PalPacket packet;

  tcp_packet (&packet);
  packet.state = 0;
  g_assert_cmpint (pal_evaluate (state, &packet).verdict, ==, PAL_EVAL_UNKNOWN);
  tcp_packet (&packet);
  packet.in_interface = NULL;
  g_assert_cmpint (pal_evaluate (interface, &packet).verdict, ==, PAL_EVAL_UNKNOWN);
}

static void
test_lockout_ssh (void)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalRule) web = rule_new (PAL_PROPERTY_DESTINATION_PORT, PAL_RELATION_IS, "80,443", PAL_ACTION_PASS);
  g_autoptr(PalRule) nd = rule_new (PAL_PROPERTY_ICMPV6_TYPE, PAL_RELATION_IS,
                                    "nd-neighbor-solicit,nd-neighbor-advert", PAL_ACTION_PASS);
  g_autoptr(PalRule) block = rule_new (PAL_PROPERTY_DIRECTION, PAL_RELATION_IS, "in", PAL_ACTION_DROP);
  g_autoptr(GPtrArray) warnings = NULL;
  PalLockoutWarning *warning;

  pal_rule_set_name (block, "Block incoming");
  pal_document_append_rule (document, web);
  pal_document_append_rule (document, nd);
  pal_document_append_rule (document, block);
  pal_document_set_default_verdict (document, PAL_VERDICT_PASS);

  warnings = pal_lockout_check (document, "192.0.2.1 50000 198.51.100.2 22", "eth0");
  g_assert_cmpuint (warnings->len, ==, 1);
  warning = g_ptr_array_index (warnings, 0);
  g_test_message ("%s", warning->text);
  g_assert_true (warning->rule == block);
  g_assert_nonnull (strstr (warning->text, "your SSH connection from 192.0.2.1 to port 22"));
  g_assert_nonnull (strstr (warning->text, "“Block incoming”"));
  g_clear_pointer (&warnings, g_ptr_array_unref);

  /* Established passes, new ones do not: still a warning. */
  {
    g_autoptr(PalRule) established = rule_new (PAL_PROPERTY_CONNECTION_STATE, PAL_RELATION_IS,
                                               "established", PAL_ACTION_PASS);

    pal_document_insert_rule (document, 0, established);
    warnings = pal_lockout_check (document, "192.0.2.1 50000 198.51.100.2 22", "eth0");
    g_assert_cmpuint (warnings->len, ==, 1);
    warning = g_ptr_array_index (warnings, 0);
    g_assert_nonnull (strstr (warning->text, "new SSH connections"));
    g_clear_pointer (&warnings, g_ptr_array_unref);
  }

  /* Garbage in SSH_CONNECTION: nothing to check. */
  warnings = pal_lockout_check (document, "nonsense", NULL);
  g_assert_cmpuint (warnings->len, ==, 0);
}

static void
test_lockout_neighbour_discovery (void)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalRule) echo = rule_new (PAL_PROPERTY_ICMPV6_TYPE, PAL_RELATION_IS, "echo-request", PAL_ACTION_PASS);
  g_autoptr(GPtrArray) warnings = NULL;

  pal_document_append_rule (document, echo);
  pal_document_set_default_verdict (document, PAL_VERDICT_DROP);
  warnings = pal_lockout_check (document, NULL, NULL);
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_nonnull (strstr (((PalLockoutWarning *) g_ptr_array_index (warnings, 0))->text,
                            "IPv6 neighbour solicitations"));
  g_assert_null (((PalLockoutWarning *) g_ptr_array_index (warnings, 0))->rule);
  g_clear_pointer (&warnings, g_ptr_array_unref);

  pal_rule_set_value (echo, "nd-neighbor-solicit,nd-neighbor-advert");
  warnings = pal_lockout_check (document, NULL, NULL);
  g_assert_cmpuint (warnings->len, ==, 0);
}

static void
test_find_interface (void)
{
  g_autofree char *lo = pal_lockout_find_interface ("127.0.0.1");

  g_assert_cmpstr (lo, ==, "lo");
  g_assert_null (pal_lockout_find_interface ("not an address"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/evaluator/properties", test_properties);
  g_test_add_func ("/evaluator/outline", test_outline);
  g_test_add_func ("/evaluator/group-exit-unfiltered", test_group_exit_unfiltered);
  g_test_add_func ("/evaluator/unknown-fields", test_unknown_fields);
  g_test_add_func ("/lockout/ssh", test_lockout_ssh);
  g_test_add_func ("/lockout/neighbour-discovery", test_lockout_neighbour_discovery);
  g_test_add_func ("/lockout/find-interface", test_find_interface);

  return g_test_run ();
}
