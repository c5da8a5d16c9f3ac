/* test-validator.c — the checks of pal_validate_document() and
 * pal_validate_rules(): contradictions between a rule and the rules above
 * it, values and parameters, names, ids, limits and the document settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pal-fwdoc.h"
#include "pal-rule-private.h"
#include "pal-validator.h"
#include "pal-value.h"

typedef struct
{
  PalDocument *document;
  GPtrArray   *problems;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->document = pal_document_new ();
  fixture->problems = NULL;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->document);
  g_clear_pointer (&fixture->problems, g_ptr_array_unref);
}

static PalRule *
make_rule (PalProperty  property,
           PalRelation  relation,
           const char  *value,
           PalAction    action)
{
  PalRule *rule = pal_rule_new (property, action);

  pal_rule_set_relation (rule, relation);
  pal_rule_set_value (rule, value);
  return rule;
}

static void
validate (Fixture *fixture)
{
  g_clear_pointer (&fixture->problems, g_ptr_array_unref);
  fixture->problems = pal_validate_document (fixture->document);
  for (guint i = 0; i < fixture->problems->len; i++)
    {
      g_autofree char *line = pal_problem_to_string (g_ptr_array_index (fixture->problems, i), NULL);
      g_test_message ("  %s", line);
    }
}

static const PalProblem *
only_problem (Fixture *fixture)
{
  g_assert_cmpuint (fixture->problems->len, ==, 1);
  return g_ptr_array_index (fixture->problems, 0);
}

/* ------------------------------------------------------------------ */
/* Contradictions between a parent and its child                       */

typedef struct
{
  PalProperty  parent_property;
  PalRelation  parent_relation;
  const char  *parent_value;
  PalProperty  child_property;
  PalRelation  child_relation;
  const char  *child_value;
  const char  *message;   /* NULL: no problem */
  const char  *member;    /* of the child: "property" or "value" */
} Pair;

#define IS PAL_RELATION_IS
#define IS_NOT PAL_RELATION_IS_NOT

static const Pair pairs[] = {
  { PAL_PROPERTY_PROTOCOL, IS, "tcp", PAL_PROPERTY_ICMP_TYPE, IS, "echo-request",
    "icmp-type cannot match below \"Parent\" (rules[0]), which only lets TCP through.", "property" },
  /* A header property needs its protocol whatever its relation. */
  { PAL_PROPERTY_PROTOCOL, IS, "tcp", PAL_PROPERTY_ICMP_TYPE, IS_NOT, "echo-request",
    "icmp-type cannot match below \"Parent\" (rules[0]), which only lets TCP through.", "property" },
  { PAL_PROPERTY_PROTOCOL, IS, "tcp", PAL_PROPERTY_DESTINATION_PORT, IS, "80", NULL, NULL },
  { PAL_PROPERTY_PROTOCOL, IS, "icmp", PAL_PROPERTY_DESTINATION_PORT, IS, "80",
    "destination-port cannot match below \"Parent\" (rules[0]), which only lets ICMP through.",
    "property" },
  { PAL_PROPERTY_PROTOCOL, IS, "icmp", PAL_PROPERTY_TCP_FLAGS, IS, "syn",
    "tcp-flags cannot match below \"Parent\" (rules[0]), which only lets ICMP through.", "property" },
  { PAL_PROPERTY_PROTOCOL, IS, "udp, gre", PAL_PROPERTY_TCP_OPTION, IS, "mss",
    "tcp-option cannot match below \"Parent\" (rules[0]), which only lets UDP and GRE through.",
    "property" },
  { PAL_PROPERTY_PROTOCOL, IS, "tcp, udp", PAL_PROPERTY_TCP_FLAGS, IS, "syn", NULL, NULL },
  { PAL_PROPERTY_PROTOCOL, IS, "tcp", PAL_PROPERTY_PROTOCOL, IS, "udp",
    "protocol udp cannot match below \"Parent\" (rules[0]), which only lets TCP through.", "value" },
  { PAL_PROPERTY_PROTOCOL, IS, "tcp", PAL_PROPERTY_PROTOCOL, IS_NOT, "udp", NULL, NULL },
  /* Only "is" narrows. */
  { PAL_PROPERTY_PROTOCOL, IS_NOT, "tcp", PAL_PROPERTY_TCP_FLAGS, IS, "syn", NULL, NULL },
  { PAL_PROPERTY_ICMP_TYPE, IS, "echo-request", PAL_PROPERTY_PROTOCOL, IS, "tcp",
    "protocol tcp cannot match below \"Parent\" (rules[0]), which only lets ICMP through.", "value" },
  { PAL_PROPERTY_IP_VERSION, IS, "4", PAL_PROPERTY_SOURCE_ADDRESS, IS, "2001:db8::1",
    "An IPv6 source-address cannot match below \"Parent\" (rules[0]), which only lets IPv4 through.",
    "value" },
  { PAL_PROPERTY_IP_VERSION, IS, "6", PAL_PROPERTY_DESTINATION_ADDRESS, IS, "10.0.0.1",
    "An IPv4 destination-address cannot match below \"Parent\" (rules[0]), which only lets IPv6 "
    "through.", "value" },
  { PAL_PROPERTY_IP_VERSION, IS, "4", PAL_PROPERTY_SOURCE_ADDRESS, IS, "10.0.0.1, ::1", NULL, NULL },
  { PAL_PROPERTY_IP_VERSION, IS, "4", PAL_PROPERTY_ICMPV6_TYPE, IS, "echo-request",
    "icmpv6-type cannot match below \"Parent\" (rules[0]), which only lets IPv4 through.", "property" },
  { PAL_PROPERTY_IP_VERSION, IS, "6", PAL_PROPERTY_ICMP_TYPE, IS, "echo-request",
    "icmp-type cannot match below \"Parent\" (rules[0]), which only lets IPv6 through.", "property" },
  { PAL_PROPERTY_IP_VERSION, IS, "6", PAL_PROPERTY_IP_OPTION, IS, "lsrr",
    "ip-option cannot match below \"Parent\" (rules[0]), which only lets IPv6 through.", "property" },
  { PAL_PROPERTY_IP_VERSION, IS, "6", PAL_PROPERTY_PROTOCOL, IS, "icmp",
    "protocol icmp cannot match below \"Parent\" (rules[0]), which only lets IPv6 through.", "value" },
  { PAL_PROPERTY_IP_VERSION, IS, "6", PAL_PROPERTY_PROTOCOL, IS, "icmpv6", NULL, NULL },
  { PAL_PROPERTY_SOURCE_ADDRESS, IS, "10.0.0.0/8", PAL_PROPERTY_DESTINATION_ADDRESS, IS,
    "2001:db8::/32",
    "An IPv6 destination-address cannot match below \"Parent\" (rules[0]), which only lets IPv4 "
    "through.", "value" },
  { PAL_PROPERTY_SOURCE_ADDRESS, IS_NOT, "10.0.0.0/8", PAL_PROPERTY_DESTINATION_ADDRESS, IS,
    "2001:db8::/32", NULL, NULL },
  { PAL_PROPERTY_SOURCE_ADDRESS, IS, "10.0.0.0/8", PAL_PROPERTY_ICMPV6_TYPE, IS, "echo-request",
    "icmpv6-type cannot match below \"Parent\" (rules[0]), which only lets IPv4 through.", "property" },
  { PAL_PROPERTY_PROTOCOL, IS, "icmpv6", PAL_PROPERTY_SOURCE_ADDRESS, IS, "10.0.0.1",
    "An IPv4 source-address cannot match below \"Parent\" (rules[0]), which only lets IPv6 through.",
    "value" },
  { PAL_PROPERTY_DIRECTION, IS, "in", PAL_PROPERTY_DIRECTION, IS, "out",
    "direction out cannot match below \"Parent\" (rules[0]), which only lets incoming traffic "
    "through.", "value" },
  { PAL_PROPERTY_DIRECTION, IS, "in, forward", PAL_PROPERTY_DIRECTION, IS, "out",
    "direction out cannot match below \"Parent\" (rules[0]), which only lets incoming and forwarded "
    "traffic through.", "value" },
  { PAL_PROPERTY_DIRECTION, IS, "in, out", PAL_PROPERTY_DIRECTION, IS, "out", NULL, NULL },
  { PAL_PROPERTY_DIRECTION, IS, "in", PAL_PROPERTY_DIRECTION, IS_NOT, "in", NULL, NULL },
  { PAL_PROPERTY_ANY, IS, "", PAL_PROPERTY_ICMP_TYPE, IS, "echo-request", NULL, NULL },
};

static void
test_pairs (Fixture       *fixture,
            gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      const Pair *pair = &pairs[i];
      g_autoptr(PalRule) parent = make_rule (pair->parent_property, pair->parent_relation,
                                             pair->parent_value, PAL_ACTION_GROUP);
      g_autoptr(PalRule) child = make_rule (pair->child_property, pair->child_relation,
                                            pair->child_value, PAL_ACTION_PASS);
      g_autoptr(GPtrArray) rules = g_ptr_array_new ();
      g_autoptr(GPtrArray) problems = NULL;

      g_test_message ("%s %s %s / %s %s %s", pal_property_to_string (pair->parent_property),
                      pal_relation_to_string (pair->parent_relation), pair->parent_value,
                      pal_property_to_string (pair->child_property),
                      pal_relation_to_string (pair->child_relation), pair->child_value);
      pal_rule_set_name (parent, "Parent");
      pal_rule_append_child (parent, child);
      g_ptr_array_add (rules, parent);

      problems = pal_validate_rules (rules);
      if (pair->message == NULL)
        {
          g_assert_cmpuint (problems->len, ==, 0);
        }
      else
        {
          g_autofree char *path = g_strconcat ("[0].children[0].", pair->member, NULL);
          g_autoptr(GString) expected = g_string_new (pair->message);
          const PalProblem *found;

          /* pal_validate_rules() names paths from the list: [0], not rules[0]. */
          g_string_replace (expected, "(rules[0])", "([0])", 0);
          g_assert_cmpuint (problems->len, ==, 1);
          found = g_ptr_array_index (problems, 0);
          g_assert_cmpint (found->code, ==, PAL_DOCUMENT_ERROR_CONTRADICTION);
          g_assert_true (found->rule == child);
          g_assert_cmpuint (found->line, ==, 0);
          g_assert_cmpstr (found->path, ==, path);
          g_assert_cmpstr (found->message, ==, expected->str);
        }
    }
}

/* The ancestor named is the one that narrowed the traffic, however high. */
static void
test_grandparent (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PalRule) web = make_rule (PAL_PROPERTY_PROTOCOL, IS, "tcp", PAL_ACTION_GROUP);
  g_autoptr(PalRule) group = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_GROUP);
  g_autoptr(PalRule) ping = make_rule (PAL_PROPERTY_ICMP_TYPE, IS, "echo-request", PAL_ACTION_PASS);
  g_autoptr(PalRule) first = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_COUNT);
  const PalProblem *found;

  pal_rule_set_name (web, "Web");
  pal_rule_append_child (web, group);
  pal_rule_append_child (group, ping);
  /* Disabled rules are checked too: someone may tick them on. */
  pal_rule_set_enabled (web, FALSE);
  pal_document_append_rule (fixture->document, first);
  pal_document_append_rule (fixture->document, web);

  validate (fixture);
  found = only_problem (fixture);
  g_assert_cmpstr (found->path, ==, "rules[1].children[0].children[0].property");
  g_assert_cmpstr (found->message, ==,
                   "icmp-type cannot match below \"Web\" (rules[1]), which only lets TCP through.");
}

/* The nearest narrowing ancestor is named; a rule without a name by its path. */
static void
test_nearest_ancestor (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(PalRule) both = make_rule (PAL_PROPERTY_PROTOCOL, IS, "tcp, udp", PAL_ACTION_GROUP);
  g_autoptr(PalRule) udp = make_rule (PAL_PROPERTY_PROTOCOL, IS, "udp", PAL_ACTION_GROUP);
  g_autoptr(PalRule) flags = make_rule (PAL_PROPERTY_TCP_FLAGS, IS, "syn", PAL_ACTION_DROP);

  pal_rule_set_name (both, "Both");
  pal_rule_append_child (both, udp);
  pal_rule_append_child (udp, flags);
  pal_document_append_rule (fixture->document, both);

  validate (fixture);
  g_assert_cmpstr (only_problem (fixture)->message, ==,
                   "tcp-flags cannot match below rules[0].children[0], which only lets UDP "
                   "through.");
}

/* A contradiction is told where it starts, not again at every rule below. */
static void
test_told_once (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PalRule) tcp = make_rule (PAL_PROPERTY_PROTOCOL, IS, "tcp", PAL_ACTION_GROUP);
  g_autoptr(PalRule) udp = make_rule (PAL_PROPERTY_PROTOCOL, IS, "udp", PAL_ACTION_GROUP);
  g_autoptr(PalRule) port = make_rule (PAL_PROPERTY_DESTINATION_PORT, IS, "53", PAL_ACTION_PASS);
  g_autoptr(PalRule) v4 = make_rule (PAL_PROPERTY_IP_VERSION, IS, "4", PAL_ACTION_GROUP);
  g_autoptr(PalRule) v6 = make_rule (PAL_PROPERTY_IP_VERSION, IS, "6", PAL_ACTION_GROUP);
  g_autoptr(PalRule) address = make_rule (PAL_PROPERTY_SOURCE_ADDRESS, IS, "::1", PAL_ACTION_PASS);

  pal_rule_append_child (tcp, udp);
  pal_rule_append_child (udp, port);
  pal_rule_append_child (v4, v6);
  pal_rule_append_child (v6, address);
  pal_document_append_rule (fixture->document, tcp);
  pal_document_append_rule (fixture->document, v4);

  validate (fixture);
  g_assert_cmpuint (fixture->problems->len, ==, 2);
  g_assert_cmpstr (((PalProblem *) g_ptr_array_index (fixture->problems, 0))->path, ==,
                   "rules[0].children[0].value");
  g_assert_cmpstr (((PalProblem *) g_ptr_array_index (fixture->problems, 1))->path, ==,
                   "rules[1].children[0].value");
}

/* Rules read back from the kernel are the kernel's text: not parsed. */
static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PalRule) web = make_rule (PAL_PROPERTY_PROTOCOL, IS, "tcp", PAL_ACTION_GROUP);
  g_autoptr(PalRule) foreign = make_rule (PAL_PROPERTY_ICMP_TYPE, IS, "ip daddr 1.2.3.4 accept",
                                          PAL_ACTION_PASS);
  g_autofree char *long_name = g_strnfill (PAL_DOCUMENT_MAX_NAME_LENGTH + 10, 'n');

  pal_rule_set_read_only (foreign, TRUE);
  pal_rule_set_name (foreign, long_name);
  pal_rule_append_child (web, foreign);
  pal_document_append_rule (fixture->document, web);

  validate (fixture);
  g_assert_cmpuint (fixture->problems->len, ==, 0);
}

static void
test_exit_group (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(PalRule) top = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_EXIT_GROUP);
  g_autoptr(PalRule) group = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_GROUP);
  g_autoptr(PalRule) inner = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_EXIT_GROUP);
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  g_autoptr(GPtrArray) problems = NULL;
  const PalProblem *found;

  pal_rule_append_child (group, inner);
  pal_document_append_rule (fixture->document, top);
  pal_document_append_rule (fixture->document, group);
  validate (fixture);
  found = only_problem (fixture);
  g_assert_cmpint (found->code, ==, PAL_DOCUMENT_ERROR_CONTRADICTION);
  g_assert_cmpstr (found->path, ==, "rules[0].action");
  g_assert_true (found->rule == top);

  /* Rules on the clipboard may be pasted into a group. */
  g_ptr_array_add (rules, top);
  problems = pal_validate_rules (rules);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* ------------------------------------------------------------------ */
/* One rule at a time                                                  */

static void
test_values_and_parameters (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PalRule) any = make_rule (PAL_PROPERTY_ANY, IS, "something", PAL_ACTION_PASS);
  g_autoptr(PalRule) port = make_rule (PAL_PROPERTY_DESTINATION_PORT, IS, "65536", PAL_ACTION_PASS);
  g_autoptr(PalRule) rate = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_RATE_LIMIT);
  g_autoptr(PalRule) pass = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_PASS);
  const PalProblem *found;

  pal_rule_set_parameter (rate, "lots");
  pal_rule_set_parameter (pass, "now");
  pal_document_append_rule (fixture->document, any);
  pal_document_append_rule (fixture->document, port);
  pal_document_append_rule (fixture->document, rate);
  pal_document_append_rule (fixture->document, pass);

  validate (fixture);
  g_assert_cmpuint (fixture->problems->len, ==, 4);
  found = g_ptr_array_index (fixture->problems, 0);
  g_assert_cmpstr (found->path, ==, "rules[0].value");
  g_assert_cmpint (found->code, ==, PAL_DOCUMENT_ERROR_INVALID_VALUE);
  found = g_ptr_array_index (fixture->problems, 1);
  g_assert_cmpstr (found->path, ==, "rules[1].value");
  g_assert_cmpstr (found->message, ==, "\"65536\" is not a port number (0 to 65535).");
  found = g_ptr_array_index (fixture->problems, 2);
  g_assert_cmpstr (found->path, ==, "rules[2].parameter");
  found = g_ptr_array_index (fixture->problems, 3);
  g_assert_cmpstr (found->path, ==, "rules[3].parameter");
  g_assert_true (found->rule == pass);
}

static void
test_value_too_long (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *huge = g_strnfill (PAL_VALUE_MAX_LENGTH + 1, '1');
  g_autoptr(PalRule) rule = make_rule (PAL_PROPERTY_DESTINATION_PORT, IS, huge, PAL_ACTION_PASS);

  pal_document_append_rule (fixture->document, rule);
  validate (fixture);
  g_assert_cmpint (only_problem (fixture)->code, ==, PAL_DOCUMENT_ERROR_LIMIT);
}

static void
test_name_length (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *fits = g_strnfill (PAL_DOCUMENT_MAX_NAME_LENGTH, 'a');
  g_autofree char *too_long = g_strnfill (PAL_DOCUMENT_MAX_NAME_LENGTH + 1, 'a');
  g_autoptr(PalRule) first = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_PASS);
  g_autoptr(PalRule) second = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_PASS);
  const PalProblem *found;

  pal_rule_set_name (first, fits);
  pal_rule_set_name (second, too_long);
  pal_document_append_rule (fixture->document, first);
  pal_document_append_rule (fixture->document, second);

  validate (fixture);
  found = only_problem (fixture);
  g_assert_cmpint (found->code, ==, PAL_DOCUMENT_ERROR_LIMIT);
  g_assert_cmpstr (found->path, ==, "rules[1].name");
  g_assert_cmpstr (found->message, ==,
                   "The name is 257 bytes long; a rule's name may have at most 256.");
}

static void
test_duplicate_ids (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PalRule) first = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_GROUP);
  g_autoptr(PalRule) child = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_PASS);
  g_autoptr(PalRule) second = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_PASS);
  const PalProblem *found;

  pal_rule_append_child (first, child);
  pal_rule_set_id (second, pal_rule_get_id (child));
  pal_document_append_rule (fixture->document, first);
  pal_document_append_rule (fixture->document, second);

  validate (fixture);
  found = only_problem (fixture);
  g_assert_cmpstr (found->path, ==, "rules[1].id");
  g_assert_true (g_str_has_suffix (found->message,
                                   " is already used by rules[0].children[0]; "
                                   "every rule needs its own."));
}

static void
test_depth (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(PalRule) top = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_GROUP);
  g_autoptr(GString) path = g_string_new ("rules[0]");
  PalRule *parent = top;
  const PalProblem *found;

  /* 17 levels: one more than allowed. */
  for (guint i = 1; i <= PAL_DOCUMENT_MAX_DEPTH; i++)
    {
      g_autoptr(PalRule) child = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_GROUP);

      pal_rule_append_child (parent, child);
      parent = child;
      g_string_append (path, ".children[0]");
    }
  pal_document_append_rule (fixture->document, top);

  validate (fixture);
  found = only_problem (fixture);
  g_assert_cmpint (found->code, ==, PAL_DOCUMENT_ERROR_LIMIT);
  g_assert_cmpstr (found->path, ==, path->str);
  g_assert_true (found->rule == parent);
}

/* ------------------------------------------------------------------ */
/* Document settings                                                   */

static void
test_trusted (Fixture       *fixture,
              gconstpointer  data)
{
  const char *trusted[] = { "192.168.0.0/24", "2001:db8::/32", "10.0.0.1-10.0.0.9",
                            "10.0.0.300", "10.0.0.1, 10.0.0.2", "", NULL };
  const PalProblem *found;

  pal_document_set_trusted (fixture->document, trusted);
  validate (fixture);
  g_assert_cmpuint (fixture->problems->len, ==, 3);
  found = g_ptr_array_index (fixture->problems, 0);
  g_assert_cmpstr (found->path, ==, "triggered.trusted[3]");
  g_assert_cmpstr (found->message, ==, "\"10.0.0.300\" is not an IPv4 address.");
  found = g_ptr_array_index (fixture->problems, 1);
  g_assert_cmpstr (found->path, ==, "triggered.trusted[4]");
  g_assert_cmpstr (found->message, ==,
                   "Write one address or network per entry of the trusted list.");
  found = g_ptr_array_index (fixture->problems, 2);
  g_assert_cmpstr (found->path, ==, "triggered.trusted[5]");
}

static void
test_trusted_count (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) trusted = NULL;

  for (guint i = 0; i <= PAL_DOCUMENT_MAX_TRUSTED; i++)
    {
      g_autofree char *entry = g_strdup_printf ("10.1.%u.%u", i / 256, i % 256);
      g_strv_builder_add (builder, entry);
    }
  trusted = g_strv_builder_end (builder);
  pal_document_set_trusted (fixture->document, (const char * const *) trusted);
  validate (fixture);
  g_assert_cmpstr (only_problem (fixture)->path, ==, "triggered.trusted");
  g_assert_cmpint (only_problem (fixture)->code, ==, PAL_DOCUMENT_ERROR_LIMIT);
}

static void
test_adaptive (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(PalAdaptiveSettings) adaptive = pal_adaptive_settings_new ();
  const char *services[] = { "sshd", "dovecot", "user@1000", "bad name", "-x", "", NULL };
  static const char *const expected[][2] = {
    { "adaptive.failures", "The number of failures must be from 1 to 1000, not 1001." },
    { "adaptive.window", "The duration cannot be forever here." },
    { "adaptive.duration", "The duration must be longer than 0s." },
    { "adaptive.services[3]", NULL },
    { "adaptive.services[4]", NULL },
    { "adaptive.services[5]", NULL },
  };

  adaptive->failures = 1001;
  adaptive->window = PAL_DURATION_FOREVER;
  adaptive->duration = 0;
  g_strfreev (adaptive->services);
  adaptive->services = g_strdupv ((char **) services);
  pal_document_set_adaptive (fixture->document, adaptive);
  pal_document_set_trigger_duration (fixture->document, 0);

  validate (fixture);
  g_assert_cmpuint (fixture->problems->len, ==, G_N_ELEMENTS (expected) + 1);
  g_assert_cmpstr (((PalProblem *) g_ptr_array_index (fixture->problems, 0))->path, ==,
                   "triggered.duration");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const PalProblem *found = g_ptr_array_index (fixture->problems, i + 1);

      g_assert_cmpstr (found->path, ==, expected[i][0]);
      if (expected[i][1] != NULL)
        g_assert_cmpstr (found->message, ==, expected[i][1]);
    }
}

static void
test_adaptive_bans (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PalAdaptiveSettings) adaptive = pal_adaptive_settings_new ();

  adaptive->duration = 60 * 60;
  adaptive->max_duration = 10 * 60;
  pal_document_set_adaptive (fixture->document, adaptive);
  validate (fixture);
  g_assert_cmpstr (only_problem (fixture)->path, ==, "adaptive.max-duration");
  g_assert_cmpstr (only_problem (fixture)->message, ==,
                   "The longest ban (10m) is shorter than the first ban (1h).");

  /* Forever is a fine ban (a permanent blacklist). */
  adaptive->duration = PAL_DURATION_FOREVER;
  adaptive->max_duration = PAL_DURATION_FOREVER;
  pal_document_set_adaptive (fixture->document, adaptive);
  validate (fixture);
  g_assert_cmpuint (fixture->problems->len, ==, 0);
}

static void
test_interfaces (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *const names[] = { "eth0", "br-lan.10", "abcdefghijklmno", "abcdefghijklmnop",
                                "a/b", "a:b", "a b", ".." };
  guint bad = 0;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(PalInterfaceConfig) config = pal_interface_config_new (names[i]);
      pal_document_set_interface (fixture->document, config);
    }
  validate (fixture);
  for (guint i = 0; i < fixture->problems->len; i++)
    {
      const PalProblem *found = g_ptr_array_index (fixture->problems, i);

      g_assert_true (g_str_has_prefix (found->path, "interfaces"));
      bad++;
    }
  g_assert_cmpuint (bad, ==, 5);
}

static void
test_valid_document (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PalRule) web = make_rule (PAL_PROPERTY_PROTOCOL, IS, "tcp", PAL_ACTION_GROUP);
  g_autoptr(PalRule) http = make_rule (PAL_PROPERTY_DESTINATION_PORT, IS, "80, 443", PAL_ACTION_PASS);
  g_autoptr(PalRule) syn = make_rule (PAL_PROPERTY_TCP_FLAGS, IS, "syn, -ack", PAL_ACTION_RATE_LIMIT);
  g_autoptr(PalRule) leave = make_rule (PAL_PROPERTY_SOURCE_ADDRESS, IS, "10.0.0.0/8, ::1",
                                        PAL_ACTION_EXIT_GROUP);

  pal_rule_set_parameter (syn, "10/second burst 5");
  pal_rule_append_child (web, http);
  pal_rule_append_child (web, syn);
  pal_rule_append_child (web, leave);
  pal_document_append_rule (fixture->document, web);

  validate (fixture);
  g_assert_cmpuint (fixture->problems->len, ==, 0);
}

/* A JSON value nesting n arrays: [[[…]]]. */
static JsonNode *
nested_arrays (guint n)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, json_array_new ());
  for (guint i = 1; i < n; i++)
    {
      JsonNode *outer = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      json_array_add_element (array, node);
      json_node_take_array (outer, array);
      node = outer;
    }
  return node;
}

/* What the validator accepts, a file can hold: the model at the edge of
 * what the format allows saves and loads back without a problem, and one
 * step past it is reported by the validator, not only by the reader. */
static void
test_file_holds (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(PalAdaptiveSettings) adaptive = pal_adaptive_settings_new ();
  g_autoptr(PalRule) group = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_GROUP);
  g_autoptr(PalRule) child = make_rule (PAL_PROPERTY_ANY, IS, "", PAL_ACTION_PASS);
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(JsonObject) document_extra = json_object_new ();
  g_autoptr(PalDocument) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint64 ten_years = (guint64) 3650 * 24 * 60 * 60;

  adaptive->max_duration = ten_years;
  pal_document_set_adaptive (fixture->document, adaptive);
  /* A child's members sit 5 levels deep: 59 more fit. */
  json_object_set_member (extra, "deep", nested_arrays (59));
  pal_rule_set_extra (child, extra);
  pal_rule_append_child (group, child);
  pal_document_append_rule (fixture->document, group);
  json_object_set_member (document_extra, "deep", nested_arrays (63));
  pal_document_set_extra (fixture->document, document_extra);

  validate (fixture);
  g_assert_cmpuint (fixture->problems->len, ==, 0);
  text = pal_fwdoc_save_data (fixture->document, NULL);
  loaded = pal_fwdoc_load_data (text, -1, "edge.fwdoc", NULL, &error);
  g_assert_no_error (error);

  /* One step further each. */
  adaptive->max_duration = ten_years + 1;
  pal_document_set_adaptive (fixture->document, adaptive);
  json_object_set_member (extra, "deep", nested_arrays (60));
  json_object_set_member (document_extra, "deep", nested_arrays (64));
  pal_document_set_format_version (fixture->document, 0);

  validate (fixture);
  g_assert_cmpuint (fixture->problems->len, ==, 4);
  g_assert_cmpstr (((PalProblem *) g_ptr_array_index (fixture->problems, 0))->path, ==, "fwdoc");
  g_assert_cmpstr (((PalProblem *) g_ptr_array_index (fixture->problems, 1))->path, ==, "deep");
  g_assert_cmpstr (((PalProblem *) g_ptr_array_index (fixture->problems, 2))->path, ==,
                   "adaptive.max-duration");
  g_assert_cmpstr (((PalProblem *) g_ptr_array_index (fixture->problems, 3))->path, ==,
                   "rules[0].children[0].deep");
  g_assert_true (((PalProblem *) g_ptr_array_index (fixture->problems, 3))->rule == child);
}

static void
test_interface_name_encoding (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(PalInterfaceConfig) config = pal_interface_config_new ("eth\xff");

  pal_document_set_interface (fixture->document, config);
  validate (fixture);
  g_assert_cmpint (only_problem (fixture)->code, ==, PAL_DOCUMENT_ERROR_INVALID_VALUE);
}

/* The arrays the validator walks (pal-rule-private.h) hold what the
 * GListModels hold after every kind of change; an id used twice after
 * such changes is told with both rules' paths. */
static void
assert_same_rules (GListModel *model,
                   PalRule   **rules,
                   guint       n)
{
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (model, i);

      g_assert_true (rule == rules[i]);
    }
}

static void
assert_arrays (PalDocument *document)
{
  PalRule **rules;
  guint n;

  rules = pal_document_peek_rules (document, &n);
  assert_same_rules (pal_document_get_rules (document), rules, n);
  for (guint i = 0; i < n; i++)
    {
      PalRule **children;
      guint n_children;

      children = pal_rule_peek_children (rules[i], &n_children);
      assert_same_rules (pal_rule_get_children (rules[i]), children, n_children);
    }
}

static void
test_rule_arrays (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PalRule) group = make_rule (PAL_PROPERTY_DIRECTION, PAL_RELATION_IS, "in", PAL_ACTION_GROUP);
  g_autoptr(PalRule) copy_source = make_rule (PAL_PROPERTY_PROTOCOL, PAL_RELATION_IS, "udp", PAL_ACTION_COUNT);
  g_autoptr(PalDocument) copy = NULL;
  g_autoptr(GPtrArray) top = g_ptr_array_new_with_free_func (g_object_unref);
  const PalProblem *problem;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(PalRule) child = make_rule (PAL_PROPERTY_DESTINATION_PORT, PAL_RELATION_IS, "22", PAL_ACTION_COUNT);

      pal_rule_insert_child (group, i % 2 == 0 ? 0 : G_MAXUINT, child);
    }
  pal_rule_remove_child (group, 2);
  pal_rule_remove_child (group, 0);
  pal_document_append_rule (fixture->document, copy_source);
  pal_document_insert_rule (fixture->document, 0, group);
  assert_arrays (fixture->document);
  copy = pal_document_copy (fixture->document);
  assert_arrays (copy);
  pal_document_remove_rule (fixture->document, 1);
  assert_arrays (fixture->document);
  g_ptr_array_add (top, g_object_ref (copy_source));
  g_ptr_array_add (top, g_object_ref (group));
  pal_document_set_rules (fixture->document, top);
  assert_arrays (fixture->document);

  /* The second child takes the first's id. */
  {
    g_autoptr(PalRule) first = pal_rule_get_child (group, 0);
    g_autoptr(PalRule) second = pal_rule_get_child (group, 1);

    pal_rule_set_id (second, pal_rule_get_id (first));
  }
  validate (fixture);
  problem = only_problem (fixture);
  g_assert_cmpstr (problem->path, ==, "rules[1].children[1].id");
  g_assert_nonnull (strstr (problem->message, "already used by rules[1].children[0]"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/validator/contradiction/pairs", test_pairs);
  ADD ("/validator/contradiction/grandparent", test_grandparent);
  ADD ("/validator/contradiction/nearest-ancestor", test_nearest_ancestor);
  ADD ("/validator/contradiction/told-once", test_told_once);
  ADD ("/validator/contradiction/read-only", test_read_only);
  ADD ("/validator/contradiction/exit-group", test_exit_group);
  ADD ("/validator/rule/values-and-parameters", test_values_and_parameters);
  ADD ("/validator/rule/value-too-long", test_value_too_long);
  ADD ("/validator/rule/name-length", test_name_length);
  ADD ("/validator/rule/duplicate-ids", test_duplicate_ids);
  ADD ("/validator/rule/arrays", test_rule_arrays);
  ADD ("/validator/rule/depth", test_depth);
  ADD ("/validator/settings/trusted", test_trusted);
  ADD ("/validator/settings/trusted-count", test_trusted_count);
  ADD ("/validator/settings/adaptive", test_adaptive);
  ADD ("/validator/settings/adaptive-bans", test_adaptive_bans);
  ADD ("/validator/settings/interfaces", test_interfaces);
  ADD ("/validator/settings/interface-name-encoding", test_interface_name_encoding);
  ADD ("/validator/valid", test_valid_document);
  ADD ("/validator/file-holds", test_file_holds);

  return g_test_run ();
}
