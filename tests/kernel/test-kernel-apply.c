/* test-kernel-apply.c — applying documents to a real kernel, each test in
 * a network namespace of its own, with nft as the independent reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "kernel-test-util.h"
#include "pal-fwdoc.h"
#include "pal-helper-error.h"
#include "pal-nft-compiler.h"
#include "pal-nft-dump.h"
#include "pal-nft-socket.h"
#include "pal-templates.h"
#include "pal-validator.h"
#include "pal-value.h"

/* The units the templates' service rules name, in a cgroup of our own. */
static gboolean
make_cgroups (void)
{
  const char *units[] = { "ssh.service", "cups.service", NULL };
  g_autofree char *base = kernel_cgroups_make (units);

  return base != NULL;
}

static gboolean
effectively_enabled (PalRule *rule)
{
  return pal_rule_get_effective_enabled (rule);
}

static void
collect_rules (GListModel *model,
               GPtrArray  *out)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (model, i);

      g_ptr_array_add (out, g_object_ref (rule));
      collect_rules (pal_rule_get_children (rule), out);
    }
}

static char *
canonical_parameter (PalRule *rule)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PalParameter) parameter =
    pal_parameter_parse (pal_rule_get_action (rule), pal_rule_get_parameter (rule), &error);

  g_assert_no_error (error);
  return pal_parameter_print (parameter);
}

static const char *
parent_id (PalRule *rule)
{
  PalRule *parent = pal_rule_get_parent (rule);

  return parent != NULL ? pal_rule_get_id (parent) : NULL;
}

/* The place of a rule among its siblings. */
static guint
sibling_place (PalDocument *document,
               PalRule     *rule)
{
  PalRule *parent = pal_rule_get_parent (rule);
  GListModel *siblings = parent != NULL ? pal_rule_get_children (parent) : pal_document_get_rules (document);
  guint n = g_list_model_get_n_items (siblings);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) other = g_list_model_get_item (siblings, i);

      if (other == rule)
        return i;
    }
  g_assert_not_reached ();
}

/* Show Active of a helper that did not apply the document (as after a
 * restart) gives back every enabled rule, proven from the kernel, and
 * every rule that is off exactly as it was; each at its place. */
static void
assert_active_matches (PalDocument *applied,
                       PalDocument *active)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (g_object_unref);

  collect_rules (pal_document_get_rules (applied), rules);
  for (guint i = 0; i < rules->len; i++)
    {
      PalRule *rule = g_ptr_array_index (rules, i);
      PalRule *read = pal_document_find_rule (active, pal_rule_get_id (rule));
      g_autofree char *value = NULL;
      g_autofree char *read_value = NULL;
      g_autofree char *parameter = NULL;
      g_autofree char *read_parameter = NULL;

      if (read == NULL)
        g_error ("rule %s (%s) is missing from the active document", pal_rule_get_id (rule),
                 pal_rule_get_name (rule));
      g_assert_cmpstr (parent_id (read), ==, parent_id (rule));
      g_assert_cmpuint (sibling_place (active, read), ==, sibling_place (applied, rule));
      g_assert_cmpint (pal_rule_get_enabled (read), ==, pal_rule_get_enabled (rule));
      if (!effectively_enabled (rule))
        {
          g_assert_cmpstr (pal_rule_get_name (read), ==, pal_rule_get_name (rule));
          g_assert_cmpint (pal_rule_get_property (read), ==, pal_rule_get_property (rule));
          g_assert_cmpint (pal_rule_get_relation (read), ==, pal_rule_get_relation (rule));
          g_assert_cmpint (pal_rule_get_action (read), ==, pal_rule_get_action (rule));
          g_assert_cmpstr (pal_rule_get_value (read), ==, pal_rule_get_value (rule));
          g_assert_cmpstr (pal_rule_get_parameter (read), ==, pal_rule_get_parameter (rule));
          continue;
        }
      if (read == NULL)
        g_error ("rule %s (%s) is missing from the active document", pal_rule_get_id (rule),
                 pal_rule_get_name (rule));
      g_assert_false (pal_rule_get_read_only (read));
      g_assert_cmpint (pal_rule_get_property (read), ==, pal_rule_get_property (rule));
      g_assert_cmpint (pal_rule_get_relation (read), ==, pal_rule_get_relation (rule));
      g_assert_cmpint (pal_rule_get_action (read), ==, pal_rule_get_action (rule));
      g_assert_cmpstr (pal_rule_get_name (read), ==, pal_rule_get_name (rule));
      value = kernel_canonical_value (rule);
      read_value = kernel_canonical_value (read);
      g_assert_cmpstr (read_value, ==, value);
      parameter = canonical_parameter (rule);
      read_parameter = canonical_parameter (read);
      if (g_strcmp0 (parameter, read_parameter) != 0)
        {
          /* An empty duration is the document's default: equal in effect. */
          g_assert_cmpstr (read_parameter, ==, "");
        }
      if (pal_rule_get_parent (rule) != NULL)
        g_assert_cmpstr (pal_rule_get_id (pal_rule_get_parent (read)), ==,
                         pal_rule_get_id (pal_rule_get_parent (rule)));
    }
  g_assert_cmpint (pal_document_get_default_verdict (active), ==, pal_document_get_default_verdict (applied));
  g_assert_cmpint (pal_document_get_enabled (active), ==, pal_document_get_enabled (applied));
  g_assert_cmpuint (pal_document_get_trigger_duration (active), ==, pal_document_get_trigger_duration (applied));
}

/* nft's listing without what time changes (the hits elements' expiry). */
static char *
stable_listing (void)
{
  g_autofree char *listing = kernel_nft ("-a", "list", "table", "inet", "palisade", NULL);
  g_autoptr(GRegex) expires = g_regex_new (" expires [0-9dhms]+", 0, 0, NULL);

  return g_regex_replace_literal (expires, listing, -1, 0, "", 0, NULL);
}

/* Whether anything in the document denies: the default verdict, or a
 * drop, reject or trigger rule that is on. */
static gboolean
has_denial (PalDocument *document)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (g_object_unref);

  if (pal_document_get_default_verdict (document) != PAL_VERDICT_PASS)
    return TRUE;
  collect_rules (pal_document_get_rules (document), rules);
  for (guint i = 0; i < rules->len; i++)
    {
      PalAction action = pal_rule_get_action (g_ptr_array_index (rules, i));

      if (effectively_enabled (g_ptr_array_index (rules, i))
          && (action == PAL_ACTION_DROP || action == PAL_ACTION_REJECT || action == PAL_ACTION_TRIGGER))
        return TRUE;
    }
  return FALSE;
}

/* log_denied: with the document's log-denied on, which adds a logging
 * kernel rule before each one that denies. */
static void
check_template (const char *id,
                gboolean    log_denied)
{
  g_autoptr(PalDocument) document = kernel_template (id);
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalFirewall) restarted = NULL;
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PalDocument) active = NULL;
  g_autoptr(PalDocument) proven = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_active = NULL;

  pal_document_set_enabled (document, TRUE);
  pal_document_set_log_denied (document, log_denied);
  kernel_apply (firewall, document);

  /* nft, the independent reader, sees our chains, sets and rule ids. */
  listing = kernel_nft ("list", "table", "inet", "palisade", NULL);
  g_assert_nonnull (strstr (listing, "type filter hook input priority filter + 10; policy accept;"));
  g_assert_nonnull (strstr (listing, "type filter hook forward priority filter + 10; policy accept;"));
  g_assert_nonnull (strstr (listing, "type filter hook output priority filter + 10; policy accept;"));
  for (const char *set = "hits0\0triggered4\0triggered6\0trusted4\0external\0"; *set; set += strlen (set) + 1)
    {
      g_autofree char *needle = g_strdup_printf ("set %s {", set);

      g_assert_nonnull (strstr (listing, needle));
    }
  g_assert_nonnull (strstr (listing, "comment \"default verdict\""));
  if (log_denied && pal_document_get_default_verdict (document) != PAL_VERDICT_PASS)
    g_assert_nonnull (strstr (listing, "limit rate 10/second burst 20 packets log prefix \"#0 default "));
  g_assert_true ((strstr (listing, " group 3") != NULL) == (log_denied && has_denial (document)));
  collect_rules (pal_document_get_rules (document), rules);
  for (guint i = 0; i < rules->len; i++)
    {
      PalRule *rule = g_ptr_array_index (rules, i);
      g_autofree char *needle = g_strdup_printf ("comment \"%s\"", pal_rule_get_id (rule));
      gboolean present = strstr (listing, needle) != NULL;

      if (effectively_enabled (rule) != present)
        g_error ("%s: rule %s (%s) is %s in nft list", id, pal_rule_get_id (rule), pal_rule_get_name (rule),
                 present ? "present but disabled" : "enabled but absent");
    }

  /* Show Active of the same helper gives the document back, byte for byte. */
  active = pal_firewall_get_active (firewall, &error);
  g_assert_no_error (error);
  saved = pal_fwdoc_save_data (document, NULL);
  saved_active = pal_fwdoc_save_data (active, NULL);
  g_assert_cmpstr (saved_active, ==, saved);

  /* A helper started afresh proves every rule from the kernel alone, and
   * gives the whole outline back, the rules that are off included. */
  restarted = kernel_firewall ();
  proven = pal_firewall_get_active (restarted, &error);
  g_assert_no_error (error);
  assert_active_matches (document, proven);

  /* Applying the read-back document changes nothing. */
  {
    g_autofree char *before = stable_listing ();
    g_autofree char *after = NULL;

    kernel_apply (restarted, proven);
    after = stable_listing ();
    g_assert_cmpstr (after, ==, before);
  }
}

/* Whether the document has an enabled service rule (which needs the
 * unit's cgroup to compile). */
static gboolean
has_service_rule (PalDocument *document)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (g_object_unref);

  collect_rules (pal_document_get_rules (document), rules);
  for (guint i = 0; i < rules->len; i++)
    if (pal_rule_get_property (g_ptr_array_index (rules, i)) == PAL_PROPERTY_SERVICE
        && effectively_enabled (g_ptr_array_index (rules, i)))
      return TRUE;
  return FALSE;
}

/* Templates naming services need cgroups of the test's own (root). */
static gboolean
can_compile (const char *id,
             gboolean    cgroups)
{
  g_autoptr(PalDocument) document = kernel_template (id);

  if (cgroups || !has_service_rule (document))
    return TRUE;
  g_test_message ("%s: not applied (service rules, and no cgroups of our own without root)", id);
  return FALSE;
}

static void
test_templates (void)
{
  guint n = 0;
  const PalTemplate *templates = pal_templates_get_all (&n);
  gboolean cgroups = make_cgroups ();

  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      g_test_message ("template %s", templates[i].id);
      if (!can_compile (templates[i].id, cgroups))
        continue;
      check_template (templates[i].id, FALSE);
      check_template (templates[i].id, TRUE);
    }
}

/* The export is a script nft loads, giving the same chains. */
static void
test_export (void)
{
  guint n = 0;
  const PalTemplate *templates = pal_templates_get_all (&n);

  gboolean cgroups = make_cgroups ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalDocument) document = kernel_template (templates[i].id);

      if (!can_compile (templates[i].id, cgroups))
        continue;
      /* Its rate-limited logs of denied packets are nft text too. */
      pal_document_set_log_denied (document, TRUE);
      g_autoptr(GError) error = NULL;
      g_autofree char *script = pal_firewall_export (document, &error);
      g_autofree char *listing = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (strstr (script, "table inet palisade {"));
      g_assert_nonnull (strstr (script, "`last`"));
      /* nft names cgroups below /sys/fs/cgroup; on a hybrid system the
       * cgroup2 mount is elsewhere and nft cannot find them. */
      if (strstr (script, "socket cgroupv2") != NULL
          && !g_file_test ("/sys/fs/cgroup/cgroup.controllers", G_FILE_TEST_EXISTS))
        {
          g_test_message ("%s: not loaded with nft (cgroup2 is not at /sys/fs/cgroup here)",
                          templates[i].id);
          continue;
        }
      kernel_nft_script (script);
      listing = kernel_nft ("list", "table", "inet", "palisade", NULL);
      g_assert_nonnull (strstr (listing, "chain input {"));
      g_assert_nonnull (strstr (listing, "chain default-output {"));
      g_free (kernel_nft ("delete", "table", "inet", "palisade", NULL));
    }
}

/* Before anything is applied there is no table: no counters, an empty
 * active document, switched off; none of it an error. */
static void
test_nothing_applied (void)
{
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(GVariant) counters = NULL;
  g_autoptr(PalDocument) active = NULL;
  g_autoptr(GError) error = NULL;

  counters = pal_firewall_get_counters (firewall, &error);
  g_assert_no_error (error);
  g_variant_ref_sink (counters);
  g_assert_cmpuint (g_variant_n_children (counters), ==, 0);
  active = pal_firewall_get_active (firewall, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pal_document_count_rules (active), ==, 0);
  g_assert_false (pal_document_get_enabled (active));
  g_assert_false (pal_firewall_get_enabled (firewall));
  {
    g_autofree char *nft_text = kernel_nft ("list", "ruleset", NULL);

    g_assert_null (strstr (nft_text, "palisade"));
  }
}

/* A document that does not validate is refused before anything is sent. */
static void
test_invalid (void)
{
  g_autoptr(PalDocument) good = kernel_template ("default");
  g_autoptr(PalDocument) bad = kernel_template ("default");
  g_autoptr(PalRule) rule = kernel_rule (NULL, "source-address", "is", "10.0.0.300", "drop", "");
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint32 generation;

  kernel_apply (firewall, good);
  before = kernel_stable_ruleset ();
  generation = pal_firewall_get_generation (firewall);

  pal_document_insert_rule (bad, 1, rule);
  g_assert_false (pal_firewall_apply (firewall, bad, &error));
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT);
  g_assert_nonnull (strstr (error->message, "rules[1].value"));
  g_assert_nonnull (strstr (error->message, "10.0.0.300"));

  after = kernel_stable_ruleset ();
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (pal_firewall_get_generation (firewall), ==, generation);
}

static const char docker_tables[] =
  "table ip nat {\n"
  "  chain DOCKER {\n"
  "    iifname \"docker0\" counter return\n"
  "  }\n"
  "  chain PREROUTING {\n"
  "    type nat hook prerouting priority dstnat; policy accept;\n"
  "    fib daddr type local counter jump DOCKER\n"
  "  }\n"
  "  chain OUTPUT {\n"
  "    type nat hook output priority -100; policy accept;\n"
  "    ip daddr != 127.0.0.0/8 fib daddr type local counter jump DOCKER\n"
  "  }\n"
  "  chain POSTROUTING {\n"
  "    type nat hook postrouting priority srcnat; policy accept;\n"
  "    oifname != \"docker0\" ip saddr 172.17.0.0/16 counter masquerade\n"
  "  }\n"
  "}\n"
  "table ip filter {\n"
  "  chain DOCKER-USER {\n"
  "    counter return\n"
  "  }\n"
  "  chain FORWARD {\n"
  "    type filter hook forward priority filter; policy accept;\n"
  "    counter jump DOCKER-USER\n"
  "    oifname \"docker0\" ct state related,established counter accept\n"
  "  }\n"
  "}\n";

static char *
foreign_listing (void)
{
  g_autofree char *nat = kernel_nft ("-a", "list", "table", "ip", "nat", NULL);
  g_autofree char *filter = kernel_nft ("-a", "list", "table", "ip", "filter", NULL);

  return g_strconcat (nat, filter, NULL);
}

static void
assert_foreign_unchanged (const char *before)
{
  g_autofree char *now = foreign_listing ();

  g_assert_cmpstr (now, ==, before);
}

/* Tables of other programs, shaped like docker's, are byte-identical after
 * every operation. */
static void
test_foreign_table (void)
{
  g_autoptr(PalDocument) document = kernel_template ("default");
  g_autoptr(PalDocument) other = kernel_template ("block-all");
  g_autoptr(PalFirewall) firewall = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;

  kernel_nft_script (docker_tables);
  before = foreign_listing ();
  firewall = kernel_firewall ();

  pal_document_set_enabled (document, TRUE);
  kernel_apply (firewall, document);
  assert_foreign_unchanged (before);
  kernel_apply (firewall, other);
  assert_foreign_unchanged (before);
  g_assert_true (pal_firewall_set_enabled (firewall, FALSE, &error));
  assert_foreign_unchanged (before);
  g_assert_true (pal_firewall_set_enabled (firewall, TRUE, &error));
  assert_foreign_unchanged (before);
  {
    g_autoptr(PalDocument) active = pal_firewall_get_active (firewall, &error);
    g_autoptr(GVariant) counters = pal_firewall_get_counters (firewall, &error);

    g_assert_no_error (error);
    g_variant_ref_sink (counters);
  }
  assert_foreign_unchanged (before);
  kernel_apply (firewall, document);
  assert_foreign_unchanged (before);
}

/* Someone else changes our table: the next apply says who, and the one
 * after goes through. Changes of other tables are no conflict. */
static void
test_conflict (void)
{
  g_autoptr(PalDocument) document = kernel_template ("default");
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;

  kernel_apply (firewall, document);
  g_free (kernel_nft ("add", "table", "ip", "unrelated", NULL));
  kernel_apply (firewall, document);

  g_free (kernel_nft ("add", "rule", "inet", "palisade", "input", "tcp", "dport", "9999", "drop", NULL));
  g_assert_false (pal_firewall_apply (firewall, document, &error));
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "nft"));
  g_clear_error (&error);

  kernel_apply (firewall, document);
  listing = kernel_nft ("list", "table", "inet", "palisade", NULL);
  g_assert_null (strstr (listing, "9999"));
}

/* A change that lands between our read and our batch is caught by the
 * generation id in the batch itself. */
static void
test_conflict_race (void)
{
  g_autoptr(PalDocument) document = kernel_template ("default");
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalFirewall) other = kernel_firewall ();
  g_autoptr(PalDocument) active = NULL;
  g_autoptr(GError) error = NULL;

  kernel_apply (firewall, document);
  /* Another helper instance (pid: ours, program: ours) changes the table. */
  pal_rule_set_value (pal_document_find_rule (document, "56917961-700a-4dbe-a266-02ed9b05b0e2"), "23");
  active = pal_firewall_get_active (other, &error);
  g_assert_no_error (error);
  kernel_apply (other, document);
  /* firewall's monitor saw a commit by its own pid: not a foreign program,
   * so only the generation check can tell. */
  pal_rule_set_value (pal_document_find_rule (document, "56917961-700a-4dbe-a266-02ed9b05b0e2"), "24");
  if (!pal_firewall_apply (firewall, document, &error))
    {
      g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_CONFLICT);
      g_clear_error (&error);
      kernel_apply (firewall, document);
    }
  {
    g_autofree char *listing = kernel_nft ("list", "table", "inet", "palisade", NULL);

    g_assert_nonnull (strstr (listing, "th dport 24"));
  }
}

static guint64
handle_of (const char *listing,
           const char *id)
{
  g_autofree char *needle = g_strdup_printf ("comment \"%s\" # handle ", id);
  const char *at = strstr (listing, needle);

  g_assert_nonnull (at);
  return g_ascii_strtoull (at + strlen (needle), NULL, 10);
}

#define RULE_A "a0000000-0000-4000-8000-00000000000a"
#define RULE_B "b0000000-0000-4000-8000-00000000000b"
#define RULE_C "c0000000-0000-4000-8000-00000000000c"
#define RULE_D "d0000000-0000-4000-8000-00000000000d"

static PalDocument *
counting_document (void)
{
  PalDocument *document = pal_document_new ();
  g_autoptr(PalRule) a = kernel_rule (RULE_A, "protocol", "is", "icmp", "count", "");
  g_autoptr(PalRule) b = kernel_rule (RULE_B, "ip-version", "is", "4", "count", "");
  g_autoptr(PalRule) c = kernel_rule (RULE_C, "direction", "is", "in", "count", "");

  pal_document_set_enabled (document, TRUE);
  pal_document_append_rule (document, a);
  pal_document_append_rule (document, b);
  pal_document_append_rule (document, c);
  return document;
}

/* Unchanged rules keep their handles and exact counters; a changed rule
 * keeps its counter. */
static void
test_incremental (void)
{
  g_autoptr(PalDocument) document = counting_document ();
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(PalRule) d = kernel_rule (RULE_D, "protocol", "is", "udp", "count", "");
  g_autofree char *listing = NULL;
  g_autofree char *listing_after = NULL;

  kernel_apply (firewall, document);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (kernel_ping ("127.0.0.1", 1000), ==, KERNEL_ANSWERED);
  before = kernel_counters (firewall);
  g_assert_cmpuint (kernel_packets (before, RULE_A), >=, 6);
  listing = kernel_nft ("-a", "list", "chain", "inet", "palisade", "input", NULL);

  /* Change B, insert D first: A and C keep handles and counts, B its count. */
  pal_rule_set_value (pal_document_find_rule (document, RULE_B), "6");
  pal_document_insert_rule (document, 0, d);
  kernel_apply (firewall, document);
  after = kernel_counters (firewall);
  listing_after = kernel_nft ("-a", "list", "chain", "inet", "palisade", "input", NULL);
  g_assert_cmpuint (handle_of (listing_after, RULE_A), ==, handle_of (listing, RULE_A));
  g_assert_cmpuint (handle_of (listing_after, RULE_C), ==, handle_of (listing, RULE_C));
  g_assert_cmpuint (handle_of (listing_after, RULE_B), ==, handle_of (listing, RULE_B));
  g_assert_cmpuint (kernel_packets (after, RULE_A), ==, kernel_packets (before, RULE_A));
  g_assert_cmpuint (kernel_packets (after, RULE_B), ==, kernel_packets (before, RULE_B));
  g_assert_cmpuint (kernel_packets (after, RULE_C), ==, kernel_packets (before, RULE_C));
  g_assert_cmpuint (kernel_packets (after, RULE_D), ==, 0);
  /* The order is the document's. */
  g_assert_true (strstr (listing_after, RULE_D) < strstr (listing_after, RULE_A));
  g_assert_true (strstr (listing_after, RULE_A) < strstr (listing_after, RULE_B));

  /* Remove A: the others stay as they are. */
  pal_document_remove_rule (document, 1);
  kernel_apply (firewall, document);
  g_clear_pointer (&after, g_hash_table_unref);
  after = kernel_counters (firewall);
  g_clear_pointer (&listing_after, g_free);
  listing_after = kernel_nft ("-a", "list", "chain", "inet", "palisade", "input", NULL);
  g_assert_null (strstr (listing_after, RULE_A));
  g_assert_false (g_hash_table_contains (after, RULE_A));
  g_assert_cmpuint (handle_of (listing_after, RULE_C), ==, handle_of (listing, RULE_C));
  g_assert_cmpuint (kernel_packets (after, RULE_C), ==, kernel_packets (before, RULE_C));

  /* Applying the same document again sends nothing. */
  {
    guint32 generation = pal_firewall_get_generation (firewall);

    kernel_apply (firewall, document);
    g_assert_cmpuint (pal_firewall_get_generation (firewall), ==, generation);
  }
}

/* After a commit the helper reads back the handles of the chains it
 * added to, proving each rule by its userdata (byte for byte, without
 * parsing it): the handles are nft's, and a plan that is not what the
 * kernel holds gets none. */
static void
test_handles (void)
{
  g_autoptr(PalDocument) document = counting_document ();
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalNftSocket) socket = NULL;
  g_autoptr(PalNftPlan) plan = NULL;
  g_autoptr(PalNftPlan) other = NULL;
  g_autoptr(GPtrArray) chains = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  PalNftChain *input;
  guint checked = 0;

  kernel_apply (firewall, document);
  listing = kernel_nft ("-a", "list", "chain", "inet", "palisade", "input", NULL);
  socket = pal_nft_socket_new (&error);
  g_assert_no_error (error);
  plan = pal_nft_compile (document, NULL, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < plan->chains->len; c++)
    g_ptr_array_add (chains, ((PalNftChain *) g_ptr_array_index (plan->chains, c))->name);
  g_assert_true (pal_nft_dump_handles (socket, plan, chains, NULL));
  input = pal_nft_plan_lookup_chain (plan, "input");
  for (guint i = 0; i < input->rules->len; i++)
    {
      PalNftKernelRule *rule = g_ptr_array_index (input->rules, i);

      g_assert_cmpuint (rule->handle, !=, 0);
      if (rule->tag.role != PAL_NFT_ROLE_RULE)
        continue;
      g_assert_cmpuint (rule->handle, ==, handle_of (listing, rule->tag.id));
      checked++;
    }
  g_assert_cmpuint (checked, ==, 3);

  /* B's value differs (its userdata carries it): not the kernel's rule. */
  pal_rule_set_value (pal_document_find_rule (document, RULE_B), "6");
  other = pal_nft_compile (document, NULL, &error);
  g_assert_no_error (error);
  g_ptr_array_set_size (chains, 0);
  g_ptr_array_add (chains, (gpointer) "input");
  g_assert_false (pal_nft_dump_handles (socket, other, chains, NULL));
}

/* Off: no effect on traffic, counters kept; on again: they go on. */
static void
test_dormant (void)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalRule) drop = kernel_rule (RULE_A, "destination-port", "is", "5555", "drop", "");
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(GHashTable) first = NULL;
  g_autoptr(GHashTable) second = NULL;
  g_autoptr(GError) error = NULL;

  pal_document_set_enabled (document, TRUE);
  pal_document_append_rule (document, drop);
  kernel_apply (firewall, document);
  g_assert_true (pal_firewall_get_enabled (firewall));
  g_assert_cmpint (kernel_tcp_connect ("127.0.0.1", 5555, TRUE, 300), ==, KERNEL_TIMED_OUT);
  first = kernel_counters (firewall);
  g_assert_cmpuint (kernel_packets (first, RULE_A), >=, 1);

  g_assert_true (pal_firewall_set_enabled (firewall, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (pal_firewall_get_enabled (firewall));
  {
    g_autofree char *nft_text = kernel_nft ("list", "table", "inet", "palisade", NULL);

    g_assert_nonnull (strstr (nft_text, "flags dormant"));
  }
  g_assert_cmpint (kernel_tcp_connect ("127.0.0.1", 5555, TRUE, 1000), ==, KERNEL_ANSWERED);
  second = kernel_counters (firewall);
  g_assert_cmpuint (kernel_packets (second, RULE_A), ==, kernel_packets (first, RULE_A));

  g_assert_true (pal_firewall_set_enabled (firewall, TRUE, &error));
  g_assert_cmpint (kernel_tcp_connect ("127.0.0.1", 5555, TRUE, 300), ==, KERNEL_TIMED_OUT);
  g_clear_pointer (&second, g_hash_table_unref);
  second = kernel_counters (firewall);
  g_assert_cmpuint (kernel_packets (second, RULE_A), >, kernel_packets (first, RULE_A));

  /* The document's own switch: applied off, the table is dormant. */
  pal_document_set_enabled (document, FALSE);
  kernel_apply (firewall, document);
  g_assert_false (pal_firewall_get_enabled (firewall));
}

typedef struct
{
  guint  count;
  guint  generation;
  char  *program;
} Changes;

static void
on_changed (PalFirewall *firewall,
            guint        generation,
            const char  *program,
            Changes     *changes)
{
  changes->count++;
  changes->generation = generation;
  g_free (changes->program);
  changes->program = g_strdup (program);
}

static void
wait_for_change (Changes *changes,
                 guint    count)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (changes->count < count && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (10000);
  g_assert_cmpuint (changes->count, >=, count);
}

/* "changed" tells every change of our table, ours and others'. */
static void
test_changed_signal (void)
{
  g_autoptr(PalDocument) document = kernel_template ("default");
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autofree char *comm = NULL;
  Changes changes = { 0, };

  g_signal_connect (firewall, "changed", G_CALLBACK (on_changed), &changes);
  kernel_apply (firewall, document);
  wait_for_change (&changes, 1);
  g_file_get_contents ("/proc/self/comm", &comm, NULL, NULL);
  g_strstrip (comm);
  g_assert_cmpstr (changes.program, ==, comm);
  g_assert_cmpuint (changes.generation, ==, pal_firewall_get_generation (firewall));

  g_free (kernel_nft ("add", "rule", "inet", "palisade", "output", "counter", NULL));
  wait_for_change (&changes, 2);
  g_assert_cmpstr (changes.program, ==, "nft");

  /* Other tables: no signal. */
  g_free (kernel_nft ("add", "table", "ip", "elsewhere", NULL));
  for (guint i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_cmpuint (changes.count, ==, 2);
  g_free (changes.program);
}

/* A rule another program put in our table comes back read-only, named
 * with its nft text; ours stay proven. */
static void
test_active_foreign_rule (void)
{
  g_autoptr(PalDocument) document = counting_document ();
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalDocument) active = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;
  guint n;

  kernel_apply (firewall, document);
  g_free (kernel_nft ("insert", "rule", "inet", "palisade", "input", "tcp", "dport", "9999", "drop", NULL));
  active = pal_firewall_get_active (firewall, &error);
  g_assert_no_error (error);
  n = g_list_model_get_n_items (pal_document_get_rules (active));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (pal_document_get_rules (active), i);

      if (pal_rule_get_read_only (rule))
        {
          g_assert_nonnull (strstr (pal_rule_get_name (rule), "th dport 9999 drop"));
          found = TRUE;
        }
      else
        g_assert_nonnull (pal_document_find_rule (document, pal_rule_get_id (rule)));
    }
  g_assert_true (found);
  g_assert_nonnull (pal_document_find_rule (active, RULE_A));

  /* Read-only rules are not compiled: applying the read-back removes it. */
  kernel_apply (firewall, active);
  {
    g_autofree char *nft_text = kernel_nft ("list", "table", "inet", "palisade", NULL);

    g_assert_null (strstr (nft_text, "9999"));
  }
}

/* Every "comment id # handle n" of nft's listing: id → handle. */
static GHashTable *
handles_by_id (void)
{
  g_autofree char *listing = kernel_nft ("-a", "list", "table", "inet", "palisade", NULL);
  g_autoptr(GRegex) regex = g_regex_new ("comment \"([0-9a-f-]{36})\" # handle ([0-9]+)", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GHashTable *handles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_regex_match (regex, listing, 0, &match);
  while (g_match_info_matches (match))
    {
      g_hash_table_insert (handles, g_match_info_fetch (match, 1), g_match_info_fetch (match, 2));
      g_match_info_next (match, NULL);
    }
  return handles;
}

/* A long list of rules goes into segments of its chain; a later apply
 * keeps every unchanged rule where it was, and Show Active reads through
 * the segments. */
static void
test_segments (void)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalFirewall) restarted = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(PalDocument) active = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PalRule) inserted = kernel_rule (RULE_D, "source-address", "is", "192.0.2.1", "drop", "");
  g_autofree char *listing = NULL;
  PalRule *group = kernel_rule (RULE_A, "direction", "is", "in", "group", "");
  GHashTableIter iter;
  gpointer id, handle;
  const guint n = 4500;

  pal_document_set_enabled (document, TRUE);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *address = g_strdup_printf ("10.0.%u.%u", i / 256, i % 256);
      g_autoptr(PalRule) rule = kernel_rule (NULL, "source-address", "is", address, "drop", "");

      pal_rule_append_child (group, rule);
    }
  pal_document_append_rule (document, group);
  g_object_unref (group);
  kernel_apply (firewall, document);
  listing = kernel_nft ("list", "chain", "inet", "palisade", "input-" RULE_A, NULL);
  g_assert_nonnull (strstr (listing, "jump input-" RULE_A ".0"));
  g_assert_nonnull (strstr (listing, "jump input-" RULE_A ".4"));
  g_assert_null (strstr (listing, "jump input-" RULE_A ".5"));
  before = handles_by_id ();
  g_assert_cmpuint (g_hash_table_size (before), ==, n + 1);

  /* One more in the middle: every other rule keeps its handle. */
  pal_rule_insert_child (group, n / 2, inserted);
  kernel_apply (firewall, document);
  after = handles_by_id ();
  g_assert_cmpuint (g_hash_table_size (after), ==, n + 2);
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &id, &handle))
    g_assert_cmpstr (g_hash_table_lookup (after, id), ==, handle);

  /* Read back through the segments, by a helper that did not apply it. */
  restarted = kernel_firewall ();
  active = pal_firewall_get_active (restarted, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pal_document_count_rules (active), ==, n + 2);
  {
    PalRule *read = pal_document_find_rule (active, RULE_D);
    g_autoptr(PalRule) previous = NULL;

    g_assert_nonnull (read);
    g_assert_false (pal_rule_get_read_only (read));
    previous = pal_rule_get_child (pal_document_find_rule (active, RULE_A), n / 2 - 1);
    g_assert_cmpstr (pal_rule_get_value (previous), ==, "10.0.8.201");
  }

  /* Short again: one chain. */
  while (pal_rule_get_n_children (group) > 100)
    pal_rule_remove_child (group, 0);
  kernel_apply (firewall, document);
  g_clear_pointer (&listing, g_free);
  listing = kernel_nft ("list", "table", "inet", "palisade", NULL);
  g_assert_null (strstr (listing, "input-" RULE_A ".0"));
}

/* What a rule does in the kernel, as nft text: the export of a
 * document holding only it. */
static char *
rule_effect (PalRule *rule)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalRule) copy = pal_rule_copy (rule, TRUE);
  g_autoptr(GError) error = NULL;
  char *script;

  pal_rule_set_name (copy, "");
  pal_document_append_rule (document, copy);
  script = pal_firewall_export (document, &error);
  g_assert_no_error (error);
  return script;
}

/* Values too long for the userdata are read back from the sets the
 * rules look up (merged into ranges, the same in effect), and still
 * proven; so are long names, shortened. */
static void
test_active_long_values (void)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalFirewall) restarted = NULL;
  g_autoptr(PalDocument) active = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) addresses = g_string_new (NULL);
  g_autoptr(GString) ports = g_string_new (NULL);
  g_autoptr(GString) name = g_string_new (NULL);
  const char *ids[] = { RULE_A, RULE_B, RULE_C, RULE_D };
  PalRule *rule;

  for (guint i = 0; i < 40; i++)
    {
      g_string_append_printf (addresses, "%s10.%u.0.0/16, 2001:db8:%x::/48", i > 0 ? ", " : "", i, i);
      g_string_append_printf (ports, "%s%u-%u", i > 0 ? ", " : "", 1000 + i * 10, 1000 + i * 10 + 4);
      if (i < 14)
        g_string_append (name, "Ünïcødé name ");
    }
  pal_document_set_enabled (document, TRUE);
  rule = kernel_rule (RULE_A, "source-address", "is-not", addresses->str, "count", "");
  pal_rule_set_name (rule, name->str);
  pal_document_append_rule (document, rule);
  g_object_unref (rule);
  rule = kernel_rule (RULE_B, "destination-port", "is", ports->str, "reject", "admin-prohibited");
  pal_document_append_rule (document, rule);
  g_object_unref (rule);
  rule = kernel_rule (RULE_C, "packet-length", "is", "0-100, 200-300, 400-500, 600-700, 800-900, 1000-1100, "
                      "1200-1300, 1400-1500, 1600-1700, 1800-1900, 2000-2100, 2200-2300", "log", "lengths");
  pal_document_append_rule (document, rule);
  g_object_unref (rule);
  rule = kernel_rule (RULE_D, "user", "is", "0, 2-9, 11-19, 21-29, 31-39, 41-49, 51-59, 61-69, 71-79, 81-89, 91-99, "
                      "101-109, 111-119, 121-129, 131-139", "trigger", "1h30m");
  pal_document_append_rule (document, rule);
  g_object_unref (rule);
  kernel_apply (firewall, document);

  restarted = kernel_firewall ();
  active = pal_firewall_get_active (restarted, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      PalRule *original = pal_document_find_rule (document, ids[i]);
      PalRule *read = pal_document_find_rule (active, ids[i]);
      g_autofree char *effect = rule_effect (original);
      g_autofree char *read_effect = NULL;
      g_autofree char *parameter = canonical_parameter (original);
      g_autofree char *read_parameter = NULL;

      g_assert_nonnull (read);
      g_assert_false (pal_rule_get_read_only (read));
      read_effect = rule_effect (read);
      read_parameter = canonical_parameter (read);
      g_assert_cmpstr (read_effect, ==, effect);
      g_assert_cmpstr (read_parameter, ==, parameter);
      g_assert_cmpint (pal_rule_get_relation (read), ==, pal_rule_get_relation (original));
      g_assert_true (g_str_has_prefix (pal_rule_get_name (original), pal_rule_get_name (read)));
      g_assert_true (g_utf8_validate (pal_rule_get_name (read), -1, NULL));
    }
}

/* The place of the rule id among its siblings in document. */
static guint
place_of (PalDocument *document,
          const char  *id)
{
  PalRule *rule = pal_document_find_rule (document, id);

  g_assert_nonnull (rule);
  return sibling_place (document, rule);
}

/* Show Active of a helper started afresh (the kernel alone). */
static PalDocument *
fresh_active (void)
{
  g_autoptr(PalFirewall) restarted = kernel_firewall ();
  g_autoptr(GError) error = NULL;
  PalDocument *active = pal_firewall_get_active (restarted, &error);

  g_assert_no_error (error);
  return active;
}

/* A rule switched off and on again, at the top level and in a group,
 * keeps its place in Show Active; the other rules keep their handles and
 * counters; nft loads the export with the rules that are off. */
static void
test_toggle_disabled (void)
{
  g_autoptr(PalDocument) document = counting_document ();
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalRule) group = kernel_rule (RULE_D, "any", "is", "", "group", "");
  g_autoptr(PalRule) child = kernel_rule ("e0000000-0000-4000-8000-00000000000e", "protocol", "is", "udp",
                                          "count", "");
  g_autoptr(PalRule) second = kernel_rule ("f0000000-0000-4000-8000-00000000000f", "protocol", "is", "icmp",
                                           "count", "");
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *listing_after = NULL;
  g_autofree char *saved = NULL;

  pal_rule_append_child (group, child);
  pal_rule_append_child (group, second);
  pal_document_append_rule (document, group);
  kernel_apply (firewall, document);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (kernel_ping ("127.0.0.1", 1000), ==, KERNEL_ANSWERED);
  before = kernel_counters (firewall);
  listing = kernel_nft ("-a", "list", "chain", "inet", "palisade", "input", NULL);

  /* Off: B between A and C, and the first child of D. */
  pal_rule_set_enabled (pal_document_find_rule (document, RULE_B), FALSE);
  pal_rule_set_enabled (child, FALSE);
  kernel_apply (firewall, document);
  after = kernel_counters (firewall);
  listing_after = kernel_nft ("-a", "list", "chain", "inet", "palisade", "input", NULL);
  g_assert_cmpuint (handle_of (listing_after, RULE_A), ==, handle_of (listing, RULE_A));
  g_assert_cmpuint (handle_of (listing_after, RULE_C), ==, handle_of (listing, RULE_C));
  g_assert_cmpuint (kernel_packets (after, RULE_A), ==, kernel_packets (before, RULE_A));
  g_assert_cmpuint (kernel_packets (after, RULE_C), ==, kernel_packets (before, RULE_C));
  g_assert_false (g_hash_table_contains (after, RULE_B));
  {
    g_autoptr(PalDocument) active = fresh_active ();
    g_autofree char *saved_active = pal_fwdoc_save_data (active, NULL);

    saved = pal_fwdoc_save_data (document, NULL);
    g_assert_cmpstr (saved_active, ==, saved);
    g_assert_cmpuint (place_of (active, RULE_B), ==, 1);
    g_assert_false (pal_rule_get_enabled (pal_document_find_rule (active, RULE_B)));
    g_assert_cmpuint (place_of (active, pal_rule_get_id (child)), ==, 0);
  }

  /* The export, which nft loads, holds them too. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *script = pal_firewall_export (document, &error);
    g_autofree char *full = NULL;
    g_autofree char *needle = g_strdup_printf ("continue comment \"disabled %s\"", RULE_B);

    g_assert_no_error (error);
    kernel_nft_script (script);
    full = kernel_nft ("list", "table", "inet", "palisade", NULL);
    g_assert_nonnull (strstr (full, "chain disabled {"));
    g_assert_nonnull (strstr (full, needle));
    g_free (kernel_nft ("delete", "table", "inet", "palisade", NULL));
    g_clear_object (&firewall);
    firewall = kernel_firewall ();
    kernel_apply (firewall, document);
    g_clear_pointer (&before, g_hash_table_unref);
    before = kernel_counters (firewall);
    g_clear_pointer (&listing_after, g_free);
    listing_after = kernel_nft ("-a", "list", "chain", "inet", "palisade", "input", NULL);
  }

  /* On again: back at their places; the others untouched. */
  g_clear_pointer (&listing, g_free);
  listing = g_steal_pointer (&listing_after);
  pal_rule_set_enabled (pal_document_find_rule (document, RULE_B), TRUE);
  pal_rule_set_enabled (child, TRUE);
  kernel_apply (firewall, document);
  g_clear_pointer (&after, g_hash_table_unref);
  after = kernel_counters (firewall);
  listing_after = kernel_nft ("-a", "list", "chain", "inet", "palisade", "input", NULL);
  g_assert_cmpuint (handle_of (listing_after, RULE_A), ==, handle_of (listing, RULE_A));
  g_assert_cmpuint (handle_of (listing_after, RULE_C), ==, handle_of (listing, RULE_C));
  g_assert_cmpuint (kernel_packets (after, RULE_A), ==, kernel_packets (before, RULE_A));
  g_assert_cmpuint (kernel_packets (after, RULE_C), ==, kernel_packets (before, RULE_C));
  g_assert_cmpuint (kernel_packets (after, RULE_B), ==, 0);
  {
    g_autoptr(PalDocument) active = fresh_active ();

    g_assert_cmpuint (place_of (active, RULE_B), ==, 1);
    g_assert_true (pal_rule_get_enabled (pal_document_find_rule (active, RULE_B)));
    g_assert_cmpuint (place_of (active, pal_rule_get_id (child)), ==, 0);
    g_assert_true (pal_rule_get_enabled (pal_document_find_rule (active, pal_rule_get_id (child))));
    {
      g_autofree char *nft_text = kernel_nft ("list", "table", "inet", "palisade", NULL);

      g_assert_null (strstr (nft_text, "chain disabled"));
    }
  }
}

/* A rule that is off with a long value and name (its record in several
 * inert rules, cut between characters) and a child comes back whole. */
static void
test_disabled_long (void)
{
  g_autoptr(PalDocument) document = counting_document ();
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(GString) addresses = g_string_new (NULL);
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(PalRule) rule = NULL;
  g_autoptr(PalRule) child = kernel_rule (RULE_D, "destination-port", "is", "22", "pass", "");
  g_autoptr(PalDocument) active = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_active = NULL;
  g_autofree char *listing = NULL;

  for (guint i = 0; i < 40; i++)
    {
      g_string_append_printf (addresses, "%s10.%u.0.0/16, 2001:db8:%x::/48", i > 0 ? ", " : "", i, i);
      if (i < 10)
        g_string_append (name, "Ünïcødé “name” ");
    }
  rule = kernel_rule ("e0000000-0000-4000-8000-00000000000e", "source-address", "is-not", addresses->str,
                      "log", "off: ");
  pal_rule_set_name (rule, name->str);
  pal_rule_set_enabled (rule, FALSE);
  pal_rule_append_child (rule, child);
  pal_document_insert_rule (document, 1, rule);
  kernel_apply (firewall, document);
  listing = kernel_nft ("list", "chain", "inet", "palisade", "disabled", NULL);
  /* In pieces: more than one inert rule. */
  {
    const char *needle = "comment \"disabled e0000000-0000-4000-8000-00000000000e\"";
    const char *first = strstr (listing, needle);

    g_assert_nonnull (first);
    g_assert_nonnull (strstr (first + 1, needle));
  }

  active = fresh_active ();
  saved = pal_fwdoc_save_data (document, NULL);
  saved_active = pal_fwdoc_save_data (active, NULL);
  g_assert_cmpstr (saved_active, ==, saved);
}

/* The compiler reads the outline while the validator walks it (from each
 * rule's parent): nesting three deep, rules off with children of their
 * own among rules on, at every level. The table holds exactly the rules
 * that are on, in their chains and in order (Show Active of a helper
 * started afresh gives the document back), only they have counters; and
 * so again after a change applied with the memo. */
#define OUTLINE_G1  "a1000000-0000-4000-8000-00000000000a"
#define OUTLINE_L1  "a1100000-0000-4000-8000-00000000000a"
#define OUTLINE_OFF "a1200000-0000-4000-8000-00000000000a"
#define OUTLINE_L2  "a1210000-0000-4000-8000-00000000000a"
#define OUTLINE_G2  "a1300000-0000-4000-8000-00000000000a"
#define OUTLINE_L3  "a1310000-0000-4000-8000-00000000000a"
#define OUTLINE_L4  "a1320000-0000-4000-8000-00000000000a"
#define OUTLINE_L5  "a1400000-0000-4000-8000-00000000000a"
#define OUTLINE_TOP "a2000000-0000-4000-8000-00000000000a"
#define OUTLINE_L6  "a2100000-0000-4000-8000-00000000000a"
#define OUTLINE_L7  "a3000000-0000-4000-8000-00000000000a"

static PalDocument *
outline_document (void)
{
  PalDocument *document = pal_document_new ();
  g_autoptr(PalRule) g1 = kernel_rule (OUTLINE_G1, "direction", "is", "in", "group", "");
  g_autoptr(PalRule) l1 = kernel_rule (OUTLINE_L1, "protocol", "is", "udp", "count", "");
  g_autoptr(PalRule) off = kernel_rule (OUTLINE_OFF, "protocol", "is", "tcp", "group", "");
  g_autoptr(PalRule) l2 = kernel_rule (OUTLINE_L2, "destination-port", "is", "22", "count", "");
  g_autoptr(PalRule) g2 = kernel_rule (OUTLINE_G2, "protocol", "is", "icmp", "group", "");
  g_autoptr(PalRule) l3 = kernel_rule (OUTLINE_L3, "source-address", "is", "127.0.0.1", "count", "");
  g_autoptr(PalRule) l4 = kernel_rule (OUTLINE_L4, "source-address", "is", "192.0.2.1", "count", "");
  g_autoptr(PalRule) l5 = kernel_rule (OUTLINE_L5, "ip-version", "is", "4", "count", "");
  g_autoptr(PalRule) top = kernel_rule (OUTLINE_TOP, "protocol", "is", "udp", "group", "");
  g_autoptr(PalRule) l6 = kernel_rule (OUTLINE_L6, "destination-port", "is", "53", "count", "");
  g_autoptr(PalRule) l7 = kernel_rule (OUTLINE_L7, "any", "is", "", "count", "");

  pal_document_set_enabled (document, TRUE);
  pal_rule_set_enabled (off, FALSE);
  pal_rule_set_enabled (l4, FALSE);
  pal_rule_set_enabled (top, FALSE);
  pal_rule_append_child (off, l2);
  pal_rule_append_child (g2, l3);
  pal_rule_append_child (g2, l4);
  pal_rule_append_child (g1, l1);
  pal_rule_append_child (g1, off);
  pal_rule_append_child (g1, g2);
  pal_rule_append_child (g1, l5);
  pal_rule_append_child (top, l6);
  pal_document_append_rule (document, g1);
  pal_document_append_rule (document, top);
  pal_document_append_rule (document, l7);
  return document;
}

static void
outline_check (PalDocument *document)
{
  const char *on[] = { OUTLINE_G1, OUTLINE_L1, OUTLINE_G2, OUTLINE_L3, OUTLINE_L5, OUTLINE_L7, NULL };
  const char *off[] = { OUTLINE_OFF, OUTLINE_L2, OUTLINE_L4, OUTLINE_TOP, OUTLINE_L6, NULL };
  g_autoptr(PalDocument) active = fresh_active ();
  g_autofree char *saved = pal_fwdoc_save_data (document, NULL);
  g_autofree char *saved_active = pal_fwdoc_save_data (active, NULL);
  g_autofree char *chain = g_strdup_printf ("input-%s", OUTLINE_G1);
  g_autofree char *listing = kernel_nft ("list", "chain", "inet", "palisade", chain, NULL);
  g_autoptr(GHashTable) counters = NULL;
  g_autoptr(PalFirewall) firewall = kernel_firewall ();

  g_assert_cmpstr (saved_active, ==, saved);
  /* G1's chain: L1, then the jump to G2's, then L5; nothing of OFF. */
  g_assert_nonnull (strstr (listing, OUTLINE_L1));
  g_assert_true (strstr (listing, OUTLINE_L1) < strstr (listing, OUTLINE_G2));
  g_assert_true (strstr (listing, OUTLINE_G2) < strstr (listing, OUTLINE_L5));
  g_assert_null (strstr (listing, OUTLINE_OFF));
  g_assert_null (strstr (listing, OUTLINE_L2));
  g_assert_cmpint (kernel_ping ("127.0.0.1", 1000), ==, KERNEL_ANSWERED);
  counters = kernel_counters (firewall);
  for (guint i = 0; on[i] != NULL; i++)
    g_assert_true (g_hash_table_contains (counters, on[i]));
  for (guint i = 0; off[i] != NULL; i++)
    g_assert_false (g_hash_table_contains (counters, off[i]));
  g_assert_cmpuint (kernel_packets (counters, OUTLINE_L3), >, 0);
}

static void
test_outline (void)
{
  g_autoptr(PalDocument) document = outline_document ();
  g_autoptr(PalFirewall) firewall = kernel_firewall ();

  kernel_apply (firewall, document);
  outline_check (document);
  /* With the memo: a leaf inside changed. */
  pal_rule_set_value (pal_document_find_rule (document, OUTLINE_L1), "sctp");
  kernel_apply (firewall, document);
  outline_check (document);
}

/* The compiler's memo: what a helper that applied before builds from
 * the rules it already compiled equals what a helper that never saw
 * the document builds, after every kind of change. */

#define MEMO_GROUP  "e0000000-0000-4000-8000-00000000000e"
#define MEMO_TCP    "f0000000-0000-4000-8000-00000000000f"
#define MEMO_PORT   "f1000000-0000-4000-8000-00000000000f"
#define MEMO_COUNT  "f2000000-0000-4000-8000-00000000000f"
#define MEMO_LEAF   "f3000000-0000-4000-8000-00000000000f"
#define MEMO_NEW    "f4000000-0000-4000-8000-00000000000f"
#define MEMO_OFF    "f5000000-0000-4000-8000-00000000000f"
#define MEMO_RULES  2500

static PalDocument *
memo_document (void)
{
  PalDocument *document = pal_document_new ();
  g_autoptr(PalRule) group = kernel_rule (MEMO_GROUP, "direction", "is", "in", "group", "");
  g_autoptr(PalRule) tcp = kernel_rule (MEMO_TCP, "protocol", "is", "tcp", "group", "");
  g_autoptr(PalRule) port = kernel_rule (MEMO_PORT, "destination-port", "is", "22", "pass", "");
  g_autoptr(PalRule) count = kernel_rule (MEMO_COUNT, "source-address", "is", "127.0.0.1", "count", "");

  pal_document_set_enabled (document, TRUE);
  pal_rule_append_child (group, count);
  for (guint i = 0; i < MEMO_RULES; i++)
    {
      g_autofree char *id = g_strdup_printf ("f6000000-0000-4000-8000-%012x", i);
      g_autofree char *address = g_strdup_printf ("10.1.%u.%u", i / 256, i % 256);
      g_autoptr(PalRule) rule = kernel_rule (i == MEMO_RULES / 2 ? MEMO_LEAF : id, "source-address", "is",
                                             address, i % 3 == 0 ? "drop" : "count", "");

      pal_rule_append_child (group, rule);
    }
  pal_rule_append_child (tcp, port);
  pal_document_append_rule (document, tcp);
  pal_document_append_rule (document, group);
  return document;
}

/* The rules of a listing chain by chain, a long chain's segments read
 * where it jumps to them (a helper that applied before keeps rules in
 * the segments they were in; a new one fills them anew), hits keys left
 * out (kept ones stay, new rules take the lowest unused), and so the keys
 * at the start of log prefixes. */
static char *
memo_flatten (const char *listing)
{
  g_autoptr(GRegex) keys = g_regex_new ("@hits[0-9]+ \\{ 0x[0-9a-f]+ ", 0, 0, NULL);
  g_autoptr(GRegex) prefix_keys = g_regex_new ("log prefix \"#[0-9]+", 0, 0, NULL);
  g_autoptr(GRegex) segment = g_regex_new ("^\t\tjump (\\S+) comment \"next segment\"$", 0, 0, NULL);
  g_autoptr(GHashTable) chains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_auto(GStrv) lines = g_strsplit (listing, "\n", -1);
  g_autoptr(GString) flat = g_string_new (NULL);
  GPtrArray *current = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "\tchain "))
        {
          char *name = g_strndup (lines[i] + 7, strcspn (lines[i] + 7, " "));

          current = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (chains, name, current);
          g_ptr_array_add (order, name);
        }
      else if (current != NULL && g_str_has_prefix (lines[i], "\t\t"))
        {
          g_autofree char *line = g_regex_replace_literal (keys, lines[i], -1, 0, "@hits { ", 0, NULL);

          g_ptr_array_add (current, g_regex_replace_literal (prefix_keys, line, -1, 0, "log prefix \"#", 0, NULL));
        }
    }
  for (guint c = 0; c < order->len; c++)
    {
      const char *name = g_ptr_array_index (order, c);
      GPtrArray *rules = g_hash_table_lookup (chains, name);

      if (g_regex_match_simple ("\\.[0-9]+$", name, 0, 0))
        continue;
      g_string_append_printf (flat, "chain %s\n", name);
      for (guint r = 0; r < rules->len; r++)
        {
          g_autoptr(GMatchInfo) match = NULL;

          if (g_regex_match (segment, g_ptr_array_index (rules, r), 0, &match))
            {
              g_autofree char *target = g_match_info_fetch (match, 1);
              GPtrArray *inner = g_hash_table_lookup (chains, target);

              g_assert_nonnull (inner);
              for (guint i = 0; i < inner->len; i++)
                g_string_append_printf (flat, "%s\n", (char *) g_ptr_array_index (inner, i));
            }
          else
            g_string_append_printf (flat, "%s\n", (char *) g_ptr_array_index (rules, r));
        }
    }
  return g_string_free (g_steal_pointer (&flat), FALSE);
}

/* The table's rules without handles or set contents, and its read-back. */
static void
memo_listing (PalFirewall  *firewall,
              char        **listing,
              char        **active)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) document = pal_firewall_get_active (firewall, &error);
  g_autofree char *text = kernel_nft ("-t", "list", "table", "inet", "palisade", NULL);

  g_assert_no_error (error);
  *listing = memo_flatten (text);
  *active = pal_fwdoc_save_data (document, NULL);
}

/* Equal texts, or the first line that differs. */
static void
memo_assert_same (const char *text,
                  const char *expected)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_auto(GStrv) wanted = g_strsplit (expected, "\n", -1);
  guint i = 0;

  while (lines[i] != NULL && wanted[i] != NULL && g_str_equal (lines[i], wanted[i]))
    i++;
  if (lines[i] != NULL || wanted[i] != NULL)
    g_error ("line %u differs from a new helper's: \"%s\", not \"%s\"", i + 1,
             lines[i] != NULL ? lines[i] : "(end)", wanted[i] != NULL ? wanted[i] : "(end)");
}

/* Applies document where firewall has its table (namespace here), with
 * traffic counted before: every rule but those in changed keeps its
 * exact counter. Then the same document, applied by a new helper in a
 * new namespace, gives the same table and the same read-back. */
static void
memo_check (PalFirewall        *firewall,
            int                 here,
            PalDocument        *document,
            const char * const *changed)
{
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(PalFirewall) fresh = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *active = NULL;
  g_autofree char *fresh_listing = NULL;
  g_autofree char *fresh_active = NULL;

  g_assert_cmpint (setns (here, CLONE_NEWNET), ==, 0);
  g_assert_cmpint (kernel_ping ("127.0.0.1", 1000), ==, KERNEL_ANSWERED);
  before = kernel_counters (firewall);
  kernel_apply (firewall, document);
  after = kernel_counters (firewall);
  kernel_assert_moved_ignoring (before, after, NULL, changed);
  g_assert_cmpuint (kernel_packets (after, MEMO_COUNT), >, 0);
  memo_listing (firewall, &listing, &active);

  g_assert_cmpint (unshare (CLONE_NEWNET), ==, 0);
  fresh = kernel_firewall ();
  kernel_apply (fresh, document);
  memo_listing (fresh, &fresh_listing, &fresh_active);
  memo_assert_same (listing, fresh_listing);
  memo_assert_same (active, fresh_active);
  g_assert_cmpint (setns (here, CLONE_NEWNET), ==, 0);
}

static void
test_memo (void)
{
  g_autoptr(PalDocument) document = memo_document ();
  g_autoptr(PalDocument) decoded = NULL;
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(PalRule) inserted = kernel_rule (MEMO_NEW, "protocol", "is", "icmp", "count", "");
  g_autoptr(GError) error = NULL;
  const char *leaf[] = { MEMO_LEAF, NULL };
  const char *several[] = { MEMO_LEAF, MEMO_NEW, MEMO_OFF, NULL };
  const char *none[] = { NULL };
  PalRule *group = pal_document_find_rule (document, MEMO_GROUP);
  int here = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (here, >=, 0);
  kernel_apply (firewall, document);
  memo_check (firewall, here, document, none);

  /* One leaf's value, in the document applied. */
  pal_rule_set_value (pal_document_find_rule (document, MEMO_LEAF), "198.51.100.7");
  memo_check (firewall, here, document, leaf);

  /* A document decoded afresh (as every Apply over D-Bus is): a leaf
   * changed again, a rule inserted (every later path moves), one off. */
  decoded = pal_document_copy (document);
  group = pal_document_find_rule (decoded, MEMO_GROUP);
  pal_rule_set_value (pal_document_find_rule (decoded, MEMO_LEAF), "198.51.100.8");
  pal_rule_insert_child (group, 10, inserted);
  {
    g_autoptr(PalRule) off = kernel_rule (MEMO_OFF, "source-address", "is", "192.0.2.9", "drop", "");

    pal_rule_set_enabled (off, FALSE);
    pal_rule_insert_child (group, 20, off);
  }
  memo_check (firewall, here, decoded, several);

  /* A parent changed under a rule that did not: the rule is checked
   * again in its new scope (a port below ICMP cannot match). */
  pal_rule_set_value (pal_document_find_rule (decoded, MEMO_TCP), "icmp");
  g_assert_false (pal_firewall_apply (firewall, decoded, &error));
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT);
  g_assert_nonnull (strstr (error->message, "rules[0].children[0]"));
  g_clear_error (&error);
  pal_rule_set_value (pal_document_find_rule (decoded, MEMO_TCP), "tcp");
  memo_check (firewall, here, decoded, none);

  /* A rule moved to another parent, and the one off turned on. */
  {
    g_autoptr(PalRule) moved = g_object_ref (pal_document_find_rule (decoded, MEMO_LEAF));
    guint at = 0;

    for (;; at++)
      {
        g_autoptr(PalRule) child = pal_rule_get_child (group, at);

        if (child == moved)
          break;
      }
    pal_rule_remove_child (group, at);
    pal_rule_append_child (pal_document_find_rule (decoded, MEMO_TCP), moved);
    pal_rule_set_enabled (pal_document_find_rule (decoded, MEMO_OFF), TRUE);
  }
  memo_check (firewall, here, decoded, several);

  /* A document setting that changes how rules compile: log-denied puts a
   * logging kernel rule before the drop rule, which the memo must see. */
  pal_document_set_log_denied (decoded, TRUE);
  memo_check (firewall, here, decoded, none);
  close (here);
}

/* The service checks a document before anything else with
 * pal_firewall_validate, which checks again only what changed since the
 * last apply (the memo): it finds exactly the problems a full check
 * finds, even those of an unchanged rule whose parent changed, and the
 * apply that follows goes through. */
static void
assert_same_problems (GPtrArray *problems,
                      GPtrArray *expected)
{
  g_assert_cmpuint (problems->len, ==, expected->len);
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = pal_problem_to_string (g_ptr_array_index (problems, i), NULL);
      g_autofree char *wanted = pal_problem_to_string (g_ptr_array_index (expected, i), NULL);

      g_assert_cmpstr (line, ==, wanted);
    }
}

static void
test_validate (void)
{
  g_autoptr(PalDocument) document = memo_document ();
  g_autoptr(PalFirewall) firewall = kernel_firewall ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  const char *leaf[] = { MEMO_LEAF, NULL };
  PalRule *tcp = pal_document_find_rule (document, MEMO_TCP);
  PalRule *changed = pal_document_find_rule (document, MEMO_LEAF);

  kernel_apply (firewall, document);
  /* A parent changed under a rule that did not (a port below ICMP), and
   * a leaf's value made wrong. */
  pal_rule_set_value (tcp, "icmp");
  pal_rule_set_value (changed, "10.0.0.300");
  problems = pal_firewall_validate (firewall, document);
  expected = pal_validate_document (document);
  g_assert_cmpuint (expected->len, ==, 2);
  assert_same_problems (problems, expected);
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_clear_pointer (&expected, g_ptr_array_unref);

  /* Right again, with the leaf changed: valid, and applied after. */
  pal_rule_set_value (tcp, "tcp");
  pal_rule_set_value (changed, "198.51.100.7");
  problems = pal_firewall_validate (firewall, document);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpint (kernel_ping ("127.0.0.1", 1000), ==, KERNEL_ANSWERED);
  before = kernel_counters (firewall);
  kernel_apply (firewall, document);
  after = kernel_counters (firewall);
  kernel_assert_moved_ignoring (before, after, NULL, leaf);
  {
    g_autofree char *listing = kernel_nft ("list", "table", "inet", "palisade", NULL);

    g_assert_nonnull (strstr (listing, "198.51.100.7"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  kernel_test_init ();

  kernel_test_add ("/kernel/apply/templates", test_templates);
  kernel_test_add ("/kernel/apply/export", test_export);
  kernel_test_add ("/kernel/apply/nothing-applied", test_nothing_applied);
  kernel_test_add ("/kernel/apply/invalid", test_invalid);
  kernel_test_add ("/kernel/apply/foreign-table", test_foreign_table);
  kernel_test_add ("/kernel/apply/conflict", test_conflict);
  kernel_test_add ("/kernel/apply/conflict-race", test_conflict_race);
  kernel_test_add ("/kernel/apply/incremental", test_incremental);
  kernel_test_add ("/kernel/apply/handles", test_handles);
  kernel_test_add ("/kernel/apply/dormant", test_dormant);
  kernel_test_add ("/kernel/apply/changed-signal", test_changed_signal);
  kernel_test_add ("/kernel/apply/active-foreign-rule", test_active_foreign_rule);
  kernel_test_add ("/kernel/apply/segments", test_segments);
  kernel_test_add ("/kernel/apply/active-long-values", test_active_long_values);
  kernel_test_add ("/kernel/apply/toggle-disabled", test_toggle_disabled);
  kernel_test_add ("/kernel/apply/disabled-long", test_disabled_long);
  kernel_test_add ("/kernel/apply/memo", test_memo);
  kernel_test_add ("/kernel/apply/outline", test_outline);
  kernel_test_add ("/kernel/apply/validate", test_validate);
  return g_test_run ();
}
