/* test-enums.c — names, labels and traits of properties, relations,
 * actions and verdicts, and the explanations for IPNetSentryX names that
 * nftables cannot express.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pal-enum-types.h"
#include "pal-enums.h"

/* The names are a contract with scripts: spelt out here, not derived. */
static const char *const property_names[PAL_N_PROPERTIES] = {
  "any", "direction", "interface", "ip-version", "source-address",
  "destination-address", "source-mac", "destination-mac", "protocol",
  "source-port", "destination-port", "icmp-type", "icmpv6-type", "tcp-flags",
  "tcp-option", "ip-option", "fragment", "connection-state", "listed-in",
  "service", "user", "time-of-day", "day-of-week", "date-time", "packet-length",
};

static const char *const action_names[] = {
  "group", "pass", "drop", "reject", "exit-group", "trigger", "authorize",
  "keep-address", "log", "alert", "rate-limit", "count",
};

static const char *const relation_names[] = { "is", "is-not" };
static const char *const verdict_names[] = { "pass", "drop", "reject" };

static void
test_properties (void)
{
  for (PalProperty property = 0; property < PAL_N_PROPERTIES; property++)
    {
      PalProperty parsed = PAL_N_PROPERTIES;

      g_assert_cmpstr (pal_property_to_string (property), ==, property_names[property]);
      g_assert_true (pal_property_from_string (property_names[property], &parsed));
      g_assert_cmpint (parsed, ==, property);
      g_assert_nonnull (pal_property_get_label (property));
      g_assert_cmpstr (pal_property_get_label (property), !=, "");
      g_assert_null (pal_property_unsupported_reason (property_names[property]));
    }
  g_assert_false (pal_property_from_string ("Source-Address", NULL));
  g_assert_false (pal_property_from_string ("source_address", NULL));
  g_assert_false (pal_property_from_string ("", NULL));
  g_assert_false (pal_property_from_string (NULL, NULL));
  g_assert_false (pal_property_from_string ("data-content", NULL));
  g_assert_cmpstr (pal_property_get_label (PAL_PROPERTY_SOURCE_ADDRESS), ==, "Source address");
}

static void
test_actions (void)
{
  g_assert_cmpuint (G_N_ELEMENTS (action_names), ==, PAL_ACTION_COUNT + 1);
  for (PalAction action = 0; action < G_N_ELEMENTS (action_names); action++)
    {
      PalAction parsed = PAL_ACTION_COUNT + 1;

      g_assert_cmpstr (pal_action_to_string (action), ==, action_names[action]);
      g_assert_true (pal_action_from_string (action_names[action], &parsed));
      g_assert_cmpint (parsed, ==, action);
      g_assert_nonnull (pal_action_get_label (action));
      g_assert_null (pal_action_unsupported_reason (action_names[action]));
    }
  g_assert_false (pal_action_from_string ("accept", NULL));
  g_assert_false (pal_action_from_string ("Pass", NULL));
  g_assert_cmpstr (pal_action_get_label (PAL_ACTION_RATE_LIMIT), ==, "Rate limit");
}

static void
test_relations_and_verdicts (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (relation_names); i++)
    {
      PalRelation relation;

      g_assert_cmpstr (pal_relation_to_string (i), ==, relation_names[i]);
      g_assert_true (pal_relation_from_string (relation_names[i], &relation));
      g_assert_cmpuint (relation, ==, i);
    }
  for (guint i = 0; i < G_N_ELEMENTS (verdict_names); i++)
    {
      PalVerdict verdict;

      g_assert_cmpstr (pal_verdict_to_string (i), ==, verdict_names[i]);
      g_assert_true (pal_verdict_from_string (verdict_names[i], &verdict));
      g_assert_cmpuint (verdict, ==, i);
    }
  g_assert_false (pal_relation_from_string ("not", NULL));
  g_assert_false (pal_verdict_from_string ("accept", NULL));
}

static void
test_action_traits (void)
{
  static const struct
  {
    PalAction action;
    gboolean  terminal;
    gboolean  parameter;
  } traits[] = {
    { PAL_ACTION_GROUP, FALSE, FALSE },
    { PAL_ACTION_PASS, TRUE, FALSE },
    { PAL_ACTION_DROP, TRUE, FALSE },
    { PAL_ACTION_REJECT, TRUE, TRUE },
    { PAL_ACTION_EXIT_GROUP, FALSE, FALSE },
    { PAL_ACTION_TRIGGER, TRUE, TRUE },
    { PAL_ACTION_AUTHORIZE, TRUE, TRUE },
    { PAL_ACTION_KEEP_ADDRESS, FALSE, TRUE },
    { PAL_ACTION_LOG, FALSE, TRUE },
    { PAL_ACTION_ALERT, FALSE, TRUE },
    { PAL_ACTION_RATE_LIMIT, FALSE, TRUE },
    { PAL_ACTION_COUNT, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (traits); i++)
    {
      g_test_message ("%s", pal_action_to_string (traits[i].action));
      g_assert_cmpint (pal_action_is_terminal (traits[i].action), ==, traits[i].terminal);
      g_assert_cmpint (pal_action_takes_parameter (traits[i].action), ==, traits[i].parameter);
    }
}

typedef struct
{
  const char *name;
  const char *reason;   /* a part of the explanation */
} Unsupported;

static const Unsupported unsupported_properties[] = {
  { "data-content", "payload" },
  { "Data Content", "payload" },
  { "idle-seconds", "connection-state" },
  { "parent-match-count", "rate-limit" },
  { "include", "listed-in" },
  { "include", "connection-state" },
};

static const Unsupported unsupported_actions[] = {
  { "delay", "rate-limit" },
  { "route-to", "routing" },
  { "Route To", "routing" },
  { "email", "alert" },
  { "e-mail", "alert" },
  { "E-Mail", "alert" },
  { "reset-parent", "count" },
  { "dont-log", "log" },
  { "Don't Log", "log" },
  { "delete", "called drop here" },
  { "drop-connection", "reject with the parameter tcp-reset" },
  { "Drop Connection", "tcp-reset" },
};

static void
test_unsupported (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (unsupported_properties); i++)
    {
      const char *reason = pal_property_unsupported_reason (unsupported_properties[i].name);

      g_test_message ("property %s: %s", unsupported_properties[i].name, reason);
      g_assert_nonnull (reason);
      g_assert_nonnull (strstr (reason, unsupported_properties[i].reason));
      g_assert_true (g_str_has_suffix (reason, "."));
      g_assert_null (pal_action_unsupported_reason (unsupported_properties[i].name));
    }
  for (guint i = 0; i < G_N_ELEMENTS (unsupported_actions); i++)
    {
      const char *reason = pal_action_unsupported_reason (unsupported_actions[i].name);

      g_test_message ("action %s: %s", unsupported_actions[i].name, reason);
      g_assert_nonnull (reason);
      g_assert_nonnull (strstr (reason, unsupported_actions[i].reason));
      g_assert_true (g_str_has_suffix (reason, "."));
    }

  /* Names that are simply unknown have no explanation. */
  g_assert_null (pal_property_unsupported_reason ("colour"));
  g_assert_null (pal_property_unsupported_reason (""));
  g_assert_null (pal_action_unsupported_reason ("teleport"));
  g_assert_null (pal_action_unsupported_reason ("delay-delay-delay-delay-delay-delay-delay-delay-delay-delay"));
}

/* Every value of every generated type has a nick, so nothing prints NULL. */
static void
test_generated_types (void)
{
  const GType types[] = {
    PAL_TYPE_PROPERTY, PAL_TYPE_RELATION, PAL_TYPE_ACTION, PAL_TYPE_VERDICT,
    PAL_TYPE_LIST, PAL_TYPE_REJECT_KIND, PAL_TYPE_FRAGMENT, PAL_TYPE_IP_OPTION,
    PAL_TYPE_RATE_UNIT, PAL_TYPE_INTERFACE_KIND, PAL_TYPE_VALUE_ERROR,
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (types[i]);

      for (guint k = 0; k < klass->n_values; k++)
        {
          g_assert_cmpint (klass->values[k].value, ==, (int) k);
          g_assert_nonnull (klass->values[k].value_nick);
        }
    }
  g_assert_true (G_TYPE_IS_FLAGS (PAL_TYPE_DIRECTION));
  g_assert_true (G_TYPE_IS_FLAGS (PAL_TYPE_STATE));
  g_assert_true (G_TYPE_IS_FLAGS (PAL_TYPE_TCP_FLAG));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/enums/properties", test_properties);
  g_test_add_func ("/enums/actions", test_actions);
  g_test_add_func ("/enums/relations-and-verdicts", test_relations_and_verdicts);
  g_test_add_func ("/enums/action-traits", test_action_traits);
  g_test_add_func ("/enums/unsupported", test_unsupported);
  g_test_add_func ("/enums/generated-types", test_generated_types);

  return g_test_run ();
}
