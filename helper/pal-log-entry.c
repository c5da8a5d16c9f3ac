/* pal-log-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "pal-log-entry.h"

/* Extension headers walked before giving up on finding the transport. */
#define MAX_IPV6_EXTENSIONS 8

static const char * const kind_names[] = {
  [PAL_LOG_KIND_LOG] = "log",
  [PAL_LOG_KIND_ALERT] = "alert",
  [PAL_LOG_KIND_SUPPRESSED] = "suppressed",
  [PAL_LOG_KIND_APPLIED] = "applied",
  [PAL_LOG_KIND_CONFLICT] = "conflict",
  [PAL_LOG_KIND_BANNED] = "banned",
  [PAL_LOG_KIND_UNBANNED] = "unbanned",
  [PAL_LOG_KIND_ENABLED] = "enabled",
  [PAL_LOG_KIND_DISABLED] = "disabled",
  [PAL_LOG_KIND_ERROR] = "error",
  [PAL_LOG_KIND_DENIED] = "denied",
};

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == PAL_LOG_KIND_LAST + 1);

const char *
pal_log_kind_to_string (PalLogKind kind)
{
  return (guint) kind < G_N_ELEMENTS (kind_names) ? kind_names[kind] : NULL;
}

void
pal_log_entry_init (PalLogEntry *entry,
                    PalLogKind   kind,
                    gint64       time)
{
  g_return_if_fail (entry != NULL);

  memset (entry, 0, sizeof *entry);
  entry->kind = kind;
  entry->time = time;
  entry->icmp_type = -1;
  entry->icmp_code = -1;
}

void
pal_log_entry_clear (PalLogEntry *entry)
{
  g_return_if_fail (entry != NULL);

  g_clear_pointer (&entry->text, g_free);
  g_clear_pointer (&entry->rule, g_free);
  g_clear_pointer (&entry->name, g_free);
}

/* ---- parsing ---- */

static guint16
read_u16 (const guint8 *data)
{
  return (guint16) (data[0] << 8 | data[1]);
}

static void
parse_transport (PalLogEntry  *entry,
                 const guint8 *data,
                 gsize         length)
{
  switch (entry->protocol)
    {
    case IPPROTO_TCP:
      if (length >= 14)
        {
          entry->is_tcp = TRUE;
          entry->tcp_flags = data[13];
        }
      G_GNUC_FALLTHROUGH;
    case IPPROTO_UDP:
    case IPPROTO_UDPLITE:
    case IPPROTO_SCTP:
    case IPPROTO_DCCP:
      if (length >= 4)
        {
          entry->sport = read_u16 (data);
          entry->dport = read_u16 (data + 2);
        }
      break;
    case IPPROTO_ICMP:
    case IPPROTO_ICMPV6:
      if (length >= 2)
        {
          entry->icmp_type = data[0];
          entry->icmp_code = data[1];
        }
      break;
    default:
      break;
    }
}

static gboolean
parse_ipv4 (PalLogEntry  *entry,
            const guint8 *data,
            gsize         length)
{
  gsize header;
  guint16 fragment;

  if (length < 20 || data[0] >> 4 != 4 || (data[0] & 0x0f) < 5)
    return FALSE;
  header = (data[0] & 0x0f) * 4;
  entry->family = AF_INET;
  entry->length = read_u16 (data + 2);
  entry->protocol = data[9];
  entry->has_protocol = TRUE;
  memcpy (entry->source, data + 12, 4);
  memcpy (entry->destination, data + 16, 4);
  /* Only the first fragment carries the transport header. */
  fragment = read_u16 (data + 6) & 0x1fff;
  if (fragment == 0 && header < length)
    parse_transport (entry, data + header, length - header);
  return TRUE;
}

/* Follows the chain of extension headers; returns the transport's
 * offset, or 0 when it is out of reach (cut off, or a later fragment). */
static gsize
skip_ipv6_extensions (PalLogEntry  *entry,
                      const guint8 *data,
                      gsize         length)
{
  gsize offset = 40;

  for (guint i = 0; i < MAX_IPV6_EXTENSIONS; i++)
    {
      guint8 next;
      gsize size;

      switch (entry->protocol)
        {
        case IPPROTO_HOPOPTS:
        case IPPROTO_ROUTING:
        case IPPROTO_DSTOPTS:
          if (offset + 2 > length)
            return 0;
          size = (data[offset + 1] + 1) * 8;
          break;
        case IPPROTO_AH:
          if (offset + 2 > length)
            return 0;
          size = (data[offset + 1] + 2) * 4;
          break;
        case IPPROTO_FRAGMENT:
          if (offset + 8 > length)
            return 0;
          size = 8;
          if ((read_u16 (data + offset + 2) & 0xfff8) != 0)
            {
              entry->protocol = data[offset];
              return 0;
            }
          break;
        default:
          return offset;
        }
      next = data[offset];
      entry->protocol = next;
      offset += size;
    }
  return 0;
}

static gboolean
parse_ipv6 (PalLogEntry  *entry,
            const guint8 *data,
            gsize         length)
{
  gsize offset;

  if (length < 40 || data[0] >> 4 != 6)
    return FALSE;
  entry->family = AF_INET6;
  entry->length = read_u16 (data + 4) + 40;
  entry->protocol = data[6];
  entry->has_protocol = TRUE;
  memcpy (entry->source, data + 8, 16);
  memcpy (entry->destination, data + 24, 16);
  offset = skip_ipv6_extensions (entry, data, length);
  if (offset != 0 && offset < length)
    parse_transport (entry, data + offset, length - offset);
  return TRUE;
}

gboolean
pal_log_entry_parse_packet (PalLogEntry  *entry,
                            int           family,
                            const guint8 *data,
                            gsize         length)
{
  g_return_val_if_fail (entry != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (length == 0)
    return FALSE;
  if (family == AF_UNSPEC)
    family = data[0] >> 4 == 6 ? AF_INET6 : AF_INET;
  if (family == AF_INET)
    return parse_ipv4 (entry, data, length);
  if (family == AF_INET6)
    return parse_ipv6 (entry, data, length);
  return FALSE;
}

/* ---- printing ---- */

static char *
protocol_name (const PalLogEntry *entry)
{
  if (!entry->has_protocol)
    return g_strdup ("");
  switch (entry->protocol)
    {
    case IPPROTO_TCP: return g_strdup ("tcp");
    case IPPROTO_UDP: return g_strdup ("udp");
    case IPPROTO_ICMP: return g_strdup ("icmp");
    case IPPROTO_ICMPV6: return g_strdup ("icmpv6");
    case IPPROTO_SCTP: return g_strdup ("sctp");
    case IPPROTO_UDPLITE: return g_strdup ("udplite");
    case IPPROTO_DCCP: return g_strdup ("dccp");
    case IPPROTO_GRE: return g_strdup ("gre");
    case IPPROTO_ESP: return g_strdup ("esp");
    case IPPROTO_AH: return g_strdup ("ah");
    default: return g_strdup_printf ("%u", entry->protocol);
    }
}

static char *
tcp_flags_text (const PalLogEntry *entry)
{
  static const char * const names[] = { "fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr" };
  GString *text = g_string_new (NULL);

  for (guint i = 0; entry->is_tcp && i < G_N_ELEMENTS (names); i++)
    if (entry->tcp_flags & (1 << i))
      g_string_append_printf (text, "%s%s", text->len > 0 ? "," : "", names[i]);
  return g_string_free (text, FALSE);
}

static void
address_text (const PalLogEntry *entry,
              const guint8      *address,
              char              *text,
              gsize              size)
{
  text[0] = '\0';
  if (entry->family != 0)
    inet_ntop (entry->family, address, text, size);
}

/* Interface names are bytes to the kernel, strings to D-Bus. */
static char *
valid (const char *text)
{
  return g_utf8_make_valid (text != NULL ? text : "", -1);
}

GVariant *
pal_log_entry_to_variant (const PalLogEntry *entry)
{
  g_autofree char *text = NULL, *in = NULL, *out = NULL;
  g_autofree char *protocol = NULL, *flags = NULL;
  char source[INET6_ADDRSTRLEN], destination[INET6_ADDRSTRLEN];

  g_return_val_if_fail (entry != NULL, NULL);

  text = valid (entry->text);
  in = valid (entry->in);
  out = valid (entry->out);
  protocol = protocol_name (entry);
  flags = tcp_flags_text (entry);
  address_text (entry, entry->source, source, sizeof source);
  address_text (entry, entry->destination, destination, sizeof destination);
  return g_variant_new (PAL_LOG_ENTRY_TYPE_STRING,
                        entry->time, pal_log_kind_to_string (entry->kind), text,
                        entry->rule != NULL ? entry->rule : "",
                        entry->name != NULL ? entry->name : "",
                        entry->hook != NULL ? entry->hook : "",
                        in, out, entry->mac, protocol, source, destination,
                        entry->sport, entry->dport, entry->icmp_type, entry->icmp_code,
                        flags, entry->length);
}
