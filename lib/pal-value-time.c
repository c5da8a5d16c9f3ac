/* pal-value-time.c — time of day, day of week and date-and-time spans, all
 * in local time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pal-value-private.h"

#define MINUTES_PER_DAY (24 * 60)

/* Reads exactly n digits at p. */
static gboolean
read_digits (const char *p,
             int         n,
             int        *number)
{
  *number = 0;
  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      *number = *number * 10 + (p[i] - '0');
    }
  return TRUE;
}

/* "8:00", "08:00" → minutes after midnight; -1 when it is not a time. */
static int
parse_clock (const char *text)
{
  gsize length = strlen (text);
  int hour_digits = (int) length - 3;
  int hour, minute;

  if ((hour_digits != 1 && hour_digits != 2) || text[hour_digits] != ':')
    return -1;
  if (!read_digits (text, hour_digits, &hour)
      || !read_digits (text + hour_digits + 1, 2, &minute))
    return -1;
  if (hour > 23 || minute > 59)
    return -1;
  return hour * 60 + minute;
}

static gboolean
parse_time_of_day_item (PalValue    *value,
                        const char  *item,
                        gpointer     user_data,
                        GError     **error)
{
  const char *dash = strchr (item, '-');
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  if (dash == NULL)
    {
      pal_value_set_invalid (error,
                             _("\"%s\" is not a span of time; write it like 08:00-17:30."),
                             item);
      return FALSE;
    }
  first = g_strstrip (g_strndup (item, dash - item));
  last = g_strstrip (g_strdup (dash + 1));
  value->first = parse_clock (first);
  value->last = parse_clock (last);
  if (value->first < 0 || value->last < 0)
    {
      const char *wrong = value->first < 0 ? first : last;

      if (g_str_equal (wrong, "24:00"))
        pal_value_set_invalid (error, _("Write midnight as 00:00, not 24:00."));
      else
        pal_value_set_invalid (error,
                               _("\"%s\" is not a time of day; write it like 08:00 or "
                                 "17:30."), wrong);
      return FALSE;
    }
  if (value->first == value->last)
    {
      pal_value_set_invalid (error,
                             _("\"%s\" starts and ends at the same minute; for the whole "
                               "day leave the time out."), item);
      return FALSE;
    }
  return TRUE;
}

gboolean
pal_value_parse_time_of_day (PalValue    *value,
                             const char  *text,
                             GError     **error)
{
  return pal_value_parse_single (value, text, PAL_VALUE_MAX_ITEM_LENGTH,
                                 parse_time_of_day_item, NULL, error);
}

void
pal_value_print_time_of_day (const PalValue *value,
                             GString        *out)
{
  g_string_append_printf (out, "%02d:%02d-%02d:%02d",
                          (int) (value->first / 60), (int) (value->first % 60),
                          (int) (value->last / 60), (int) (value->last % 60));
}

/* Days of the week: bit 0 is Sunday, as in struct tm and nft's "day". */

static const char *const day_names[] = {
  "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
};

static int
find_day (const char *text)
{
  for (int i = 0; i < 7; i++)
    if (g_ascii_strcasecmp (text, day_names[i]) == 0
        || (strlen (text) == 3 && g_ascii_strncasecmp (text, day_names[i], 3) == 0))
      return i;
  return -1;
}

static gboolean
add_days (PalValue    *value,
          const char  *item,
          int          first,
          int          last,
          GError     **error)
{
  guint32 days = 0;

  /* "fri-mon" wraps past the end of the week. */
  for (int day = first;; day = (day + 1) % 7)
    {
      days |= 1u << day;
      if (day == last)
        break;
    }
  if ((value->flags & days) != 0)
    {
      pal_value_set_invalid (error, _("\"%s\" names a day that is already in the list."),
                             item);
      return FALSE;
    }
  value->flags |= days;
  return TRUE;
}

static gboolean
parse_day_of_week_item (PalValue    *value,
                        const char  *item,
                        gpointer     user_data,
                        GError     **error)
{
  const char *dash = strchr (item, '-');
  g_autofree char *first = g_strstrip (dash != NULL ? g_strndup (item, dash - item)
                                                    : g_strdup (item));
  g_autofree char *last = g_strstrip (g_strdup (dash != NULL ? dash + 1 : item));
  int first_day = find_day (first);
  int last_day = find_day (last);

  if (first_day < 0 || last_day < 0)
    {
      pal_value_set_invalid (error,
                             _("\"%s\" is not a day of the week; write mon, tue, wed, thu, "
                               "fri, sat or sun, or the full name."),
                             first_day < 0 ? first : last);
      return FALSE;
    }
  return add_days (value, item, first_day, last_day, error);
}

gboolean
pal_value_parse_day_of_week (PalValue    *value,
                             const char  *text,
                             GError     **error)
{
  return pal_value_parse_list (value, text, parse_day_of_week_item, NULL, error);
}

static void
append_day (GString *out,
            int      day)
{
  g_string_append_len (out, day_names[day], 3);
}

/* Monday first, runs of three days or more as "mon-fri". */
void
pal_value_print_day_of_week (const PalValue *value,
                             GString        *out)
{
  static const int week[] = { 1, 2, 3, 4, 5, 6, 0 };
  int i = 0;

  while (i < 7)
    {
      int j = i;

      if ((value->flags & (1u << week[i])) == 0)
        {
          i++;
          continue;
        }
      while (j + 1 < 7 && (value->flags & (1u << week[j + 1])) != 0)
        j++;
      for (int k = i; k <= j; k++)
        {
          if (k == i || j - i < 2)
            {
              if (out->len > 0)
                g_string_append (out, ", ");
              append_day (out, week[k]);
            }
          else if (k == j)
            {
              g_string_append_c (out, '-');
              append_day (out, week[k]);
            }
        }
      i = j + 1;
    }
}

/* Date and time spans */

/* "2026-01-01" or "2026-01-01T18:00" as local time; for a date alone at
 * the end of the span, the last second of that day. */
static gboolean
parse_moment (const char *text,
              gboolean    end,
              gint64     *unix_time)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(GDateTime) moment = NULL;
  gsize length = strlen (text);
  int year, month, day, hour = 0, minute = 0;

  if (length != 10 && length != 16)
    return FALSE;
  if (!read_digits (text, 4, &year) || text[4] != '-'
      || !read_digits (text + 5, 2, &month) || text[7] != '-'
      || !read_digits (text + 8, 2, &day))
    return FALSE;
  if (length == 16
      && (g_ascii_toupper (text[10]) != 'T' || !read_digits (text + 11, 2, &hour)
          || text[13] != ':' || !read_digits (text + 14, 2, &minute)))
    return FALSE;
  if (year < 1970 || !g_date_valid_dmy (day, month, year) || hour > 23 || minute > 59)
    return FALSE;

  moment = g_date_time_new (zone, year, month, day, hour, minute, 0);
  if (moment == NULL)
    return FALSE;
  if (end && length == 10)
    {
      g_autoptr(GDateTime) next_day = g_date_time_add_days (moment, 1);

      *unix_time = g_date_time_to_unix (next_day) - 1;
    }
  else
    *unix_time = g_date_time_to_unix (moment);
  return TRUE;
}

static gboolean
parse_date_time_item (PalValue    *value,
                      const char  *item,
                      gpointer     user_data,
                      GError     **error)
{
  g_auto(GStrv) words = g_strsplit_set (item, " \t", -1);
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_ptr_array_add (parts, words[i]);

  if (parts->len != 3 || g_ascii_strcasecmp (g_ptr_array_index (parts, 1), "to") != 0)
    {
      pal_value_set_invalid (error,
                             _("\"%s\" is not a span of dates; write it like 2026-01-01 to "
                               "2026-12-31T18:00."), item);
      return FALSE;
    }
  for (guint i = 0; i < 3; i += 2)
    {
      const char *moment = g_ptr_array_index (parts, i);

      if (!parse_moment (moment, i == 2, i == 0 ? &value->first : &value->last))
        {
          pal_value_set_invalid (error,
                                 _("\"%s\" is not a date; write it like 2026-12-31 or "
                                   "2026-12-31T18:00 (local time)."), moment);
          return FALSE;
        }
    }
  if (value->first >= value->last)
    {
      pal_value_set_invalid (error, _("\"%s\" ends before it starts."), item);
      return FALSE;
    }
  return TRUE;
}

gboolean
pal_value_parse_date_time (PalValue    *value,
                           const char  *text,
                           GError     **error)
{
  return pal_value_parse_single (value, text, PAL_VALUE_MAX_ITEM_LENGTH,
                                 parse_date_time_item, NULL, error);
}

static void
append_moment (GString *out,
               gint64   unix_time,
               gboolean end)
{
  g_autoptr(GDateTime) moment = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) after = g_date_time_new_from_unix_local (unix_time + 1);
  g_autofree char *text = NULL;
  GDateTime *midnight = end ? after : moment;

  if (moment == NULL || after == NULL)
    return;
  if (g_date_time_get_hour (midnight) == 0 && g_date_time_get_minute (midnight) == 0
      && g_date_time_get_second (midnight) == 0)
    text = g_date_time_format (moment, "%Y-%m-%d");
  else
    text = g_date_time_format (moment, "%Y-%m-%dT%H:%M");
  g_string_append (out, text);
}

void
pal_value_print_date_time (const PalValue *value,
                           GString        *out)
{
  append_moment (out, value->first, FALSE);
  g_string_append (out, " to ");
  append_moment (out, value->last, TRUE);
}
