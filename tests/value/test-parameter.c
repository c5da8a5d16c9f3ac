/* test-parameter.c — durations, rates and every action's parameter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pal-value-private.h"

typedef struct
{
  const char *text;
  guint64     seconds;
  const char *canonical;
} GoodDuration;

static const GoodDuration good_durations[] = {
  { "30s", 30, "30s" },
  { "15m", 15 * 60, "15m" },
  { "1h", 3600, "1h" },
  { "10d", 10 * 86400, "10d" },
  { "1h30m", 5400, "1h30m" },
  { "90m", 5400, "1h30m" },
  { "90", 90, "1m30s" },
  { " 45 ", 45, "45s" },
  { "1d2h3m4s", 86400 + 7200 + 180 + 4, "1d2h3m4s" },
  { "1D12H", 86400 + 12 * 3600, "1d12h" },
  { "0", 0, "0s" },
  { "0s", 0, "0s" },
  { "forever", PAL_DURATION_FOREVER, "forever" },
  { "Forever", PAL_DURATION_FOREVER, "forever" },
  { "3650d", 3650ull * 86400, "3650d" },
};

static const char *const bad_durations[] = {
  "", "   ", "s", "1x", "1.5h", "-1s", "1m1h", "1h1h", "h1", "1 h", "1h 30m", "never",
  "3651d", "99999999999999999999999", "18446744073709551615s", "1d99999999999999999999h",
  "10m5h", "1h5",
};

static void
test_good_durations (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (good_durations); i++)
    {
      const GoodDuration *good = &good_durations[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *printed = NULL;
      guint64 seconds = 12345;
      guint64 reparsed = 0;

      g_test_message ("duration %s", good->text);
      g_assert_true (pal_duration_parse (good->text, &seconds, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (seconds, ==, good->seconds);
      printed = pal_duration_print (seconds);
      g_assert_cmpstr (printed, ==, good->canonical);
      g_assert_true (pal_duration_parse (printed, &reparsed, NULL));
      g_assert_cmpuint (reparsed, ==, seconds);
    }
}

static void
test_bad_durations (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad_durations); i++)
    {
      g_autoptr(GError) error = NULL;
      guint64 seconds = 777;

      g_test_message ("duration \"%s\"", bad_durations[i]);
      g_assert_false (pal_duration_parse (bad_durations[i], &seconds, &error));
      g_assert_error (error, PAL_VALUE_ERROR, PAL_VALUE_ERROR_INVALID);
      g_assert_cmpuint (seconds, ==, 777);
    }
}

static void
test_too_long_durations (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (pal_duration_parse ("3651d", NULL, &error));
  g_assert_nonnull (strstr (error->message, "longer than ten years; write forever instead"));
  g_clear_error (&error);
  g_assert_false (pal_duration_parse ("99999999999999999999999", NULL, &error));
  g_assert_nonnull (strstr (error->message, "longer than ten years"));
}

typedef struct
{
  PalAction   action;
  const char *text;
  const char *canonical;
} GoodParameter;

static const GoodParameter good_parameters[] = {
  { PAL_ACTION_PASS, "", "" },
  { PAL_ACTION_DROP, "  ", "" },
  { PAL_ACTION_GROUP, "", "" },
  { PAL_ACTION_EXIT_GROUP, "", "" },
  { PAL_ACTION_COUNT, "", "" },
  { PAL_ACTION_REJECT, "", "" },
  { PAL_ACTION_REJECT, "tcp-reset", "tcp-reset" },
  { PAL_ACTION_REJECT, "Port-Unreachable", "port-unreachable" },
  { PAL_ACTION_REJECT, "host-unreachable", "host-unreachable" },
  { PAL_ACTION_REJECT, "admin-prohibited", "admin-prohibited" },
  { PAL_ACTION_REJECT, "no-route", "no-route" },
  { PAL_ACTION_TRIGGER, "", "" },
  { PAL_ACTION_TRIGGER, "15m", "15m" },
  { PAL_ACTION_TRIGGER, "forever", "forever" },
  { PAL_ACTION_AUTHORIZE, "1h30m", "1h30m" },
  { PAL_ACTION_AUTHORIZE, "", "" },
  { PAL_ACTION_KEEP_ADDRESS, "10d", "10d" },
  { PAL_ACTION_KEEP_ADDRESS, "600", "10m" },
  { PAL_ACTION_LOG, "", "" },
  { PAL_ACTION_LOG, "ssh probe: ", "ssh probe:" },
  { PAL_ACTION_LOG, "Zugriff auf Port 22 – geblockt", "Zugriff auf Port 22 – geblockt" },
  { PAL_ACTION_ALERT, "Someone's knocking at the door", "Someone's knocking at the door" },
  { PAL_ACTION_RATE_LIMIT, "10/second", "10/second" },
  { PAL_ACTION_RATE_LIMIT, "100/minute burst 20", "100/minute burst 20" },
  { PAL_ACTION_RATE_LIMIT, "5/hour", "5/hour" },
  { PAL_ACTION_RATE_LIMIT, "1000/day", "1000/day" },
  { PAL_ACTION_RATE_LIMIT, "  3 / Seconds   BURST  7 ", "3/second burst 7" },
};

typedef struct
{
  PalAction     action;
  const char   *text;
  PalValueError code;
  const char   *message;
} BadParameter;

static const BadParameter bad_parameters[] = {
  { PAL_ACTION_PASS, "x", PAL_VALUE_ERROR_INVALID, "The action pass takes no parameter; leave it empty." },
  { PAL_ACTION_DROP, "15m", PAL_VALUE_ERROR_INVALID, "drop takes no parameter" },
  { PAL_ACTION_GROUP, "x", PAL_VALUE_ERROR_INVALID, "group takes no parameter" },
  { PAL_ACTION_EXIT_GROUP, "x", PAL_VALUE_ERROR_INVALID, "exit-group takes no parameter" },
  { PAL_ACTION_COUNT, "x", PAL_VALUE_ERROR_INVALID, "count takes no parameter" },
  { PAL_ACTION_REJECT, "icmp", PAL_VALUE_ERROR_INVALID, "\"icmp\" is not a way to reject" },
  { PAL_ACTION_REJECT, "default", PAL_VALUE_ERROR_INVALID, "is not a way to reject" },
  { PAL_ACTION_TRIGGER, "0", PAL_VALUE_ERROR_INVALID, "leave it empty for the document's default" },
  { PAL_ACTION_TRIGGER, "0s", PAL_VALUE_ERROR_INVALID, "leave it empty for the document's default" },
  { PAL_ACTION_AUTHORIZE, "0m", PAL_VALUE_ERROR_INVALID, "leave it empty for the document's default" },
  { PAL_ACTION_KEEP_ADDRESS, "0", PAL_VALUE_ERROR_INVALID, "leave it empty for the document's default" },
  { PAL_ACTION_TRIGGER, "soon", PAL_VALUE_ERROR_INVALID, "\"soon\" is not a duration" },
  { PAL_ACTION_TRIGGER, "9999d", PAL_VALUE_ERROR_INVALID, "longer than ten years" },
  { PAL_ACTION_LOG, "say \"hi\"", PAL_VALUE_ERROR_INVALID, "may not contain \"" },
  { PAL_ACTION_LOG, "back\\slash", PAL_VALUE_ERROR_INVALID, "may not contain \\" },
  { PAL_ACTION_LOG, "line\nbreak", PAL_VALUE_ERROR_INVALID, "only printable characters, not U+000A" },
  { PAL_ACTION_ALERT, "tab\there", PAL_VALUE_ERROR_INVALID, "only printable" },
  { PAL_ACTION_ALERT, "bell\a", PAL_VALUE_ERROR_INVALID, "only printable" },
  { PAL_ACTION_ALERT, "rtl \xe2\x80\xae override", PAL_VALUE_ERROR_INVALID, "not U+202E" },
  { PAL_ACTION_LOG, "bad \xff utf-8", PAL_VALUE_ERROR_INVALID, "not valid UTF-8" },
  { PAL_ACTION_RATE_LIMIT, "", PAL_VALUE_ERROR_INVALID, "is not a rate" },
  { PAL_ACTION_RATE_LIMIT, "0/second", PAL_VALUE_ERROR_INVALID, "more than zero" },
  { PAL_ACTION_RATE_LIMIT, "10", PAL_VALUE_ERROR_INVALID, "\"10\" is not a rate" },
  { PAL_ACTION_RATE_LIMIT, "10/week", PAL_VALUE_ERROR_INVALID, "is not a rate" },
  { PAL_ACTION_RATE_LIMIT, "10/second burst", PAL_VALUE_ERROR_INVALID, "is not a rate" },
  { PAL_ACTION_RATE_LIMIT, "10/second burst 0", PAL_VALUE_ERROR_INVALID, "is not a rate" },
  { PAL_ACTION_RATE_LIMIT, "10/second burst 5 extra", PAL_VALUE_ERROR_INVALID, "is not a rate" },
  { PAL_ACTION_RATE_LIMIT, "10/secondly", PAL_VALUE_ERROR_INVALID, "is not a rate" },
  { PAL_ACTION_RATE_LIMIT, "-1/second", PAL_VALUE_ERROR_INVALID, "is not a rate" },
  { PAL_ACTION_RATE_LIMIT, "99999999999/second", PAL_VALUE_ERROR_INVALID, "is not a rate" },
  { PAL_ACTION_RATE_LIMIT, "10/second burst 99999999999", PAL_VALUE_ERROR_INVALID, "is not a rate" },
};

static void
test_good_parameter (gconstpointer data)
{
  const GoodParameter *good = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PalParameter) parameter = NULL;
  g_autoptr(PalParameter) reparsed = NULL;
  g_autoptr(PalParameter) copy = NULL;
  g_autofree char *printed = NULL;

  parameter = pal_parameter_parse (good->action, good->text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (parameter);
  g_assert_cmpint (parameter->action, ==, good->action);
  printed = pal_parameter_print (parameter);
  g_assert_cmpstr (printed, ==, good->canonical);

  reparsed = pal_parameter_parse (good->action, printed, &error);
  g_assert_no_error (error);
  g_assert_true (pal_parameter_equal (parameter, reparsed));

  copy = g_boxed_copy (PAL_TYPE_PARAMETER, parameter);
  g_assert_true (pal_parameter_equal (parameter, copy));
}

static void
test_bad_parameter (gconstpointer data)
{
  const BadParameter *bad = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PalParameter) parameter = NULL;

  parameter = pal_parameter_parse (bad->action, bad->text, &error);
  g_assert_null (parameter);
  g_assert_error (error, PAL_VALUE_ERROR, (int) bad->code);
  if (strstr (error->message, bad->message) == NULL)
    g_error ("%s \"%s\" gave \"%s\", expected \"%s\"", pal_action_to_string (bad->action),
             bad->text, error->message, bad->message);
}

static void
test_parameter_members (void)
{
  g_autoptr(PalParameter) reject = pal_parameter_parse (PAL_ACTION_REJECT, "", NULL);
  g_autoptr(PalParameter) reset = pal_parameter_parse (PAL_ACTION_REJECT, "tcp-reset", NULL);
  g_autoptr(PalParameter) trigger = pal_parameter_parse (PAL_ACTION_TRIGGER, "", NULL);
  g_autoptr(PalParameter) ban = pal_parameter_parse (PAL_ACTION_TRIGGER, "1h30m", NULL);
  g_autoptr(PalParameter) rate = pal_parameter_parse (PAL_ACTION_RATE_LIMIT, "100/minute burst 20", NULL);
  g_autoptr(PalParameter) plain_rate = pal_parameter_parse (PAL_ACTION_RATE_LIMIT, "5/hour", NULL);
  g_autoptr(PalParameter) log = pal_parameter_parse (PAL_ACTION_LOG, "probe", NULL);

  g_assert_cmpint (reject->reject, ==, PAL_REJECT_DEFAULT);
  g_assert_cmpint (reset->reject, ==, PAL_REJECT_TCP_RESET);
  g_assert_cmpuint (trigger->duration, ==, 0);
  g_assert_cmpuint (ban->duration, ==, 5400);
  g_assert_cmpuint (rate->rate, ==, 100);
  g_assert_cmpint (rate->rate_unit, ==, PAL_RATE_PER_MINUTE);
  g_assert_cmpuint (rate->burst, ==, 20);
  g_assert_cmpuint (plain_rate->rate, ==, 5);
  g_assert_cmpint (plain_rate->rate_unit, ==, PAL_RATE_PER_HOUR);
  g_assert_cmpuint (plain_rate->burst, ==, 0);
  g_assert_cmpstr (log->text, ==, "probe");
}

static void
test_parameter_limits (void)
{
  g_autofree char *max = g_strnfill (PAL_PARAMETER_MAX_LENGTH, 'x');
  g_autofree char *over = g_strnfill (PAL_PARAMETER_MAX_LENGTH + 1, 'x');
  g_autofree char *huge = g_strnfill (PAL_VALUE_MAX_LENGTH + 1, 'x');
  g_autoptr(GError) error = NULL;
  g_autoptr(PalParameter) parameter = NULL;

  parameter = pal_parameter_parse (PAL_ACTION_LOG, max, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parameter->text, ==, max);

  for (PalAction action = PAL_ACTION_GROUP; action <= PAL_ACTION_COUNT; action++)
    {
      g_autoptr(PalParameter) refused = pal_parameter_parse (action, huge, &error);

      g_assert_null (refused);
      g_assert_error (error, PAL_VALUE_ERROR, PAL_VALUE_ERROR_TOO_LONG);
      g_clear_error (&error);
    }

  g_assert_null (pal_parameter_parse (PAL_ACTION_ALERT, over, &error));
  g_assert_error (error, PAL_VALUE_ERROR, PAL_VALUE_ERROR_TOO_LONG);
}

/* Every action with a parameter has good and bad examples above, and
 * every action without one refuses text. */
static void
test_parameter_coverage (void)
{
  for (PalAction action = PAL_ACTION_GROUP; action <= PAL_ACTION_COUNT; action++)
    {
      guint n_good = 0, n_bad = 0;

      for (gsize i = 0; i < G_N_ELEMENTS (good_parameters); i++)
        n_good += good_parameters[i].action == action;
      for (gsize i = 0; i < G_N_ELEMENTS (bad_parameters); i++)
        n_bad += bad_parameters[i].action == action;
      g_test_message ("%s: %u good, %u bad", pal_action_to_string (action), n_good, n_bad);
      g_assert_cmpuint (n_good, >=, 1);
      g_assert_cmpuint (n_bad, >=, 1);
      if (pal_action_takes_parameter (action))
        g_assert_cmpuint (n_good + n_bad, >=, 3);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/duration/good", test_good_durations);
  g_test_add_func ("/duration/bad", test_bad_durations);
  g_test_add_func ("/duration/too-long", test_too_long_durations);
  for (gsize i = 0; i < G_N_ELEMENTS (good_parameters); i++)
    {
      g_autofree char *path = g_strdup_printf ("/parameter/good/%s/%" G_GSIZE_FORMAT,
                                               pal_action_to_string (good_parameters[i].action), i);

      g_test_add_data_func (path, &good_parameters[i], test_good_parameter);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad_parameters); i++)
    {
      g_autofree char *path = g_strdup_printf ("/parameter/bad/%s/%" G_GSIZE_FORMAT,
                                               pal_action_to_string (bad_parameters[i].action), i);

      g_test_add_data_func (path, &bad_parameters[i], test_bad_parameter);
    }
  g_test_add_func ("/parameter/members", test_parameter_members);
  g_test_add_func ("/parameter/limits", test_parameter_limits);
  g_test_add_func ("/parameter/coverage", test_parameter_coverage);

  return g_test_run ();
}
