/* test-document-variant.c — the document ↔ GVariant codec of the D-Bus
 * interface, above all that decoding hostile input fails cleanly and says
 * where.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pal-document-variant.h"
#include "pal-helper-error.h"
#include "pal-value.h"

#define ID_A "0b7e4a4e-9a51-4b8a-9a49-0a2d4a3f0001"
#define ID_B "0b7e4a4e-9a51-4b8a-9a49-0a2d4a3f0002"

static PalRule *
new_rule (PalProperty  property,
          const char  *value,
          PalAction    action)
{
  PalRule *rule = pal_rule_new (property, action);

  pal_rule_set_value (rule, value);
  return rule;
}

/* Three levels, a disabled rule, a read-only rule, every setting changed
 * from its default. */
static PalDocument *
new_sample_document (void)
{
  PalDocument *document = pal_document_new ();
  g_autoptr(PalRule) group = new_rule (PAL_PROPERTY_DIRECTION, "in", PAL_ACTION_GROUP);
  g_autoptr(PalRule) tcp = new_rule (PAL_PROPERTY_PROTOCOL, "tcp", PAL_ACTION_GROUP);
  g_autoptr(PalRule) ssh = new_rule (PAL_PROPERTY_DESTINATION_PORT, "22", PAL_ACTION_PASS);
  g_autoptr(PalRule) log = new_rule (PAL_PROPERTY_ANY, "", PAL_ACTION_LOG);
  g_autoptr(PalRule) foreign = new_rule (PAL_PROPERTY_ANY, "", PAL_ACTION_COUNT);
  g_autoptr(PalInterfaceConfig) eth0 = pal_interface_config_new ("eth0");
  g_autoptr(PalAdaptiveSettings) adaptive = pal_adaptive_settings_new ();
  const char *trusted[] = { "10.0.0.0/8", "::1", NULL };
  const char *services[] = { "sshd", "dovecot", NULL };

  pal_rule_set_name (ssh, "SSH from anywhere — «ünïcode»");
  pal_rule_set_relation (ssh, PAL_RELATION_IS_NOT);
  pal_rule_set_enabled (log, FALSE);
  pal_rule_set_parameter (log, "dropped: ");
  pal_rule_set_read_only (foreign, TRUE);
  pal_rule_set_name (foreign, "ip saddr 192.0.2.1 counter");
  pal_rule_append_child (tcp, ssh);
  pal_rule_append_child (group, tcp);
  pal_rule_append_child (group, log);
  pal_document_append_rule (document, group);
  pal_document_append_rule (document, foreign);

  pal_interface_config_set_external (eth0, TRUE);
  pal_interface_config_set_bridge (eth0, TRUE);
  pal_document_set_interface (document, eth0);
  pal_document_set_enabled (document, FALSE);
  pal_document_set_default_verdict (document, PAL_VERDICT_REJECT);
  pal_document_set_log_denied (document, TRUE);
  pal_document_set_trigger_duration (document, 3600);
  pal_document_set_trusted (document, trusted);
  adaptive->enabled = TRUE;
  adaptive->failures = 3;
  adaptive->window = 60;
  adaptive->duration = 120;
  adaptive->max_duration = 7200;
  g_strfreev (adaptive->services);
  adaptive->services = g_strdupv ((char **) services);
  pal_document_set_adaptive (document, adaptive);
  return document;
}

static void
test_round_trip (void)
{
  g_autoptr(PalDocument) document = new_sample_document ();
  g_autoptr(GVariant) variant = g_variant_ref_sink (pal_document_to_variant (document));
  g_autoptr(PalDocument) decoded = NULL;
  g_autoptr(GVariant) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PalRule) group = NULL;
  g_autoptr(PalRule) tcp = NULL;
  g_autoptr(PalRule) ssh = NULL;
  g_autoptr(PalRule) log = NULL;

  g_assert_true (g_variant_is_of_type (variant, PAL_DOCUMENT_VARIANT_TYPE));
  decoded = pal_document_from_variant (variant, &error);
  g_assert_no_error (error);
  g_assert_nonnull (decoded);

  again = g_variant_ref_sink (pal_document_to_variant (decoded));
  g_assert_true (g_variant_equal (variant, again));

  g_assert_cmpuint (pal_document_count_rules (decoded), ==, 5);
  g_assert_false (pal_document_get_enabled (decoded));
  g_assert_cmpint (pal_document_get_default_verdict (decoded), ==, PAL_VERDICT_REJECT);
  g_assert_true (pal_document_get_log_denied (decoded));
  g_assert_cmpuint (pal_document_get_adaptive (decoded)->failures, ==, 3);
  g_assert_true (pal_interface_config_get_external (pal_document_lookup_interface (decoded, "eth0")));
  group = g_list_model_get_item (pal_document_get_rules (decoded), 0);
  g_assert_cmpuint (pal_rule_get_n_children (group), ==, 2);
  tcp = pal_rule_get_child (group, 0);
  ssh = pal_rule_get_child (tcp, 0);
  log = pal_rule_get_child (group, 1);
  g_assert_cmpstr (pal_rule_get_name (ssh), ==, "SSH from anywhere — «ünïcode»");
  g_assert_cmpint (pal_rule_get_relation (ssh), ==, PAL_RELATION_IS_NOT);
  g_assert_cmpuint (pal_rule_get_depth (ssh), ==, 2);
  g_assert_false (pal_rule_get_enabled (log));
}

/* ------------------------------------------------------------ hand-made */

typedef struct
{
  GVariantBuilder settings;
  GVariantBuilder rules;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_variant_builder_init (&fixture->settings, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_init (&fixture->rules, G_VARIANT_TYPE ("a(usussssss)"));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_variant_builder_clear (&fixture->settings);
  g_variant_builder_clear (&fixture->rules);
}

static void
add_rule (Fixture    *fixture,
          guint32     depth,
          const char *id,
          guint32     flags,
          const char *property,
          const char *action)
{
  g_variant_builder_add (&fixture->rules, "(usussssss)", depth, id, flags, "", property, "is",
                         "", action, "");
}

static char *
next_id (void)
{
  return g_uuid_string_random ();
}

static void
add_simple_rule (Fixture *fixture,
                 guint32  depth)
{
  g_autofree char *id = next_id ();

  add_rule (fixture, depth, id, PAL_RULE_FLAG_ENABLED, "any", "pass");
}

/* Decodes the fixture and expects error code with a message starting with prefix. */
static void
assert_decode_fails (Fixture    *fixture,
                     int         code,
                     const char *prefix)
{
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  variant = g_variant_ref_sink (g_variant_new ("(@a{sv}@a(usussssss))",
                                               g_variant_builder_end (&fixture->settings),
                                               g_variant_builder_end (&fixture->rules)));
  document = pal_document_from_variant (variant, &error);
  g_assert_null (document);
  g_assert_error (error, PAL_HELPER_ERROR, code);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("expected a message starting with “%s”, got “%s”", prefix, error->message);
}

static PalDocument *
decode_fixture (Fixture *fixture)
{
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GError) error = NULL;
  PalDocument *document;

  variant = g_variant_ref_sink (g_variant_new ("(@a{sv}@a(usussssss))",
                                               g_variant_builder_end (&fixture->settings),
                                               g_variant_builder_end (&fixture->rules)));
  document = pal_document_from_variant (variant, &error);
  g_assert_no_error (error);
  return document;
}

static void
test_empty_is_defaults (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PalDocument) document = decode_fixture (fixture);
  g_autoptr(PalDocument) fresh = pal_document_new ();

  g_assert_cmpuint (pal_document_count_rules (document), ==, 0);
  g_assert_cmpint (pal_document_get_enabled (document), ==, pal_document_get_enabled (fresh));
  g_assert_cmpint (pal_document_get_default_verdict (document), ==,
                   pal_document_get_default_verdict (fresh));
}

static void
test_wrong_type (void)
{
  g_autoptr(GVariant) variant = g_variant_ref_sink (g_variant_new ("(a{sv}as)", NULL, NULL));
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) document = pal_document_from_variant (variant, &error);

  g_assert_null (document);
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS);
  g_assert_nonnull (strstr (error->message, "(a{sv}as)"));
}

static void
test_first_depth (Fixture       *fixture,
                  gconstpointer  data)
{
  add_simple_rule (fixture, 1);
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT, "rules: rule 0 ");
}

static void
test_depth_jump (Fixture       *fixture,
                 gconstpointer  data)
{
  add_simple_rule (fixture, 0);
  add_simple_rule (fixture, 1);
  add_simple_rule (fixture, 3);
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT, "rules: rule 2 ");
}

static void
test_too_deep (Fixture       *fixture,
               gconstpointer  data)
{
  for (guint depth = 0; depth <= PAL_DOCUMENT_MAX_DEPTH; depth++)
    add_simple_rule (fixture, depth);
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT, "rules: rule 16 ");
}

static void
test_deepest (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PalDocument) document = NULL;

  for (guint depth = 0; depth < PAL_DOCUMENT_MAX_DEPTH; depth++)
    add_simple_rule (fixture, depth);
  add_simple_rule (fixture, 0);
  document = decode_fixture (fixture);
  g_assert_cmpuint (pal_document_count_rules (document), ==, PAL_DOCUMENT_MAX_DEPTH + 1);
}

static void
test_huge_depth (Fixture       *fixture,
                 gconstpointer  data)
{
  add_simple_rule (fixture, 0);
  add_simple_rule (fixture, G_MAXUINT32);
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT, "rules: rule 1 ");
}

/* The path names the rule as the .fwdoc reader would: by its place in the tree. */
static void
test_unknown_property (Fixture       *fixture,
                       gconstpointer  data)
{
  add_simple_rule (fixture, 0);
  add_simple_rule (fixture, 0);
  add_simple_rule (fixture, 1);
  add_simple_rule (fixture, 2);
  add_simple_rule (fixture, 1);
  add_rule (fixture, 2, ID_A, 1, "colour", "pass");
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                       "rules[1].children[1].children[0].property: \"colour\" is not a property");
}

static void
test_unknown_action (Fixture       *fixture,
                     gconstpointer  data)
{
  add_rule (fixture, 0, ID_A, 1, "any", "explode");
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                       "rules[0].action: \"explode\" is not an action");
}

static void
test_unknown_relation (Fixture       *fixture,
                       gconstpointer  data)
{
  g_variant_builder_add (&fixture->rules, "(usussssss)", 0, ID_A, 1, "", "any", "like", "",
                         "pass", "");
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT, "rules[0].relation: ");
}

static void
test_bad_id (Fixture       *fixture,
             gconstpointer  data)
{
  add_rule (fixture, 0, "not-a-uuid", 1, "any", "pass");
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                       "rules[0].id: \"not-a-uuid\" is not a UUID");
}

static void
test_duplicate_id (Fixture       *fixture,
                   gconstpointer  data)
{
  add_rule (fixture, 0, ID_A, 1, "any", "group");
  add_rule (fixture, 1, ID_B, 1, "any", "pass");
  add_rule (fixture, 1, ID_A, 1, "any", "pass");
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT, "rules[0].children[1].id: ");
}

static void
test_unknown_flags (Fixture       *fixture,
                    gconstpointer  data)
{
  add_rule (fixture, 0, ID_A, 1 | 8, "any", "pass");
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_ARGS,
                       "rules[0].flags: unknown flag bits 0x8");
}

static void
test_long_name (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *name = g_strnfill (PAL_DOCUMENT_MAX_NAME_LENGTH + 1, 'x');

  g_variant_builder_add (&fixture->rules, "(usussssss)", 0, ID_A, 1, name, "any", "is", "",
                         "pass", "");
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT, "rules[0].name: is 257 bytes long");
}

static void
test_long_value (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *value = g_strnfill (PAL_VALUE_MAX_LENGTH + 1, '1');

  g_variant_builder_add (&fixture->rules, "(usussssss)", 0, ID_A, 1, "", "source-port", "is",
                         value, "pass", "");
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT, "rules[0].value: is ");
}

static void
test_long_parameter (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *parameter = g_strnfill (PAL_DOCUMENT_VARIANT_MAX_PARAMETER + 1, 'p');

  g_variant_builder_add (&fixture->rules, "(usussssss)", 0, ID_A, 1, "", "any", "is", "",
                         "log", parameter);
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT, "rules[0].parameter: is ");
}

static void
test_too_many_rules (Fixture       *fixture,
                     gconstpointer  data)
{
  for (guint i = 0; i <= PAL_DOCUMENT_MAX_RULES; i++)
    add_rule (fixture, 0, ID_A, 1, "any", "pass");
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT, "rules: has 250001 entries");
}

static void
test_unknown_setting (Fixture       *fixture,
                      gconstpointer  data)
{
  g_variant_builder_add (&fixture->settings, "{sv}", "colour", g_variant_new_string ("red"));
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_ARGS, "colour: is not a setting");
}

static void
test_setting_type (Fixture       *fixture,
                   gconstpointer  data)
{
  g_variant_builder_add (&fixture->settings, "{sv}", "enabled", g_variant_new_string ("yes"));
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_ARGS, "enabled: has type s, expected b");
}

static void
test_setting_twice (Fixture       *fixture,
                    gconstpointer  data)
{
  g_variant_builder_add (&fixture->settings, "{sv}", "enabled", g_variant_new_boolean (TRUE));
  g_variant_builder_add (&fixture->settings, "{sv}", "enabled", g_variant_new_boolean (FALSE));
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_ARGS, "enabled: is given twice");
}

static void
test_bad_verdict (Fixture       *fixture,
                  gconstpointer  data)
{
  g_variant_builder_add (&fixture->settings, "{sv}", "default", g_variant_new_string ("maybe"));
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT, "default: \"maybe\" is not a verdict");
}

static void
test_newer_format (Fixture       *fixture,
                   gconstpointer  data)
{
  g_variant_builder_add (&fixture->settings, "{sv}", "fwdoc", g_variant_new_uint32 (PAL_FWDOC_VERSION + 1));
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT, "fwdoc: format version 2");
}

static void
test_bad_interface (Fixture       *fixture,
                    gconstpointer  data)
{
  g_variant_builder_add (&fixture->settings, "{sv}", "interfaces",
                         g_variant_new_parsed ("[('eth0', true, false, false), ('a/b', true, false, false)]"));
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                       "interfaces[1].name: \"a/b\" is not a network interface name");
}

static void
test_long_interface (Fixture       *fixture,
                     gconstpointer  data)
{
  g_variant_builder_add (&fixture->settings, "{sv}", "interfaces",
                         g_variant_new_parsed ("[('abcdefghijklmnop', true, false, false)]"));
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT, "interfaces[0].name: is 16 bytes");
}

static void
test_duplicate_interface (Fixture       *fixture,
                          gconstpointer  data)
{
  g_variant_builder_add (&fixture->settings, "{sv}", "interfaces",
                         g_variant_new_parsed ("[('eth0', true, false, false), ('eth0', false, false, false)]"));
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                       "interfaces[1].name: interface \"eth0\" is listed twice");
}

static void
test_adaptive_setting (Fixture       *fixture,
                       gconstpointer  data)
{
  g_variant_builder_add (&fixture->settings, "{sv}", "adaptive",
                         g_variant_new_parsed ("{'failures': <int32 3>}"));
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_ARGS,
                       "adaptive.failures: has type i, expected u");
}

static void
test_empty_trusted (Fixture       *fixture,
                    gconstpointer  data)
{
  g_variant_builder_add (&fixture->settings, "{sv}", "trusted",
                         g_variant_new_parsed ("['10.0.0.1', '']"));
  assert_decode_fails (fixture, PAL_HELPER_ERROR_INVALID_DOCUMENT, "trusted[1]: must not be empty");
}

/* ------------------------------------------------------------ raw bytes */

/* Serialised data that was never checked, as a file or a fuzzer gives it. */
static void
test_invalid_utf8 (void)
{
  g_autoptr(PalDocument) document = new_sample_document ();
  g_autoptr(GVariant) variant = g_variant_ref_sink (pal_document_to_variant (document));
  gsize size = g_variant_get_size (variant);
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GVariant) broken = NULL;
  g_autoptr(PalDocument) decoded = NULL;
  g_autoptr(GError) error = NULL;
  guint8 *found;

  g_variant_store (variant, data);
  found = memmem (data, size, "SSH", 3);
  g_assert_nonnull (found);
  found[0] = 0xff;
  broken = g_variant_ref_sink (g_variant_new_from_data (PAL_DOCUMENT_VARIANT_TYPE, data, size,
                                                        FALSE, NULL, NULL));
  decoded = pal_document_from_variant (broken, &error);
  g_assert_null (decoded);
  g_assert_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS);
}

/* Flipped bytes and random data must give a document or an error, never a
 * crash or a critical. */
static void
test_garbage (void)
{
  g_autoptr(PalDocument) document = new_sample_document ();
  g_autoptr(GVariant) variant = g_variant_ref_sink (pal_document_to_variant (document));
  gsize size = g_variant_get_size (variant);
  g_autofree guint8 *original = g_malloc (size);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240611);

  g_variant_store (variant, original);
  for (guint round = 0; round < 20000; round++)
    {
      gsize length = round % 2 ? size : (gsize) g_rand_int_range (rand, 0, size * 2);
      g_autofree guint8 *data = g_malloc0 (MAX (length, 1));
      g_autoptr(GVariant) mangled = NULL;
      g_autoptr(PalDocument) decoded = NULL;
      g_autoptr(GError) error = NULL;

      memcpy (data, original, MIN (length, size));
      for (guint flips = g_rand_int_range (rand, 1, 8); flips > 0 && length > 0; flips--)
        data[g_rand_int_range (rand, 0, length)] = g_rand_int_range (rand, 0, 256);
      mangled = g_variant_ref_sink (g_variant_new_from_data (PAL_DOCUMENT_VARIANT_TYPE, data, length,
                                                             FALSE, NULL, NULL));
      decoded = pal_document_from_variant (mangled, &error);
      g_assert_true ((decoded == NULL) != (error == NULL));
      if (error != NULL)
        g_assert_true (error->domain == PAL_HELPER_ERROR);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/document-variant/round-trip", test_round_trip);
  g_test_add_func ("/document-variant/wrong-type", test_wrong_type);
  g_test_add_func ("/document-variant/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/document-variant/garbage", test_garbage);
#define ADD(path, func) \
  g_test_add ("/document-variant/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("empty-is-defaults", test_empty_is_defaults);
  ADD ("first-depth", test_first_depth);
  ADD ("depth-jump", test_depth_jump);
  ADD ("too-deep", test_too_deep);
  ADD ("deepest", test_deepest);
  ADD ("huge-depth", test_huge_depth);
  ADD ("unknown-property", test_unknown_property);
  ADD ("unknown-action", test_unknown_action);
  ADD ("unknown-relation", test_unknown_relation);
  ADD ("bad-id", test_bad_id);
  ADD ("duplicate-id", test_duplicate_id);
  ADD ("unknown-flags", test_unknown_flags);
  ADD ("long-name", test_long_name);
  ADD ("long-value", test_long_value);
  ADD ("long-parameter", test_long_parameter);
  ADD ("too-many-rules", test_too_many_rules);
  ADD ("unknown-setting", test_unknown_setting);
  ADD ("setting-type", test_setting_type);
  ADD ("setting-twice", test_setting_twice);
  ADD ("bad-verdict", test_bad_verdict);
  ADD ("newer-format", test_newer_format);
  ADD ("bad-interface", test_bad_interface);
  ADD ("long-interface", test_long_interface);
  ADD ("duplicate-interface", test_duplicate_interface);
  ADD ("adaptive-setting", test_adaptive_setting);
  ADD ("empty-trusted", test_empty_trusted);
#undef ADD

  return g_test_run ();
}
