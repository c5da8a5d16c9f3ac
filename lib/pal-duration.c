/* pal-duration.c — durations: "30s", "15m", "1h30m", "10d", "forever".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pal-value-private.h"

/* Longer than this, a timeout is no longer a timeout: the kernel keeps set
 * timeouts in milliseconds and "forever" says what is meant. */
#define MAX_DURATION ((guint64) 3650 * 24 * 60 * 60)

typedef struct
{
  char    unit;
  guint64 seconds;
} Unit;

/* Largest first: a duration names its units in this order. */
static const Unit units[] = {
  { 'd', 24 * 60 * 60 },
  { 'h', 60 * 60 },
  { 'm', 60 },
  { 's', 1 },
};

static int
find_unit (char c)
{
  c = g_ascii_tolower (c);
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (units[i].unit == c)
      return (int) i;
  return -1;
}

static gboolean
set_duration_error (const char  *text,
                    GError     **error)
{
  g_autofree char *quoted = pal_value_quote (text);

  pal_value_set_invalid (error,
                         _("%s is not a duration; write it like 30s, 15m, 1h30m, 10d "
                           "or forever."), quoted);
  return FALSE;
}

static guint64
saturating_add (guint64 a,
                guint64 b)
{
  return a > G_MAXUINT64 - b ? G_MAXUINT64 : a + b;
}

static guint64
saturating_multiply (guint64 a,
                     guint64 b)
{
  return b != 0 && a > G_MAXUINT64 / b ? G_MAXUINT64 : a * b;
}

/* Reads "90", "1h30m": numbers each followed by a unit (the last may have
 * none and is then seconds), the units in decreasing size and each at most
 * once. Saturates instead of overflowing, so the caller can say the
 * duration is too long rather than malformed. */
static gboolean
parse_parts (const char *text,
             guint64    *seconds)
{
  guint64 total = 0;
  int previous = -1;
  const char *p = text;

  while (*p != '\0')
    {
      guint64 number = 0;
      const char *digits = p;
      int unit;

      for (; g_ascii_isdigit (*p); p++)
        number = saturating_add (saturating_multiply (number, 10), (guint64) (*p - '0'));
      if (p == digits)
        return FALSE;
      if (*p == '\0' && previous < 0)
        unit = G_N_ELEMENTS (units) - 1;   /* a bare number is seconds */
      else if ((unit = find_unit (*p++)) < 0)
        return FALSE;
      if (unit <= previous)
        return FALSE;
      total = saturating_add (total, saturating_multiply (number, units[unit].seconds));
      previous = unit;
    }
  *seconds = total;
  return TRUE;
}

gboolean
pal_duration_parse (const char  *text,
                    guint64     *seconds,
                    GError     **error)
{
  g_autofree char *stripped = NULL;
  guint64 result = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The messages below quote the text, and must stay valid UTF-8. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      pal_value_set_invalid (error, _("The duration is not valid UTF-8."));
      return FALSE;
    }
  if (strnlen (text, 64) >= 64)
    return set_duration_error (text, error);

  stripped = g_strstrip (g_strdup (text));
  if (*stripped == '\0')
    {
      pal_value_set_invalid (error, _("The duration is empty."));
      return FALSE;
    }
  if (g_ascii_strcasecmp (stripped, "forever") == 0)
    result = PAL_DURATION_FOREVER;
  else if (!parse_parts (stripped, &result))
    return set_duration_error (stripped, error);
  else if (result > MAX_DURATION)
    {
      g_autofree char *quoted = pal_value_quote (stripped);

      pal_value_set_invalid (error,
                             _("%s is longer than ten years; write forever instead."),
                             quoted);
      return FALSE;
    }

  if (seconds != NULL)
    *seconds = result;
  return TRUE;
}

char *
pal_duration_print (guint64 seconds)
{
  GString *out;

  if (seconds == PAL_DURATION_FOREVER)
    return g_strdup ("forever");
  if (seconds == 0)
    return g_strdup ("0s");

  out = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      guint64 count = seconds / units[i].seconds;

      if (count == 0)
        continue;
      g_string_append_printf (out, "%" G_GUINT64_FORMAT "%c", count, units[i].unit);
      seconds -= count * units[i].seconds;
    }
  return g_string_free (out, FALSE);
}
