/* pal-value.c — the PalValue boxed type, list splitting and the dispatch to
 * one parser and printer per property.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pal-value-private.h"

G_DEFINE_QUARK (pal-value-error-quark, pal_value_error)

G_DEFINE_BOXED_TYPE (PalValue, pal_value, pal_value_copy, pal_value_free)

typedef gboolean (*ParseFunc) (PalValue *value, const char *text, GError **error);
typedef void     (*PrintFunc) (const PalValue *value, GString *out);

typedef struct
{
  ParseFunc   parse;
  PrintFunc   print;
  const char *hint;
} Syntax;

static gboolean
parse_any (PalValue    *value,
           const char  *text,
           GError     **error)
{
  if (*text != '\0')
    {
      g_set_error (error, PAL_VALUE_ERROR, PAL_VALUE_ERROR_INVALID,
                   _("The property any matches every packet and takes no value; "
                     "leave the value empty."));
      return FALSE;
    }
  return TRUE;
}

static void
print_any (const PalValue *value,
           GString        *out)
{
}

#define SYNTAX(name) pal_value_parse_##name, pal_value_print_##name

/* Indexed by PalProperty. The hints are examples, so they are not translated. */
static const Syntax syntaxes[PAL_N_PROPERTIES] = {
  [PAL_PROPERTY_ANY] = { parse_any, print_any, "" },
  [PAL_PROPERTY_DIRECTION] = { SYNTAX (direction), "in, out" },
  [PAL_PROPERTY_INTERFACE] = { SYNTAX (interface), "eth0, wlan*, external" },
  [PAL_PROPERTY_IP_VERSION] = { SYNTAX (ip_version), "4" },
  [PAL_PROPERTY_SOURCE_ADDRESS] = { SYNTAX (address), "10.0.0.0/8, 192.168.1.1-192.168.1.9, ::1" },
  [PAL_PROPERTY_DESTINATION_ADDRESS] = { SYNTAX (address), "10.0.0.0/8, 192.168.1.1-192.168.1.9, ::1" },
  [PAL_PROPERTY_SOURCE_MAC] = { SYNTAX (mac), "00:11:22:aa:bb:cc" },
  [PAL_PROPERTY_DESTINATION_MAC] = { SYNTAX (mac), "00:11:22:aa:bb:cc" },
  [PAL_PROPERTY_PROTOCOL] = { SYNTAX (protocol), "tcp, udp" },
  [PAL_PROPERTY_SOURCE_PORT] = { SYNTAX (port), "1024-65535" },
  [PAL_PROPERTY_DESTINATION_PORT] = { SYNTAX (port), "22, http, 8000-8080" },
  [PAL_PROPERTY_ICMP_TYPE] = { SYNTAX (icmp_type), "echo-request, destination-unreachable/port-unreachable" },
  [PAL_PROPERTY_ICMPV6_TYPE] = { SYNTAX (icmpv6_type), "echo-request, nd-neighbor-solicit" },
  [PAL_PROPERTY_TCP_FLAGS] = { SYNTAX (tcp_flags), "syn, -ack" },
  [PAL_PROPERTY_TCP_OPTION] = { SYNTAX (tcp_option), "mss, timestamp" },
  [PAL_PROPERTY_IP_OPTION] = { SYNTAX (ip_option), "lsrr, ssrr" },
  [PAL_PROPERTY_FRAGMENT] = { SYNTAX (fragment), "tiny" },
  [PAL_PROPERTY_CONNECTION_STATE] = { SYNTAX (connection_state), "established, related" },
  [PAL_PROPERTY_LISTED_IN] = { SYNTAX (listed_in), "triggered" },
  [PAL_PROPERTY_SERVICE] = { SYNTAX (service), "sshd.service" },
  [PAL_PROPERTY_USER] = { SYNTAX (user), "root, 1000-1999" },
  [PAL_PROPERTY_TIME_OF_DAY] = { SYNTAX (time_of_day), "08:00-17:30" },
  [PAL_PROPERTY_DAY_OF_WEEK] = { SYNTAX (day_of_week), "mon-fri" },
  [PAL_PROPERTY_DATE_TIME] = { SYNTAX (date_time), "2026-01-01 to 2026-12-31T18:00" },
  [PAL_PROPERTY_PACKET_LENGTH] = { SYNTAX (packet_length), "0-128" },
};

PalValue *
pal_value_parse (PalProperty   property,
                 const char   *text,
                 GError      **error)
{
  g_autoptr(PalValue) value = NULL;
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (property < PAL_N_PROPERTIES, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Before anything that copies or scans the whole text. */
  if (strnlen (text, PAL_VALUE_MAX_LENGTH + 1) > PAL_VALUE_MAX_LENGTH)
    {
      g_set_error (error, PAL_VALUE_ERROR, PAL_VALUE_ERROR_TOO_LONG,
                   _("The value is longer than %d bytes."), PAL_VALUE_MAX_LENGTH);
      return NULL;
    }

  /* Messages quote parts of the text, and must stay valid UTF-8. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      pal_value_set_invalid (error, _("The value is not valid UTF-8."));
      return NULL;
    }

  value = g_new0 (PalValue, 1);
  value->property = property;
  stripped = g_strstrip (g_strdup (text));
  if (!syntaxes[property].parse (value, stripped, error))
    return NULL;
  return g_steal_pointer (&value);
}

static GArray *
copy_array (GArray *array)
{
  GArray *copy;
  guint element_size;

  if (array == NULL)
    return NULL;

  element_size = g_array_get_element_size (array);
  copy = g_array_sized_new (FALSE, FALSE, element_size, array->len);
  g_array_append_vals (copy, array->data, array->len);
  return copy;
}

static GPtrArray *
copy_names (GPtrArray *names)
{
  GPtrArray *copy;

  if (names == NULL)
    return NULL;

  copy = g_ptr_array_new_full (names->len, g_free);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (names, i)));
  return copy;
}

PalValue *
pal_value_copy (const PalValue *value)
{
  PalValue *copy;

  g_return_val_if_fail (value != NULL, NULL);

  copy = g_memdup2 (value, sizeof *value);
  copy->ranges = copy_array (value->ranges);
  copy->addresses = copy_array (value->addresses);
  copy->macs = copy_array (value->macs);
  copy->icmp = copy_array (value->icmp);
  copy->interfaces = copy_array (value->interfaces);
  copy->names = copy_names (value->names);
  return copy;
}

void
pal_value_free (PalValue *value)
{
  if (value == NULL)
    return;

  g_clear_pointer (&value->ranges, g_array_unref);
  g_clear_pointer (&value->addresses, g_array_unref);
  g_clear_pointer (&value->macs, g_array_unref);
  g_clear_pointer (&value->icmp, g_array_unref);
  g_clear_pointer (&value->interfaces, g_array_unref);
  g_clear_pointer (&value->names, g_ptr_array_unref);
  g_free (value);
}

char *
pal_value_print (const PalValue *value)
{
  GString *out;

  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (value->property < PAL_N_PROPERTIES, NULL);

  out = g_string_new (NULL);
  syntaxes[value->property].print (value, out);
  return g_string_free (out, FALSE);
}

const char *
pal_value_get_hint (PalProperty property)
{
  g_return_val_if_fail (property < PAL_N_PROPERTIES, NULL);

  return syntaxes[property].hint;
}

static gboolean
arrays_equal (GArray *a,
              GArray *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->len != b->len)
    return FALSE;
  if (g_array_get_element_size (a) != g_array_get_element_size (b))
    return FALSE;
  return memcmp (a->data, b->data, (gsize) a->len * g_array_get_element_size (a)) == 0;
}

static gboolean
names_equal (GPtrArray *a,
             GPtrArray *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!g_str_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}

/* The element structs are built zero-filled (g_array_sized_new with clear,
 * or from zeroed locals), so comparing their bytes, padding included, is
 * comparing their members. */
gboolean
pal_value_equal (const PalValue *a,
                 const PalValue *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->property == b->property
         && arrays_equal (a->ranges, b->ranges)
         && arrays_equal (a->addresses, b->addresses)
         && arrays_equal (a->macs, b->macs)
         && arrays_equal (a->icmp, b->icmp)
         && arrays_equal (a->interfaces, b->interfaces)
         && names_equal (a->names, b->names)
         && a->flags == b->flags
         && a->clear_flags == b->clear_flags
         && a->first == b->first
         && a->last == b->last;
}

char *
pal_value_quote (const char *item)
{
  const gsize max = 64;
  const char *end;

  if (strnlen (item, max + 1) <= max)
    return g_strdup_printf ("\"%s\"", item);

  /* Cut at a character boundary so the message stays valid UTF-8: before
   * the character that byte max is part of (callers quote only UTF-8). */
  end = g_utf8_find_prev_char (item, item + max + 1);
  return g_strdup_printf ("\"%.*s…\"", (int) (end - item), item);
}

void
pal_value_set_invalid (GError     **error,
                       const char  *format,
                       ...)
{
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  *error = g_error_new_valist (PAL_VALUE_ERROR, PAL_VALUE_ERROR_INVALID, format, args);
  va_end (args);
}

gboolean
pal_value_parse_uint (const char *text,
                      guint64     max,
                      guint64    *number)
{
  guint64 result = 0;

  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      if (result > (max - (guint64) (*p - '0')) / 10)
        return FALSE;
      result = result * 10 + (guint64) (*p - '0');
    }
  *number = result;
  return TRUE;
}

static guint
count_items (const char *text)
{
  guint n = 1;

  for (const char *p = strchr (text, ','); p != NULL; p = strchr (p + 1, ','))
    n++;
  return n;
}

static gboolean
check_item_length (const char  *item,
                   gsize        max_length,
                   GError     **error)
{
  g_autofree char *quoted = NULL;

  if (strnlen (item, max_length + 1) <= max_length)
    return TRUE;

  quoted = pal_value_quote (item);
  pal_value_set_invalid (error, _("%s is too long: an item has at most %u bytes."),
                         quoted, (guint) max_length);
  return FALSE;
}

gboolean
pal_value_parse_list (PalValue       *value,
                      const char     *text,
                      PalItemParser   parse_item,
                      gpointer        user_data,
                      GError        **error)
{
  g_autoptr(GString) item = NULL;
  const char *start = text;
  const char *text_end = text + strlen (text);

  if (*text == '\0')
    {
      pal_value_set_invalid (error, _("The value is empty."));
      return FALSE;
    }
  if (count_items (text) > PAL_VALUE_MAX_ITEMS)
    {
      g_set_error (error, PAL_VALUE_ERROR, PAL_VALUE_ERROR_TOO_LONG,
                   _("The list has more than %d items."), PAL_VALUE_MAX_ITEMS);
      return FALSE;
    }

  item = g_string_sized_new (64);
  for (;;)
    {
      const char *comma = strchr (start, ',');
      const char *end = comma != NULL ? comma : text_end;

      g_string_truncate (item, 0);
      g_string_append_len (item, start, end - start);
      g_strstrip (item->str);
      if (item->str[0] == '\0')
        {
          pal_value_set_invalid (error, comma == NULL
                                 ? _("The list ends with a comma.")
                                 : _("The list has an empty item."));
          return FALSE;
        }
      if (!check_item_length (item->str, PAL_VALUE_MAX_ITEM_LENGTH, error))
        return FALSE;
      if (!parse_item (value, item->str, user_data, error))
        return FALSE;
      if (comma == NULL)
        return TRUE;
      start = comma + 1;
    }
}

gboolean
pal_value_parse_single (PalValue       *value,
                        const char     *text,
                        gsize           max_length,
                        PalItemParser   parse_item,
                        gpointer        user_data,
                        GError        **error)
{
  if (*text == '\0')
    {
      pal_value_set_invalid (error, _("The value is empty."));
      return FALSE;
    }
  if (!check_item_length (text, max_length, error))
    return FALSE;
  if (strchr (text, ',') != NULL)
    {
      pal_value_set_invalid (error, _("Only one value can be given here, not a list."));
      return FALSE;
    }
  return parse_item (value, text, user_data, error);
}
