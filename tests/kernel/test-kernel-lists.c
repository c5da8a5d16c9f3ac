/* test-kernel-lists.c — rules whose value is a list, compiled to one
 * kernel rule per element ("is") or to one rule of "!=" tests ("is-not")
 * instead of an anonymous set (pal-nft-match.h): each test in a network
 * namespace of its own, with nft as the independent reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kernel-test-util.h"
#include "pal-nft-match.h"
#include "pal-nft-plan.h"

#define GROUP_IN   "10000000-0000-4000-8000-000000000001"
#define GROUP_PORT "10000000-0000-4000-8000-000000000002"
#define LIST_IS    "20000000-0000-4000-8000-000000000001"
#define LIST_NOT   "20000000-0000-4000-8000-000000000002"
#define ONE_7001   "30000000-0000-4000-8000-000000000001"
#define ONE_7003   "30000000-0000-4000-8000-000000000002"
#define ONE_7006   "30000000-0000-4000-8000-000000000003"
#define ADDRESSES  "40000000-0000-4000-8000-000000000001"

#define PORTS "7001, 7003, 7006-7007"

/* Incoming UDP to ports 7000-7010: the list as "is" and "is-not", and
 * each of its elements as a rule of its own, all counting; then a rule
 * with an address list of both families. */
static PalDocument *
lists_document (const char *ports)
{
  PalDocument *document = pal_document_new ();
  g_autoptr(PalRule) in = kernel_rule (GROUP_IN, "direction", "is", "in", "group", "");
  g_autoptr(PalRule) range = kernel_rule (GROUP_PORT, "destination-port", "is", "7000-7010", "group", "");
  const char *rules[][4] = {
    { LIST_IS, "destination-port", "is", ports },
    { LIST_NOT, "destination-port", "is-not", ports },
    { ONE_7001, "destination-port", "is", "7001" },
    { ONE_7003, "destination-port", "is", "7003" },
    { ONE_7006, "destination-port", "is", "7006-7007" },
  };
  g_autoptr(PalRule) addresses = kernel_rule (ADDRESSES, "source-address", "is",
                                              "127.0.0.1, 10.1.2.0/24, 192.0.2.7, ::1, 2001:db8::/48",
                                              "count", "");

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autoptr(PalRule) rule = kernel_rule (rules[i][0], rules[i][1], rules[i][2], rules[i][3], "count", "");

      pal_rule_append_child (range, rule);
    }
  pal_rule_append_child (in, range);
  pal_rule_append_child (in, addresses);
  pal_document_set_enabled (document, TRUE);
  pal_document_append_rule (document, in);
  return document;
}

/* The lines of listing that carry the rule id. */
static GPtrArray *
lines_of (const char *listing,
          const char *id)
{
  g_auto(GStrv) lines = g_strsplit (listing, "\n", -1);
  g_autofree char *needle = g_strdup_printf ("comment \"%s\"", id);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      g_ptr_array_add (found, g_strdup (g_strstrip (lines[i])));
  return found;
}

static guint64
handle_in (const char *line)
{
  const char *at = strstr (line, "# handle ");

  g_assert_nonnull (at);
  return g_ascii_strtoull (at + strlen ("# handle "), NULL, 10);
}

static char *
group_chain (void)
{
  return kernel_nft ("-a", "list", "chain", "inet", "palisade", "input-" GROUP_PORT, NULL);
}

static void
send_to (const guint16 *ports,
         guint          n)
{
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (kernel_udp_exchange ("127.0.0.1", ports[i], TRUE, 8, 2000), ==, KERNEL_ANSWERED);
}

/* Show Active of a helper started afresh: the rule ids read back with
 * value (canonical), relation and action as applied, not read-only. */
static PalDocument *
assert_round_trip (PalDocument        *document,
                   const char * const *ids)
{
  g_autoptr(PalFirewall) restarted = kernel_firewall ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) active = pal_firewall_get_active (restarted, &error);

  g_assert_no_error (error);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      PalRule *original = pal_document_find_rule (document, ids[i]);
      PalRule *read = pal_document_find_rule (active, ids[i]);
      g_autofree char *value = kernel_canonical_value (original);
      g_autofree char *read_value = NULL;

      g_assert_nonnull (read);
      g_assert_false (pal_rule_get_read_only (read));
      read_value = kernel_canonical_value (read);
      g_assert_cmpstr (read_value, ==, value);
      g_assert_cmpint (pal_rule_get_relation (read), ==, pal_rule_get_relation (original));
      g_assert_cmpint (pal_rule_get_action (read), ==, pal_rule_get_action (original));
    }
  return g_steal_pointer (&active);
}

/* "is": one kernel rule per element, no set; "is-not": one rule of "!="
 * tests. Show Active of a helper started afresh gives back one document
 * rule each, with its list. */
static void
test_round_trip (void)
{
  g_autoptr(PalDocument) document = lists_document (PORTS);
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalDocument) active = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *input = NULL;
  g_autoptr(GPtrArray) is_lines = NULL;
  g_autoptr(GPtrArray) not_lines = NULL;
  g_autoptr(GPtrArray) address_lines = NULL;
  const char *ids[] = { LIST_IS, LIST_NOT, ADDRESSES, NULL };

  kernel_apply (firewall, document);
  listing = group_chain ();
  is_lines = lines_of (listing, LIST_IS);
  not_lines = lines_of (listing, LIST_NOT);
  g_assert_cmpuint (is_lines->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (is_lines, 0), "th dport 7001 "));
  g_assert_nonnull (strstr (g_ptr_array_index (is_lines, 1), "th dport 7003 "));
  g_assert_nonnull (strstr (g_ptr_array_index (is_lines, 2), "th dport 7006-7007 "));
  g_assert_cmpuint (not_lines->len, ==, 2);   /* not a ported protocol; or ported and none of them */
  g_assert_nonnull (strstr (g_ptr_array_index (not_lines, 1),
                            "th dport != 7001 th dport != 7003 th dport != 7006-7007 "));
  g_assert_null (strstr (listing, "dport {"));

  /* 127.0.0.1 10.1.2.0/24 192.0.2.7 (IPv4), ::1 2001:db8::/48 (IPv6). */
  input = kernel_nft ("-a", "list", "chain", "inet", "palisade", "input-" GROUP_IN, NULL);
  address_lines = lines_of (input, ADDRESSES);
  g_assert_cmpuint (address_lines->len, ==, 5);
  g_assert_null (strstr (input, "saddr {"));

  active = assert_round_trip (document, ids);
  /* One document rule each, not one per kernel rule. */
  g_assert_cmpuint (g_list_model_get_n_items (pal_rule_get_children (
                      pal_document_find_rule (active, GROUP_PORT))), ==, 5);
}

/* A packet to any element counts the split rule once: as much as the
 * rules of single elements together; the rest count the is-not rule. */
static void
test_counters (void)
{
  g_autoptr(PalDocument) document = lists_document (PORTS);
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  const guint16 ports[] = { 7001, 7002, 7003, 7006, 7007, 7008, 7006 };
  const char *ids[] = { LIST_IS, LIST_NOT, ONE_7001, ONE_7003, ONE_7006, GROUP_PORT };
  const guint64 expected[] = { 5, 2, 1, 1, 3, 7 };

  kernel_apply (firewall, document);
  before = kernel_counters (firewall);
  send_to (ports, G_N_ELEMENTS (ports));
  after = kernel_counters (firewall);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_test_message ("%s", ids[i]);
      g_assert_cmpuint (kernel_packets (after, ids[i]) - kernel_packets (before, ids[i]), ==, expected[i]);
    }
  /* Requests and answers from 127.0.0.1: the address list's first element. */
  g_assert_cmpuint (kernel_packets (after, ADDRESSES) - kernel_packets (before, ADDRESSES), >=,
                    2 * G_N_ELEMENTS (ports));
}

/* One element of a list changed: the change-one path replaces the one
 * kernel rule of that element by its handle; every kernel rule keeps its
 * handle, every rule its counter, and packets go where the new list says. */
static void
test_change_element (void)
{
  g_autoptr(PalDocument) document = lists_document (PORTS);
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GHashTable) last = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *listing_after = NULL;
  g_autoptr(GPtrArray) is_before = NULL;
  g_autoptr(GPtrArray) is_after = NULL;
  const guint16 first[] = { 7001, 7003, 7004 };
  const guint16 second[] = { 7003, 7004 };
  const char *ids[] = { LIST_IS, LIST_NOT, ONE_7001, ONE_7003, ONE_7006, GROUP_PORT, ADDRESSES };

  kernel_apply (firewall, document);
  send_to (first, G_N_ELEMENTS (first));
  before = kernel_counters (firewall);
  g_assert_cmpuint (kernel_packets (before, LIST_IS), ==, 2);
  g_assert_cmpuint (kernel_packets (before, LIST_NOT), ==, 1);
  listing = group_chain ();

  pal_rule_set_value (pal_document_find_rule (document, LIST_IS), "7001, 7004, 7006-7007");
  kernel_apply (firewall, document);
  after = kernel_counters (firewall);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpuint (kernel_packets (after, ids[i]), ==, kernel_packets (before, ids[i]));
  listing_after = group_chain ();
  is_before = lines_of (listing, LIST_IS);
  is_after = lines_of (listing_after, LIST_IS);
  g_assert_cmpuint (is_after->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (handle_in (g_ptr_array_index (is_after, i)), ==,
                      handle_in (g_ptr_array_index (is_before, i)));
  g_assert_cmpstr (g_ptr_array_index (is_after, 0), ==, g_ptr_array_index (is_before, 0));
  g_assert_nonnull (strstr (g_ptr_array_index (is_after, 1), "th dport 7004 "));
  g_assert_cmpstr (g_ptr_array_index (is_after, 2), ==, g_ptr_array_index (is_before, 2));
  /* The other rules' kernel rules are untouched. */
  {
    const char *others[] = { LIST_NOT, ONE_7001, ONE_7003, ONE_7006 };

    for (guint i = 0; i < G_N_ELEMENTS (others); i++)
      {
        g_autoptr(GPtrArray) old_lines = lines_of (listing, others[i]);
        g_autoptr(GPtrArray) new_lines = lines_of (listing_after, others[i]);

        g_assert_cmpuint (new_lines->len, ==, old_lines->len);
        for (guint j = 0; j < new_lines->len; j++)
          g_assert_cmpstr (g_ptr_array_index (new_lines, j), ==, g_ptr_array_index (old_lines, j));
      }
  }

  /* 7003 is no longer in the list, 7004 is. */
  send_to (second, G_N_ELEMENTS (second));
  last = kernel_counters (firewall);
  g_assert_cmpuint (kernel_packets (last, LIST_IS), ==, kernel_packets (after, LIST_IS) + 1);
  g_assert_cmpuint (kernel_packets (last, ONE_7003), ==, kernel_packets (after, ONE_7003) + 1);
  g_assert_cmpuint (kernel_packets (last, LIST_NOT), ==, kernel_packets (after, LIST_NOT) + 1);
}

/* The named sets of our table whose names are list sets. */
static guint
count_list_sets (void)
{
  g_autofree char *sets = kernel_nft ("list", "sets", "inet", NULL);
  guint n = 0;

  for (const char *at = sets; (at = strstr (at, "set " PAL_NFT_LIST_SET_PREFIX)) != NULL; at++)
    n++;
  return n;
}

static char *
long_ports (guint first)
{
  GString *ports = g_string_new (NULL);

  for (guint i = 0; i <= PAL_NFT_SPLIT_MAX; i++)
    g_string_append_printf (ports, "%s%u", i > 0 ? ", " : "", first + 2 * i);
  return g_string_free (ports, FALSE);
}

/* Past the bounds a list stays a set: a named one per distinct list,
 * shared by the rules that have it; it round-trips, a change of one
 * element moves the rules to a new set and the old one goes, and
 * packets count as the list says. */
static void
test_long_list (void)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autofree char *ports = long_ports (8000);
  /* 8000 → 7990: 17 ranges still. */
  g_autofree char *changed = g_strdup_printf ("7990%s", ports + 4);
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *listing_after = NULL;
  g_autofree char *export = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[] = { LIST_IS, LIST_NOT, ONE_7001, NULL };
  const guint16 to_8000[] = { 8000 };
  const guint16 to_7990[] = { 7990 };
  PalRule *in = kernel_rule (GROUP_IN, "direction", "is", "in", "group", "");

  pal_document_append_rule (document, in);
  g_object_unref (in);
  in = pal_document_find_rule (document, GROUP_IN);
  for (guint i = 0; i < 3; i++)
    {
      PalRule *rule = kernel_rule (ids[i], "destination-port", i == 1 ? "is-not" : "is", ports, "count", "");

      pal_rule_append_child (in, rule);
      g_object_unref (rule);
    }
  pal_document_set_enabled (document, TRUE);
  kernel_apply (firewall, document);
  listing = kernel_nft ("list", "chain", "inet", "palisade", "input-" GROUP_IN, NULL);
  g_assert_nonnull (strstr (listing, "th dport @" PAL_NFT_LIST_SET_PREFIX));
  g_assert_nonnull (strstr (listing, "th dport != @" PAL_NFT_LIST_SET_PREFIX));
  g_assert_null (strstr (listing, "th dport {"));
  g_assert_cmpuint (count_list_sets (), ==, 1);
  g_object_unref (assert_round_trip (document, ids));

  /* 8000 → 7990 in one rule: a second set; the first goes with the last
   * rule that used it. Counters stay. */
  send_to (to_8000, 1);
  before = kernel_counters (firewall);
  g_assert_cmpuint (kernel_packets (before, LIST_IS), ==, 1);
  pal_rule_set_value (pal_document_find_rule (document, ONE_7001), changed);
  kernel_apply (firewall, document);
  g_assert_cmpuint (count_list_sets (), ==, 2);
  pal_rule_set_value (pal_document_find_rule (document, LIST_IS), changed);
  pal_rule_set_value (pal_document_find_rule (document, LIST_NOT), changed);
  kernel_apply (firewall, document);
  g_assert_cmpuint (count_list_sets (), ==, 1);
  listing_after = kernel_nft ("list", "chain", "inet", "palisade", "input-" GROUP_IN, NULL);
  g_assert_cmpstr (listing_after, !=, listing);
  g_object_unref (assert_round_trip (document, ids));
  send_to (to_7990, 1);
  send_to (to_8000, 1);
  after = kernel_counters (firewall);
  g_assert_cmpuint (kernel_packets (after, LIST_IS), ==, kernel_packets (before, LIST_IS) + 1);
  g_assert_cmpuint (kernel_packets (after, ONE_7001), ==, kernel_packets (before, ONE_7001) + 1);
  /* The request to 8000 and both answers (to the client's port). */
  g_assert_cmpuint (kernel_packets (after, LIST_NOT), ==, kernel_packets (before, LIST_NOT) + 3);

  /* nft loads the export, list set included. */
  export = pal_firewall_export (document, &error);
  g_assert_no_error (error);
  kernel_nft_script (export);
  g_assert_cmpuint (count_list_sets (), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  kernel_test_init ();
  kernel_test_add ("/kernel/lists/round-trip", test_round_trip);
  kernel_test_add ("/kernel/lists/counters", test_counters);
  kernel_test_add ("/kernel/lists/change-element", test_change_element);
  kernel_test_add ("/kernel/lists/long-list", test_long_list);
  return g_test_run ();
}
