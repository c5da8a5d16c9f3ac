/* pal-parameter.c — action parameters: reject kinds, durations, log and
 * alert texts, rates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pal-enum-types.h"
#include "pal-value-private.h"

G_DEFINE_BOXED_TYPE (PalParameter, pal_parameter, pal_parameter_copy, pal_parameter_free)

/* No parameter is longer than a log text; this only keeps a hostile one
 * from being copied before it is refused. */
#define MAX_PARAMETER_TEXT 4096

static const char *const rate_units[] = {
  [PAL_RATE_PER_SECOND] = "second",
  [PAL_RATE_PER_MINUTE] = "minute",
  [PAL_RATE_PER_HOUR] = "hour",
  [PAL_RATE_PER_DAY] = "day",
};

static const char *const reject_names[] = {
  [PAL_REJECT_DEFAULT] = "",
  [PAL_REJECT_TCP_RESET] = "tcp-reset",
  [PAL_REJECT_PORT_UNREACHABLE] = "port-unreachable",
  [PAL_REJECT_HOST_UNREACHABLE] = "host-unreachable",
  [PAL_REJECT_ADMIN_PROHIBITED] = "admin-prohibited",
  [PAL_REJECT_NO_ROUTE] = "no-route",
};

static gboolean
parse_none (PalParameter  *parameter,
            const char    *text,
            GError       **error)
{
  if (*text == '\0')
    return TRUE;

  pal_value_set_invalid (error, _("The action %s takes no parameter; leave it empty."),
                         pal_action_to_string (parameter->action));
  return FALSE;
}

static gboolean
parse_reject (PalParameter  *parameter,
              const char    *text,
              GError       **error)
{
  g_autofree char *quoted = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (reject_names); i++)
    if (g_ascii_strcasecmp (text, reject_names[i]) == 0)
      {
        parameter->reject = i;
        return TRUE;
      }

  quoted = pal_value_quote (text);
  pal_value_set_invalid (error,
                         _("%s is not a way to reject; leave it empty or write tcp-reset, "
                           "port-unreachable, host-unreachable, admin-prohibited or "
                           "no-route."), quoted);
  return FALSE;
}

static gboolean
parse_duration (PalParameter  *parameter,
                const char    *text,
                GError       **error)
{
  if (*text == '\0')
    {
      parameter->duration = 0;
      return TRUE;
    }
  if (!pal_duration_parse (text, &parameter->duration, error))
    return FALSE;
  if (parameter->duration == 0)
    {
      pal_value_set_invalid (error,
                             _("A duration of zero would end at once; leave it empty for "
                               "the document's default."));
      return FALSE;
    }
  return TRUE;
}

/* The text goes into an NFLOG prefix and, for alerts, a notification; it
 * must also survive being shown in an nft script (`nft list ruleset`), so
 * no control characters and nothing that ends or escapes a quoted string. */
static gboolean
parse_text (PalParameter  *parameter,
            const char    *text,
            GError       **error)
{
  if (strlen (text) > PAL_PARAMETER_MAX_LENGTH)
    {
      g_set_error (error, PAL_VALUE_ERROR, PAL_VALUE_ERROR_TOO_LONG,
                   _("The text is longer than %d bytes."), PAL_PARAMETER_MAX_LENGTH);
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      pal_value_set_invalid (error, _("The text is not valid UTF-8."));
      return FALSE;
    }
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '"' || c == '\\')
        {
          pal_value_set_invalid (error, _("The text may not contain %s."),
                                 c == '"' ? "\"" : "\\");
          return FALSE;
        }
      if (!g_unichar_isprint (c))
        {
          pal_value_set_invalid (error,
                                 _("The text may contain only printable characters, "
                                   "not U+%04X."), c);
          return FALSE;
        }
    }
  parameter->text = g_strdup (text);
  return TRUE;
}

static const char *
skip_spaces (const char *p)
{
  while (g_ascii_isspace (*p))
    p++;
  return p;
}

/* A decimal number at *p, advancing *p past it. */
static gboolean
read_number (const char **p,
             guint64      max,
             guint64     *number)
{
  const char *start = *p;
  g_autofree char *digits = NULL;

  while (g_ascii_isdigit (**p))
    (*p)++;
  if (*p == start || *p - start > 20)
    return FALSE;
  digits = g_strndup (start, *p - start);
  return pal_value_parse_uint (digits, max, number);
}

/* "second", "seconds" and the other units, at *p. */
static gboolean
read_rate_unit (const char  **p,
                PalRateUnit  *unit)
{
  for (guint i = 0; i < G_N_ELEMENTS (rate_units); i++)
    {
      gsize len = strlen (rate_units[i]);

      if (g_ascii_strncasecmp (*p, rate_units[i], len) != 0)
        continue;
      *p += len;
      if (g_ascii_tolower (**p) == 's')
        (*p)++;
      *unit = i;
      return TRUE;
    }
  return FALSE;
}

static gboolean
read_burst (const char **p,
            guint32     *burst)
{
  guint64 number;

  if (g_ascii_strncasecmp (*p, "burst", 5) != 0 || !g_ascii_isspace ((*p)[5]))
    return FALSE;
  *p = skip_spaces (*p + 5);
  if (!read_number (p, G_MAXUINT32, &number) || number == 0)
    return FALSE;
  *burst = number;
  return TRUE;
}

static gboolean
parse_rate (PalParameter  *parameter,
            const char    *text,
            GError       **error)
{
  g_autofree char *quoted = NULL;
  const char *p = text;

  if (!read_number (&p, G_MAXUINT32, &parameter->rate) || parameter->rate == 0)
    goto invalid;
  p = skip_spaces (p);
  if (*p++ != '/')
    goto invalid;
  p = skip_spaces (p);
  if (!read_rate_unit (&p, &parameter->rate_unit))
    goto invalid;
  if (*p != '\0' && !g_ascii_isspace (*p))
    goto invalid;
  p = skip_spaces (p);
  if (*p != '\0' && !read_burst (&p, &parameter->burst))
    goto invalid;
  if (*skip_spaces (p) != '\0')
    goto invalid;
  return TRUE;

invalid:
  quoted = pal_value_quote (text);
  pal_value_set_invalid (error,
                         _("%s is not a rate; write it like 10/second, 100/minute burst 20, "
                           "5/hour or 1000/day (more than zero packets)."), quoted);
  return FALSE;
}

PalParameter *
pal_parameter_parse (PalAction    action,
                     const char  *text,
                     GError     **error)
{
  g_autoptr(PalParameter) parameter = NULL;
  g_autofree char *stripped = NULL;
  gboolean ok;

  g_return_val_if_fail (pal_action_to_string (action) != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strnlen (text, MAX_PARAMETER_TEXT + 1) > MAX_PARAMETER_TEXT)
    {
      g_set_error (error, PAL_VALUE_ERROR, PAL_VALUE_ERROR_TOO_LONG,
                   _("The parameter is longer than %d bytes."), MAX_PARAMETER_TEXT);
      return NULL;
    }
  /* Every action's messages quote the text, and must stay valid UTF-8. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      pal_value_set_invalid (error, _("The parameter is not valid UTF-8."));
      return NULL;
    }

  parameter = g_new0 (PalParameter, 1);
  parameter->action = action;
  stripped = g_strstrip (g_strdup (text));

  switch (action)
    {
    case PAL_ACTION_REJECT:
      ok = parse_reject (parameter, stripped, error);
      break;
    case PAL_ACTION_TRIGGER:
    case PAL_ACTION_AUTHORIZE:
    case PAL_ACTION_KEEP_ADDRESS:
      ok = parse_duration (parameter, stripped, error);
      break;
    case PAL_ACTION_LOG:
    case PAL_ACTION_ALERT:
      ok = parse_text (parameter, stripped, error);
      break;
    case PAL_ACTION_RATE_LIMIT:
      ok = parse_rate (parameter, stripped, error);
      break;
    case PAL_ACTION_GROUP:
    case PAL_ACTION_PASS:
    case PAL_ACTION_DROP:
    case PAL_ACTION_EXIT_GROUP:
    case PAL_ACTION_COUNT:
    default:
      ok = parse_none (parameter, stripped, error);
      break;
    }

  return ok ? g_steal_pointer (&parameter) : NULL;
}

PalParameter *
pal_parameter_copy (const PalParameter *parameter)
{
  PalParameter *copy;

  g_return_val_if_fail (parameter != NULL, NULL);

  copy = g_memdup2 (parameter, sizeof *parameter);
  copy->text = g_strdup (parameter->text);
  return copy;
}

void
pal_parameter_free (PalParameter *parameter)
{
  if (parameter == NULL)
    return;

  g_free (parameter->text);
  g_free (parameter);
}

static char *
print_rate (const PalParameter *parameter)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%" G_GUINT64_FORMAT "/%s",
                          parameter->rate, rate_units[parameter->rate_unit]);
  if (parameter->burst != 0)
    g_string_append_printf (out, " burst %u", parameter->burst);
  return g_string_free (out, FALSE);
}

char *
pal_parameter_print (const PalParameter *parameter)
{
  g_return_val_if_fail (parameter != NULL, NULL);

  switch (parameter->action)
    {
    case PAL_ACTION_REJECT:
      g_return_val_if_fail (parameter->reject < G_N_ELEMENTS (reject_names), NULL);
      return g_strdup (reject_names[parameter->reject]);
    case PAL_ACTION_TRIGGER:
    case PAL_ACTION_AUTHORIZE:
    case PAL_ACTION_KEEP_ADDRESS:
      return parameter->duration == 0 ? g_strdup ("") : pal_duration_print (parameter->duration);
    case PAL_ACTION_LOG:
    case PAL_ACTION_ALERT:
      return g_strdup (parameter->text != NULL ? parameter->text : "");
    case PAL_ACTION_RATE_LIMIT:
      g_return_val_if_fail (parameter->rate_unit < G_N_ELEMENTS (rate_units), NULL);
      return print_rate (parameter);
    default:
      return g_strdup ("");
    }
}

gboolean
pal_parameter_equal (const PalParameter *a,
                     const PalParameter *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->action == b->action
         && a->reject == b->reject
         && a->duration == b->duration
         && g_strcmp0 (a->text, b->text) == 0
         && a->rate == b->rate
         && a->rate_unit == b->rate_unit
         && a->burst == b->burst;
}
