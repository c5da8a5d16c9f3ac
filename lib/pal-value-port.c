/* pal-value-port.c — the numeric syntaxes: ports (with service names from
 * /etc/services), protocols, users (names from the user database), packet
 * lengths and the IP version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <pwd.h>
#include <unistd.h>
#include <string.h>
#include <arpa/inet.h>

#include <glib/gi18n-lib.h>

#include "pal-value-private.h"

typedef enum
{
  KIND_PORT,
  KIND_PROTOCOL,
  KIND_PACKET_LENGTH,
  KIND_USER,
} NumberKind;

/* How one numeric syntax reads numbers and names. */
typedef struct
{
  NumberKind   kind;
  guint32      max;
  /* Resolves a name (lower-case) to its number; NULL when there are none. */
  gboolean   (*lookup) (gpointer data, const char *name, guint32 *number);
  gpointer     data;
} NumberSyntax;

static gboolean
is_all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* A number or name, without error: the caller decides what to report. */
static gboolean
resolve (const NumberSyntax *syntax,
         const char         *text,
         guint32            *number)
{
  guint64 parsed;

  if (is_all_digits (text))
    {
      if (!pal_value_parse_uint (text, syntax->max, &parsed))
        return FALSE;
      *number = parsed;
      return TRUE;
    }
  return syntax->lookup != NULL && syntax->lookup (syntax->data, text, number);
}

static gboolean
report_unresolved (const NumberSyntax  *syntax,
                   const char          *text,
                   GError             **error)
{
  gboolean number = is_all_digits (text);

  switch (syntax->kind)
    {
    case KIND_PORT:
      if (number)
        pal_value_set_invalid (error, _("\"%s\" is not a port number (0 to 65535)."), text);
      else
        pal_value_set_invalid (error,
                               _("\"%s\" is neither a port number nor a service name "
                                 "known in /etc/services."), text);
      break;
    case KIND_PROTOCOL:
      if (number)
        pal_value_set_invalid (error, _("\"%s\" is not a protocol number (0 to 255)."), text);
      else
        pal_value_set_invalid (error,
                               _("\"%s\" is not a protocol; write a name like tcp, udp, "
                                 "icmp, icmpv6, sctp, gre, esp or ah, or a number."), text);
      break;
    case KIND_USER:
      if (number)
        pal_value_set_invalid (error, _("\"%s\" is not a user id (0 to 4294967294)."), text);
      else
        pal_value_set_invalid (error, _("There is no user \"%s\" on this computer."), text);
      break;
    case KIND_PACKET_LENGTH:
    default:
      if (number)
        pal_value_set_invalid (error,
                               _("\"%s\" is not a packet length (0 to 65535 bytes)."), text);
      else
        pal_value_set_invalid (error,
                               _("\"%s\" is not a packet length; write a number of bytes "
                                 "like 64 or a range like 0-128."), text);
      break;
    }
  return FALSE;
}

/* For "1-70000", the end that is wrong; else the whole item. */
static gboolean
report_item (const NumberSyntax  *syntax,
             const char          *item,
             GError             **error)
{
  const char *dash = strchr (item, '-');
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  guint32 ignored;

  if (dash == NULL)
    return report_unresolved (syntax, item, error);

  first = g_strstrip (g_strndup (item, dash - item));
  last = g_strstrip (g_strdup (dash + 1));
  if (!is_all_digits (first) || !is_all_digits (last))
    return report_unresolved (syntax, item, error);
  return report_unresolved (syntax, resolve (syntax, first, &ignored) ? last : first, error);
}

/* Tries "a-b" split at dash; both ends must resolve. */
static gboolean
resolve_range_at (const NumberSyntax *syntax,
                  const char         *item,
                  const char         *dash,
                  PalRange           *range)
{
  g_autofree char *first = g_strstrip (g_strndup (item, dash - item));
  g_autofree char *last = g_strstrip (g_strdup (dash + 1));

  return resolve (syntax, first, &range->first) && resolve (syntax, last, &range->last);
}

/* Names may contain hyphens ("netbios-ns"), so a hyphen makes a range only
 * when the whole item is not itself a name and both sides resolve. */
static gboolean
parse_number_item (PalValue    *value,
                   const char  *item,
                   gpointer     user_data,
                   GError     **error)
{
  const NumberSyntax *syntax = user_data;
  PalRange range = { 0 };
  const char *dash = strchr (item, '-');
  gboolean found = FALSE;

  if (resolve (syntax, item, &range.first))
    {
      range.last = range.first;
      found = TRUE;
    }
  for (; !found && dash != NULL; dash = strchr (dash + 1, '-'))
    found = resolve_range_at (syntax, item, dash, &range);

  if (!found)
    return report_item (syntax, item, error);

  if (range.first > range.last)
    {
      pal_value_set_invalid (error,
                             _("\"%s\" is backwards: its first number is larger than its "
                               "last."), item);
      return FALSE;
    }
  g_array_append_val (value->ranges, range);
  return TRUE;
}

static gboolean
parse_numbers (PalValue            *value,
               const char          *text,
               const NumberSyntax  *syntax,
               GError             **error)
{
  value->ranges = g_array_new (FALSE, TRUE, sizeof (PalRange));
  return pal_value_parse_list (value, text, parse_number_item, (gpointer) syntax, error);
}

/* name is NULL-able: it turns a single known number back into its name. */
static void
print_ranges (const PalValue *value,
              GString        *out,
              const char *  (*name) (guint32 number))
{
  for (guint i = 0; value->ranges != NULL && i < value->ranges->len; i++)
    {
      const PalRange *range = &g_array_index (value->ranges, PalRange, i);
      const char *known = NULL;

      if (i > 0)
        g_string_append (out, ", ");
      if (range->first == range->last && name != NULL)
        known = name (range->first);
      if (known != NULL)
        g_string_append (out, known);
      else if (range->first == range->last)
        g_string_append_printf (out, "%u", range->first);
      else
        g_string_append_printf (out, "%u-%u", range->first, range->last);
    }
}

/* Ports */

/* The system databases are read on every call; a list that names the same
 * service or user many times asks once. G_MAXUINT32 caches "not found"
 * (it is neither a port nor a valid uid). */
static gboolean
lookup_cached (GHashTable  *cache,
               const char  *name,
               guint32     *number)
{
  gpointer cached;

  if (!g_hash_table_lookup_extended (cache, name, NULL, &cached))
    return FALSE;
  *number = GPOINTER_TO_UINT (cached);
  return TRUE;
}

/* A service name contains a letter (RFC 6335, 5.1); anything else, like
 * the whole of a range "40000-50000" tried first as a name, is no name.
 * Asking NSS anyway reads all of /etc/services twice for each such item:
 * most of the time of reading and applying big documents. */
static gboolean
may_be_service_name (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isalpha (*p))
      return TRUE;
  return FALSE;
}

/* Service names are lower-case in /etc/services. */
static gboolean
lookup_service (gpointer    data,
                const char *text,
                guint32    *number)
{
  GHashTable *cache = data;
  const char *const protocols[] = { "tcp", "udp" };
  g_autofree char *name = NULL;

  if (!may_be_service_name (text))
    return FALSE;
  name = g_ascii_strdown (text, -1);
  if (lookup_cached (cache, name, number))
    return *number != G_MAXUINT32;

  *number = G_MAXUINT32;
  for (guint i = 0; i < G_N_ELEMENTS (protocols) && *number == G_MAXUINT32; i++)
    {
      struct servent entry;
      struct servent *result = NULL;
      char buffer[4096];

      if (getservbyname_r (name, protocols[i], &entry, buffer, sizeof buffer, &result) == 0
          && result != NULL)
        *number = ntohs ((guint16) result->s_port);
    }
  g_hash_table_insert (cache, g_steal_pointer (&name), GUINT_TO_POINTER (*number));
  return *number != G_MAXUINT32;
}

gboolean
pal_value_parse_port (PalValue    *value,
                      const char  *text,
                      GError     **error)
{
  g_autoptr(GHashTable) cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  NumberSyntax syntax = {
    .kind = KIND_PORT,
    .max = 65535,
    .lookup = lookup_service,
    .data = cache,
  };

  return parse_numbers (value, text, &syntax, error);
}

void
pal_value_print_port (const PalValue *value,
                      GString        *out)
{
  print_ranges (value, out, NULL);
}

/* Protocols */

typedef struct
{
  const char *name;
  guint8      number;
} Protocol;

/* The names nft knows, with IANA's numbers. */
static const Protocol protocols[] = {
  { "icmp", 1 },
  { "igmp", 2 },
  { "ipip", 4 },
  { "tcp", 6 },
  { "egp", 8 },
  { "pup", 12 },
  { "udp", 17 },
  { "idp", 22 },
  { "dccp", 33 },
  { "ipv6", 41 },
  { "rsvp", 46 },
  { "gre", 47 },
  { "esp", 50 },
  { "ah", 51 },
  { "icmpv6", 58 },
  { "mtp", 92 },
  { "beetph", 94 },
  { "encap", 98 },
  { "pim", 103 },
  { "comp", 108 },
  { "vrrp", 112 },
  { "l2tp", 115 },
  { "sctp", 132 },
  { "udplite", 136 },
  { "ethernet", 143 },
  { "raw", 255 },
};

static gboolean
lookup_protocol (gpointer    data,
                 const char *text,
                 guint32    *number)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);
  const char *name = lower;

  /* Other spellings people use for ICMPv6. */
  if (g_str_equal (name, "ipv6-icmp") || g_str_equal (name, "icmp6"))
    name = "icmpv6";

  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    if (g_str_equal (protocols[i].name, name))
      {
        *number = protocols[i].number;
        return TRUE;
      }
  return FALSE;
}

static const char *
protocol_name (guint32 number)
{
  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    if (protocols[i].number == number)
      return protocols[i].name;
  return NULL;
}

gboolean
pal_value_parse_protocol (PalValue    *value,
                          const char  *text,
                          GError     **error)
{
  NumberSyntax syntax = {
    .kind = KIND_PROTOCOL,
    .max = 255,
    .lookup = lookup_protocol,
  };

  return parse_numbers (value, text, &syntax, error);
}

void
pal_value_print_protocol (const PalValue *value,
                          GString        *out)
{
  print_ranges (value, out, protocol_name);
}

/* Packet length */

gboolean
pal_value_parse_packet_length (PalValue    *value,
                               const char  *text,
                               GError     **error)
{
  NumberSyntax syntax = {
    .kind = KIND_PACKET_LENGTH,
    .max = 65535,
  };

  return parse_numbers (value, text, &syntax, error);
}

void
pal_value_print_packet_length (const PalValue *value,
                               GString        *out)
{
  print_ranges (value, out, NULL);
}

/* IP version */

static gboolean
parse_ip_version_item (PalValue    *value,
                       const char  *item,
                       gpointer     user_data,
                       GError     **error)
{
  PalRange range = { 0 };

  if (g_str_equal (item, "4") || g_ascii_strcasecmp (item, "ipv4") == 0)
    range.first = 4;
  else if (g_str_equal (item, "6") || g_ascii_strcasecmp (item, "ipv6") == 0)
    range.first = 6;
  else
    {
      pal_value_set_invalid (error, _("\"%s\" is not an IP version; write 4 or 6."), item);
      return FALSE;
    }
  range.last = range.first;
  g_array_append_val (value->ranges, range);
  return TRUE;
}

gboolean
pal_value_parse_ip_version (PalValue    *value,
                            const char  *text,
                            GError     **error)
{
  value->ranges = g_array_new (FALSE, TRUE, sizeof (PalRange));
  return pal_value_parse_single (value, text, PAL_VALUE_MAX_ITEM_LENGTH,
                                 parse_ip_version_item, NULL, error);
}

void
pal_value_print_ip_version (const PalValue *value,
                            GString        *out)
{
  print_ranges (value, out, NULL);
}

/* Users */

static guint32
getpwnam_uid (const char *name)
{
  gsize size = 1024;

  for (;;)
    {
      g_autofree char *buffer = g_malloc (size);
      struct passwd entry;
      struct passwd *result = NULL;
      int status = getpwnam_r (name, &entry, buffer, size, &result);

      if (status == ERANGE && size < 1024 * 1024)
        {
          size *= 2;
          continue;
        }
      return status == 0 && result != NULL ? (guint32) result->pw_uid : G_MAXUINT32;
    }
}

/* User names are case-sensitive, but people write "Root": the name as
 * written first, then in lower case. */
static gboolean
lookup_user (gpointer    data,
             const char *name,
             guint32    *number)
{
  GHashTable *cache = data;
  g_autofree char *lower = NULL;

  if (!lookup_cached (cache, name, number))
    {
      *number = getpwnam_uid (name);
      lower = g_ascii_strdown (name, -1);
      if (*number == G_MAXUINT32 && !g_str_equal (lower, name))
        *number = getpwnam_uid (lower);
      g_hash_table_insert (cache, g_strdup (name), GUINT_TO_POINTER (*number));
    }
  return *number != G_MAXUINT32;
}

gboolean
pal_value_parse_user (PalValue    *value,
                      const char  *text,
                      GError     **error)
{
  g_autoptr(GHashTable) cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  NumberSyntax syntax = {
    .kind = KIND_USER,
    .max = G_MAXUINT32 - 1,   /* (uid_t) -1 means "no user" to the kernel */
    .lookup = lookup_user,
    .data = cache,
  };

  return parse_numbers (value, text, &syntax, error);
}

void
pal_value_print_user (const PalValue *value,
                      GString        *out)
{
  print_ranges (value, out, NULL);
}
