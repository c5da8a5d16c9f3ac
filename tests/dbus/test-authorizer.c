/* test-authorizer.c — the helper's allowlist: every call it answers maps to
 * exactly the intended polkit action, and anything else to none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-authorizer.h"
#include "pal-dbus-generated.h"

#define FIREWALL1  "io.github.palisade.Firewall1"
#define PROPERTIES "org.freedesktop.DBus.Properties"

static void
test_listed (void)
{
  g_assert_cmpstr (pal_authorizer_lookup_action (FIREWALL1, "Apply"), ==, PAL_ACTION_ID_APPLY);
  g_assert_cmpstr (pal_authorizer_lookup_action (FIREWALL1, "SetEnabled"), ==, PAL_ACTION_ID_APPLY);
  g_assert_cmpstr (pal_authorizer_lookup_action (FIREWALL1, "SetBootDocument"), ==, PAL_ACTION_ID_BOOT);
  g_assert_cmpstr (pal_authorizer_lookup_action (FIREWALL1, "GetActive"), ==, PAL_ACTION_ID_MONITOR);
  g_assert_cmpstr (pal_authorizer_lookup_action (FIREWALL1, "GetCounters"), ==, PAL_ACTION_ID_MONITOR);
  g_assert_cmpstr (pal_authorizer_lookup_action (FIREWALL1, "GetInterfaces"), ==, PAL_ACTION_ID_MONITOR);
  g_assert_cmpstr (pal_authorizer_lookup_action (FIREWALL1, "GetLog"), ==, PAL_ACTION_ID_MONITOR);
  g_assert_cmpstr (pal_authorizer_lookup_action (FIREWALL1, "WatchLog"), ==, PAL_ACTION_ID_MONITOR);
  g_assert_cmpstr (pal_authorizer_lookup_action (FIREWALL1, "UnwatchLog"), ==, PAL_ACTION_ID_MONITOR);
  g_assert_cmpstr (pal_authorizer_lookup_action (PROPERTIES, "Get"), ==, PAL_ACTION_ID_MONITOR);
  g_assert_cmpstr (pal_authorizer_lookup_action (PROPERTIES, "GetAll"), ==, PAL_ACTION_ID_MONITOR);
}

/* Near misses must not match: no prefixes, no case folding. */
static void
test_unlisted (void)
{
  const char *calls[][2] = {
    { PROPERTIES, "Set" },
    { FIREWALL1, "App" },
    { FIREWALL1, "Apply2" },
    { FIREWALL1, "apply" },
    { FIREWALL1, "" },
    { "io.github.palisade.Firewall", "Apply" },
    { "io.github.palisade.Firewall12", "Apply" },
    { "io.github.palisade.Firewall1.Extra", "GetCounters" },
    { "org.freedesktop.DBus.Introspectable", "Introspect" },
    { "org.freedesktop.DBus.ObjectManager", "GetManagedObjects" },
    { PROPERTIES, "GetAllX" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    g_assert_null (pal_authorizer_lookup_action (calls[i][0], calls[i][1]));
  g_assert_null (pal_authorizer_lookup_action (NULL, "Apply"));
  g_assert_null (pal_authorizer_lookup_action (FIREWALL1, NULL));
}

/* A method added to the XML stays closed until someone decides its action:
 * this test then fails and makes them decide here and in the authorizer. */
static void
test_every_method_decided (void)
{
  GDBusInterfaceInfo *info = pal_dbus_firewall1_interface_info ();
  const char *expected[][2] = {
    { "Apply", PAL_ACTION_ID_APPLY },
    { "GetActive", PAL_ACTION_ID_MONITOR },
    { "GetCounters", PAL_ACTION_ID_MONITOR },
    { "GetCounterValues", PAL_ACTION_ID_MONITOR },
    { "GetOtherTables", PAL_ACTION_ID_MONITOR },
    { "SetEnabled", PAL_ACTION_ID_APPLY },
    { "Confirm", PAL_ACTION_ID_APPLY },
    { "RollBack", PAL_ACTION_ID_APPLY },
    { "SetBootDocument", PAL_ACTION_ID_BOOT },
    { "GetInterfaces", PAL_ACTION_ID_MONITOR },
    { "GetLog", PAL_ACTION_ID_MONITOR },
    { "WatchLog", PAL_ACTION_ID_MONITOR },
    { "UnwatchLog", PAL_ACTION_ID_MONITOR },
    { "ListTriggered", PAL_ACTION_ID_MONITOR },
    { "ListTriggeredValues", PAL_ACTION_ID_MONITOR },
    { "ListTrusted", PAL_ACTION_ID_MONITOR },
    { "Export", PAL_ACTION_ID_MONITOR },
    { "AddTriggered", PAL_ACTION_ID_TRIGGERED },
    { "RemoveTriggered", PAL_ACTION_ID_TRIGGERED },
    { "FlushTriggered", PAL_ACTION_ID_TRIGGERED },
    { "SetTriggerDuration", PAL_ACTION_ID_TRIGGERED },
    { "AddTrusted", PAL_ACTION_ID_TRIGGERED },
    { "RemoveTrusted", PAL_ACTION_ID_TRIGGERED },
    { "Import", PAL_ACTION_ID_TRIGGERED },
  };
  guint n_methods = 0;

  for (GDBusMethodInfo **method = info->methods; *method != NULL; method++)
    {
      const char *action = pal_authorizer_lookup_action (info->name, (*method)->name);
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
        if (g_str_equal (expected[i][0], (*method)->name))
          {
            g_assert_cmpstr (action, ==, expected[i][1]);
            found = TRUE;
          }
      if (!found)
        g_error ("method %s has no decided polkit action", (*method)->name);
      n_methods++;
    }
  g_assert_cmpuint (n_methods, ==, G_N_ELEMENTS (expected));

  /* Every property is read-only: nothing to Set, so Set stays denied. */
  for (GDBusPropertyInfo **property = info->properties; *property != NULL; property++)
    g_assert_cmpint ((*property)->flags, ==, G_DBUS_PROPERTY_INFO_FLAGS_READABLE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/authorizer/listed", test_listed);
  g_test_add_func ("/authorizer/unlisted", test_unlisted);
  g_test_add_func ("/authorizer/every-method-decided", test_every_method_decided);

  return g_test_run ();
}
