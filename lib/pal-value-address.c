/* pal-value-address.c — IPv4 and IPv6 addresses, networks and ranges, and
 * MAC addresses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include <glib/gi18n-lib.h>

#include "pal-value-private.h"

static int
address_length (int family)
{
  return family == AF_INET ? 4 : 16;
}

static gboolean
looks_like_ipv4 (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '.')
      return FALSE;
  return TRUE;
}

/* One address, without prefix or range: the family comes from the text
 * (a colon means IPv6). Host names are not addresses: a rule must not
 * depend on DNS at the time it is loaded. */
static gboolean
parse_one_address (const char  *text,
                   int         *family,
                   guint8       bytes[16],
                   GError     **error)
{
  *family = strchr (text, ':') != NULL ? AF_INET6 : AF_INET;
  memset (bytes, 0, 16);
  if (inet_pton (*family, text, bytes) == 1)
    return TRUE;

  if (*family == AF_INET6)
    pal_value_set_invalid (error, _("\"%s\" is not an IPv6 address."), text);
  else if (looks_like_ipv4 (text))
    pal_value_set_invalid (error, _("\"%s\" is not an IPv4 address."), text);
  else
    pal_value_set_invalid (error,
                           _("\"%s\" is not an IP address; write it like 192.0.2.1, "
                             "10.0.0.0/8 or 2001:db8::1 (host names are not looked up)."),
                           text);
  return FALSE;
}

/* Sets last to the network's last address and reports whether first was
 * the network's own address (no host bits set). */
static gboolean
apply_prefix (PalAddressRange *range)
{
  int length = address_length (range->family);
  gboolean clean = TRUE;

  for (int i = 0; i < length; i++)
    {
      int bits = CLAMP (range->prefix - i * 8, 0, 8);
      guint8 mask = bits == 0 ? 0 : (guint8) (0xff << (8 - bits));

      if ((range->first[i] & ~mask) != 0)
        clean = FALSE;
      range->last[i] = range->first[i] | (guint8) ~mask;
    }
  return clean;
}

static void
clear_host_bits (PalAddressRange *range)
{
  int length = address_length (range->family);

  for (int i = 0; i < length; i++)
    {
      int bits = CLAMP (range->prefix - i * 8, 0, 8);

      range->first[i] &= bits == 0 ? 0 : (guint8) (0xff << (8 - bits));
    }
}

static void
append_address (GString      *out,
                int           family,
                const guint8 *bytes)
{
  char buffer[INET6_ADDRSTRLEN];

  /* Only a hand-made value can have another family. */
  g_return_if_fail (family == AF_INET || family == AF_INET6);

  if (inet_ntop (family, bytes, buffer, sizeof buffer) != NULL)
    g_string_append (out, buffer);
}

static gboolean
parse_network (const char       *item,
               const char       *slash,
               PalAddressRange  *range,
               GError          **error)
{
  g_autofree char *address = g_strndup (item, slash - item);
  guint64 prefix;
  int bits;

  if (!parse_one_address (address, &range->family, range->first, error))
    return FALSE;

  bits = address_length (range->family) * 8;
  if (!pal_value_parse_uint (slash + 1, bits, &prefix))
    {
      pal_value_set_invalid (error,
                             _("\"%s\" does not end in a prefix length from 0 to %d."),
                             item, bits);
      return FALSE;
    }
  range->prefix = prefix;

  if (!apply_prefix (range))
    {
      g_autoptr(GString) suggestion = g_string_new (NULL);

      clear_host_bits (range);
      append_address (suggestion, range->family, range->first);
      pal_value_set_invalid (error,
                             _("\"%s\" has host bits set; did you mean %s/%d?"),
                             item, suggestion->str, range->prefix);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_range (const char       *item,
             const char       *dash,
             PalAddressRange  *range,
             GError          **error)
{
  g_autofree char *first = g_strstrip (g_strndup (item, dash - item));
  g_autofree char *last = g_strstrip (g_strdup (dash + 1));
  int last_family;

  if (strchr (item, '/') != NULL)
    {
      pal_value_set_invalid (error,
                             _("\"%s\" mixes a range and a prefix; write either "
                               "10.0.0.0-10.0.0.255 or 10.0.0.0/24."), item);
      return FALSE;
    }
  if (first[0] == '\0' || last[0] == '\0')
    {
      pal_value_set_invalid (error,
                             _("\"%s\" is a range with a missing end; write it like "
                               "10.0.0.1-10.0.0.9."), item);
      return FALSE;
    }
  if (!parse_one_address (first, &range->family, range->first, error)
      || !parse_one_address (last, &last_family, range->last, error))
    return FALSE;

  if (last_family != range->family)
    {
      pal_value_set_invalid (error,
                             _("\"%s\" goes from an address of one IP version to one of "
                               "the other."), item);
      return FALSE;
    }
  if (memcmp (range->first, range->last, 16) > 0)
    {
      pal_value_set_invalid (error,
                             _("\"%s\" is backwards: its first address comes after its "
                               "last."), item);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_address_item (PalValue    *value,
                    const char  *item,
                    gpointer     user_data,
                    GError     **error)
{
  PalAddressRange range = { 0 };
  const char *percent = strchr (item, '%');
  const char *dash = strchr (item, '-');
  const char *slash = strchr (item, '/');

  range.prefix = -1;
  if (percent != NULL)
    {
      pal_value_set_invalid (error,
                             _("\"%s\" has a zone id (\"%s\"); a firewall rule cannot use "
                               "one, so write the address without it and match the "
                               "interface instead."), item, percent);
      return FALSE;
    }

  if (dash != NULL)
    {
      if (!parse_range (item, dash, &range, error))
        return FALSE;
    }
  else if (slash != NULL)
    {
      if (!parse_network (item, slash, &range, error))
        return FALSE;
    }
  else
    {
      if (!parse_one_address (item, &range.family, range.first, error))
        return FALSE;
      memcpy (range.last, range.first, sizeof range.last);
    }

  g_array_append_val (value->addresses, range);
  return TRUE;
}

gboolean
pal_value_parse_address (PalValue    *value,
                         const char  *text,
                         GError     **error)
{
  value->addresses = g_array_new (FALSE, TRUE, sizeof (PalAddressRange));
  return pal_value_parse_list (value, text, parse_address_item, NULL, error);
}

void
pal_value_print_address (const PalValue *value,
                         GString        *out)
{
  for (guint i = 0; value->addresses != NULL && i < value->addresses->len; i++)
    {
      const PalAddressRange *range = &g_array_index (value->addresses, PalAddressRange, i);

      if (i > 0)
        g_string_append (out, ", ");
      append_address (out, range->family, range->first);
      if (range->prefix >= 0)
        g_string_append_printf (out, "/%d", range->prefix);
      else if (memcmp (range->first, range->last, 16) != 0)
        {
          g_string_append_c (out, '-');
          append_address (out, range->family, range->last);
        }
    }
}

static int
hex_digit (char c)
{
  return g_ascii_isxdigit (c) ? g_ascii_xdigit_value (c) : -1;
}

/* aa:bb:cc:dd:ee:ff, or with hyphens as Windows writes them. */
static gboolean
parse_mac_item (PalValue    *value,
                const char  *item,
                gpointer     user_data,
                GError     **error)
{
  PalMac mac = { { 0 } };
  char separator = item[2];

  if (strlen (item) != 17 || (separator != ':' && separator != '-'))
    goto invalid;
  for (int i = 0; i < 6; i++)
    {
      const char *p = item + i * 3;
      int high = hex_digit (p[0]);
      int low = hex_digit (p[1]);

      if (high < 0 || low < 0 || (i < 5 && p[2] != separator))
        goto invalid;
      mac.bytes[i] = (guint8) (high << 4 | low);
    }
  g_array_append_val (value->macs, mac);
  return TRUE;

invalid:
  pal_value_set_invalid (error,
                         _("\"%s\" is not a MAC address; write it like 00:11:22:aa:bb:cc."),
                         item);
  return FALSE;
}

gboolean
pal_value_parse_mac (PalValue    *value,
                     const char  *text,
                     GError     **error)
{
  value->macs = g_array_new (FALSE, TRUE, sizeof (PalMac));
  return pal_value_parse_list (value, text, parse_mac_item, NULL, error);
}

void
pal_value_print_mac (const PalValue *value,
                     GString        *out)
{
  for (guint i = 0; value->macs != NULL && i < value->macs->len; i++)
    {
      const PalMac *mac = &g_array_index (value->macs, PalMac, i);

      g_string_append_printf (out, "%s%02x:%02x:%02x:%02x:%02x:%02x",
                              i > 0 ? ", " : "",
                              mac->bytes[0], mac->bytes[1], mac->bytes[2],
                              mac->bytes[3], mac->bytes[4], mac->bytes[5]);
    }
}
