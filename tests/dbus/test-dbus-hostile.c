/* test-dbus-hostile.c — hostile arguments to every method of the helper.
 *
 * Oversized strings, deep and odd variants, wrong types and huge arrays,
 * sent raw (not through the generated proxy, which would check types):
 * each is refused with an error, and the helper still answers afterwards.
 * Run by dbus-harness.sh.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pal-dbus-generated.h"
#include "pal-helper-error.h"

static GDBusConnection *connection;

/* The helper answers a plain call: it survived. */
static void
assert_alive (void)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_sync (connection, PAL_BUS_NAME, PAL_OBJECT_PATH, PAL_BUS_NAME,
                                       "GetCounters", NULL, G_VARIANT_TYPE ("(a(sttt))"),
                                       G_DBUS_CALL_FLAGS_NONE, 30000, NULL, &error);
  g_assert_no_error (error);
}

/* Calls method with parameters (floating, may be NULL) and expects an
 * error whose D-Bus name contains expected. */
static void
assert_refused (const char *method,
                GVariant   *parameters,
                const char *expected)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  reply = g_dbus_connection_call_sync (connection, PAL_BUS_NAME, PAL_OBJECT_PATH, PAL_BUS_NAME,
                                       method, parameters, NULL, G_DBUS_CALL_FLAGS_NONE, 60000, NULL, &error);
  g_assert_null (reply);
  g_assert_nonnull (error);
  name = g_dbus_error_get_remote_error (error);
  g_test_message ("%s → %s: %.200s", method, name, error->message);
  g_assert_nonnull (name);
  g_assert_nonnull (strstr (name, expected));
  assert_alive ();
}

static GVariant *
empty_document (void)
{
  return g_variant_new_parsed ("(@a{sv} {}, @a(usussssss) [])");
}

static GVariant *
apply_parameters (GVariant *document,
                  GVariant *options)
{
  return g_variant_new ("(@(a{sv}a(usussssss))@a{sv})", document, options);
}

static void
test_wrong_types (void)
{
  assert_refused ("Apply", g_variant_new ("(s)", "a document"), "InvalidArgs");
  assert_refused ("Apply", NULL, "InvalidArgs");
  assert_refused ("SetEnabled", g_variant_new ("(s)", "yes"), "InvalidArgs");
  assert_refused ("SetEnabled", g_variant_new ("(bb)", TRUE, TRUE), "InvalidArgs");
  assert_refused ("Confirm", g_variant_new ("(u)", 20), "InvalidArgs");
  assert_refused ("RollBack", g_variant_new ("(s)", "now"), "InvalidArgs");
  assert_refused ("GetCounters", g_variant_new ("(s)", "default"), "InvalidArgs");
  assert_refused ("GetCounterValues", NULL, "InvalidArgs");
  assert_refused ("GetCounterValues", g_variant_new ("(u)", 1), "InvalidArgs");
  assert_refused ("GetActive", g_variant_new ("(v)", g_variant_new_string ("x")), "InvalidArgs");
  assert_refused ("NoSuchMethod", NULL, "UnknownMethod");
}

static void
test_oversized_strings (void)
{
  gsize size = 8 * 1024 * 1024;
  g_autofree char *huge = g_malloc (size + 1);
  GVariantBuilder options;

  memset (huge, 'a', size);
  huge[size] = '\0';
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", huge, g_variant_new_uint32 (20));
  assert_refused ("Apply", apply_parameters (empty_document (), g_variant_builder_end (&options)), "InvalidArgs");

  /* A rule whose value is 8 MiB. */
  assert_refused ("Apply",
                  apply_parameters (g_variant_new_parsed ("(@a{sv} {}, [(uint32 0, '00000000-0000-4000-8000-000000000001', "
                                                          "uint32 1, 'r', 'source-address', 'is', %s, 'pass', '')])",
                                                          huge),
                                    g_variant_new ("a{sv}", NULL)),
                  "InvalidDocument");
  /* A settings key of 8 MiB. */
  {
    GVariantBuilder settings;

    g_variant_builder_init (&settings, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add (&settings, "{sv}", huge, g_variant_new_boolean (TRUE));
    assert_refused ("Apply",
                    apply_parameters (g_variant_new ("(@a{sv}@a(usussssss))", g_variant_builder_end (&settings),
                                                     g_variant_new ("a(usussssss)", NULL)),
                                      g_variant_new ("a{sv}", NULL)),
                    "Invalid");
  }
}

/* v inside v inside v…: as deep as D-Bus carries (64). */
static void
test_deep_variants (void)
{
  GVariant *deep = g_variant_new_uint32 (20);
  GVariantBuilder options;

  for (guint i = 0; i < 60; i++)
    deep = g_variant_new_variant (deep);
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "confirm-timeout", deep);
  assert_refused ("Apply", apply_parameters (empty_document (), g_variant_builder_end (&options)), "InvalidArgs");

  /* An adaptive setting of the wrong shape, nested. */
  {
    GVariantBuilder adaptive;
    GVariantBuilder settings;

    g_variant_builder_init (&adaptive, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add (&adaptive, "{sv}", "enabled",
                           g_variant_new_variant (g_variant_new_variant (g_variant_new_boolean (TRUE))));
    g_variant_builder_init (&settings, G_VARIANT_TYPE_VARDICT);
    g_variant_builder_add (&settings, "{sv}", "adaptive", g_variant_builder_end (&adaptive));
    assert_refused ("Apply",
                    apply_parameters (g_variant_new ("(@a{sv}@a(usussssss))", g_variant_builder_end (&settings),
                                                     g_variant_new ("a(usussssss)", NULL)),
                                      g_variant_new ("a{sv}", NULL)),
                    "Invalid");
  }
  /* Odd option values: a string, an array, a negative number. */
  assert_refused ("Apply", apply_parameters (empty_document (), g_variant_new_parsed ("{'confirm-timeout': <['a']>}")),
                  "InvalidArgs");
  assert_refused ("Apply", apply_parameters (empty_document (), g_variant_new_parsed ("{'confirm-timeout': <int64 -5>}")),
                  "InvalidArgs");
}

static void
test_huge_arrays (void)
{
  GVariantBuilder options;
  GVariantBuilder rules;

  /* 200,000 options. */
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < 200000; i++)
    {
      char key[32];

      g_snprintf (key, sizeof key, "option-%u", i);
      g_variant_builder_add (&options, "{sv}", key, g_variant_new_byte (0));
    }
  assert_refused ("Apply", apply_parameters (empty_document (), g_variant_builder_end (&options)), "InvalidArgs");

  /* 300,000 rules, over the document's limit. */
  g_variant_builder_init (&rules, G_VARIANT_TYPE ("a(usussssss)"));
  for (guint i = 0; i < 300000; i++)
    {
      char id[40];

      g_snprintf (id, sizeof id, "00000000-0000-4000-8000-%012x", i);
      g_variant_builder_add (&rules, "(usussssss)", 0, id, 1, "", "any", "is", "", "count", "");
    }
  assert_refused ("Apply",
                  apply_parameters (g_variant_new ("(@a{sv}@a(usussssss))", g_variant_new ("a{sv}", NULL),
                                                   g_variant_builder_end (&rules)),
                                    g_variant_new ("a{sv}", NULL)),
                  "Invalid");
}

/* Confirm and RollBack with nothing waiting: refused, still serving. */
static void
test_nothing_to_confirm (void)
{
  assert_refused ("Confirm", NULL, "InvalidArgs");
  assert_refused ("RollBack", NULL, "InvalidArgs");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("PAL_TEST_HELPER_PID") == NULL)
    {
      g_test_skip ("Run by tests/dbus/dbus-harness.sh, which starts the bus, polkitd and the helper");
      return g_test_run ();
    }
  pal_helper_error_quark ();
  connection = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/hostile/wrong-types", test_wrong_types);
  g_test_add_func ("/hostile/oversized-strings", test_oversized_strings);
  g_test_add_func ("/hostile/deep-variants", test_deep_variants);
  g_test_add_func ("/hostile/huge-arrays", test_huge_arrays);
  g_test_add_func ("/hostile/nothing-to-confirm", test_nothing_to_confirm);

  return g_test_run ();
}
