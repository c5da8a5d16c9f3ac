/* pal-nft-expr-print.c — atoms and statements as nft syntax, for
 * `palisadectl export` (nft -f) and for naming rules that other programs
 * put in our table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <string.h>
#include <sys/socket.h>

#include "pal-nft-expr-private.h"

static const struct
{
  guint8      number;
  const char *name;
} protocols[] = {
  { 1, "icmp" }, { 2, "igmp" }, { 6, "tcp" }, { 17, "udp" }, { 47, "gre" },
  { 50, "esp" }, { 51, "ah" }, { 58, "icmpv6" }, { 132, "sctp" }, { 136, "udplite" },
};

static const struct
{
  guint8      kind;
  const char *name;
} tcp_options[] = {
  { 2, "maxseg" }, { 3, "window" }, { 4, "sack-perm" }, { 5, "sack" }, { 8, "timestamp" },
};

static const struct
{
  guint8      kind;
  const char *name;
} ip_options[] = {
  { 7, "rr" }, { 131, "lsrr" }, { 137, "ssrr" }, { 148, "ra" },
};

static const char *const states[] = {
  "invalid", "established", "related", "new", NULL, NULL, "untracked",
};

/* The UTC offset nft will apply to times of day and dates it reads: the
 * one in effect now, as when we compiled. */
static gint64
local_offset_seconds (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_get_utc_offset (now) / G_TIME_SPAN_SECOND;
}

static void
print_value (PalNftField   field,
             const guint8 *data,
             GString      *out)
{
  guint length = pal_nft_field_get_length (field);
  guint64 number = pal_nft_get_be (data, length);
  char buffer[INET6_ADDRSTRLEN];

  switch (field)
    {
    case PAL_NFT_FIELD_NFPROTO:
      g_string_append (out, number == NFPROTO_IPV4 ? "ipv4" : number == NFPROTO_IPV6 ? "ipv6" : "");
      if (number != NFPROTO_IPV4 && number != NFPROTO_IPV6)
        g_string_append_printf (out, "%" G_GUINT64_FORMAT, number);
      return;
    case PAL_NFT_FIELD_L4PROTO:
      for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
        if (protocols[i].number == number)
          {
            g_string_append (out, protocols[i].name);
            return;
          }
      break;
    case PAL_NFT_FIELD_IIFNAME:
    case PAL_NFT_FIELD_OIFNAME:
      g_string_append_c (out, '"');
      g_string_append_len (out, (const char *) data, strnlen ((const char *) data, 16));
      g_string_append_c (out, '"');
      return;
    case PAL_NFT_FIELD_IIFTYPE:
      if (number == 1)
        {
          g_string_append (out, "ether");
          return;
        }
      break;
    case PAL_NFT_FIELD_IP_SADDR:
    case PAL_NFT_FIELD_IP_DADDR:
      g_string_append (out, inet_ntop (AF_INET, data, buffer, sizeof buffer));
      return;
    case PAL_NFT_FIELD_IP6_SADDR:
    case PAL_NFT_FIELD_IP6_DADDR:
      g_string_append (out, inet_ntop (AF_INET6, data, buffer, sizeof buffer));
      return;
    case PAL_NFT_FIELD_ETHER_SADDR:
    case PAL_NFT_FIELD_ETHER_DADDR:
      g_string_append_printf (out, "%02x:%02x:%02x:%02x:%02x:%02x",
                              data[0], data[1], data[2], data[3], data[4], data[5]);
      return;
    case PAL_NFT_FIELD_HOUR:
      {
        gint64 local = ((gint64) number + local_offset_seconds ()) % 86400;

        if (local < 0)
          local += 86400;
        g_string_append_printf (out, "\"%02d:%02d:%02d\"", (int) (local / 3600),
                                (int) (local / 60 % 60), (int) (local % 60));
        return;
      }
    case PAL_NFT_FIELD_TIME:
      {
        g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc ((gint64) (number / G_GUINT64_CONSTANT (1000000000)));
        g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
        g_autofree char *text = local != NULL ? g_date_time_format (local, "\"%Y-%m-%d %H:%M:%S\"") : NULL;

        if (text != NULL)
          {
            g_string_append (out, text);
            return;
          }
        break;
      }
    case PAL_NFT_FIELD_ICMP_TYPE_CODE:
    case PAL_NFT_FIELD_TCP_FLAGS:
    case PAL_NFT_FIELD_IP_FRAG_OFF:
    case PAL_NFT_FIELD_IP6_FRAG_OFF:
    case PAL_NFT_FIELD_CT_STATE:
      g_string_append_printf (out, "0x%0*" G_GINT64_MODIFIER "x", (int) length * 2, number);
      return;
    case PAL_NFT_FIELD_CGROUPV2:
    default:
      break;
    }
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, number);
}

/* For an address range: the prefix length when it is exactly a network. */
static int
prefix_of (const guint8 *first,
           const guint8 *last,
           guint         length)
{
  int prefix = 0;
  guint i = 0;

  for (; i < length && first[i] == last[i]; i++)
    prefix += 8;
  if (i == length)
    return prefix;
  for (int bit = 7; bit >= 0; bit--)
    {
      guint8 mask = 1 << bit;

      /* A bit the two share is part of the network, 0 or 1. */
      if ((first[i] & mask) == (last[i] & mask))
        {
          prefix++;
          continue;
        }
      /* From here on first must be all zeros and last all ones. */
      for (int b = bit; b >= 0; b--)
        if ((first[i] & (1 << b)) != 0 || (last[i] & (1 << b)) == 0)
          return -1;
      for (guint j = i + 1; j < length; j++)
        if (first[j] != 0 || last[j] != 0xff)
          return -1;
      return prefix;
    }
  return prefix;
}

/* An interface prefix range "eth" + 0…0 to "eth" + ff…ff prints as eth*. */
static gboolean
print_interface_range (const PalNftRange *range,
                       GString           *out)
{
  guint prefix = strnlen ((const char *) range->first, 16);

  if (prefix == 0 || memcmp (range->first, range->last, prefix) != 0)
    return FALSE;
  for (guint i = prefix; i < 16; i++)
    if (range->first[i] != 0 || range->last[i] != 0xff)
      return FALSE;
  g_string_append_printf (out, "\"%.*s*\"", (int) prefix, (const char *) range->first);
  return TRUE;
}

static void
print_range (PalNftField        field,
             const PalNftRange *range,
             GString           *out)
{
  guint length = pal_nft_field_get_length (field);
  gboolean address = field == PAL_NFT_FIELD_IP_SADDR || field == PAL_NFT_FIELD_IP_DADDR
                     || field == PAL_NFT_FIELD_IP6_SADDR || field == PAL_NFT_FIELD_IP6_DADDR;
  int prefix;

  if (memcmp (range->first, range->last, length) == 0)
    {
      print_value (field, range->first, out);
      return;
    }
  if ((field == PAL_NFT_FIELD_IIFNAME || field == PAL_NFT_FIELD_OIFNAME)
      && print_interface_range (range, out))
    return;
  prefix = address ? prefix_of (range->first, range->last, length) : -1;
  print_value (field, range->first, out);
  if (prefix >= 0)
    g_string_append_printf (out, "/%d", prefix);
  else
    {
      g_string_append_c (out, '-');
      print_value (field, range->last, out);
    }
}

void
pal_nft_elements_print (PalNftElements *elements,
                        GString        *out)
{
  for (guint i = 0; i < elements->ranges->len; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      print_range (elements->field, &g_array_index (elements->ranges, PalNftRange, i), out);
    }
}

static const char *
option_name (const PalNftAtom *atom)
{
  if (atom->field == PAL_NFT_FIELD_TCP_OPTION)
    {
      for (guint i = 0; i < G_N_ELEMENTS (tcp_options); i++)
        if (tcp_options[i].kind == atom->kind)
          return tcp_options[i].name;
    }
  else
    for (guint i = 0; i < G_N_ELEMENTS (ip_options); i++)
      if (ip_options[i].kind == atom->kind)
        return ip_options[i].name;
  return NULL;
}

static void
print_presence (const PalNftAtom *atom,
                GString          *out)
{
  const char *verb = atom->value[0] ? "exists" : "missing";

  if (atom->field == PAL_NFT_FIELD_IP6_FRAG)
    g_string_append_printf (out, "exthdr frag %s", verb);
  else if (option_name (atom) != NULL)
    g_string_append_printf (out, "%s %s %s", pal_nft_field_get_name (atom->field),
                            option_name (atom), verb);
  else
    g_string_append_printf (out, "%s %u %s", pal_nft_field_get_name (atom->field),
                            atom->kind, verb);
}

static void
print_states (guint32  mask,
              GString *out)
{
  gboolean first = TRUE;

  for (guint bit = 0; bit < G_N_ELEMENTS (states); bit++)
    if ((mask & (1u << bit)) != 0 && states[bit] != NULL)
      {
        g_string_append_printf (out, "%s%s", first ? "" : ",", states[bit]);
        first = FALSE;
      }
}

void
pal_nft_atom_print (const PalNftAtom *atom,
                    GString          *out)
{
  const PalNftFieldInfo *info = pal_nft_field_info (atom->field);
  guint length = info->length;
  const char *op = atom->negated ? "!= " : "";

  if (info->presence)
    {
      print_presence (atom, out);
      return;
    }
  if (atom->field == PAL_NFT_FIELD_CT_STATE && atom->has_mask)
    {
      /* Built as (state & mask) != 0: "any of these states". */
      gboolean any = atom->negated == (pal_nft_get_be (atom->value, 4) == 0);

      guint32 mask;

      memcpy (&mask, atom->mask, sizeof mask);
      g_string_append_printf (out, "ct state %s", any ? "" : "!= ");
      print_states (mask, out);
      return;
    }
  if (atom->field == PAL_NFT_FIELD_IP6_FRAG_OFF && atom->has_mask && atom->test == PAL_NFT_TEST_CMP)
    {
      /* The word is offset << 3 | M: nft's frag-off and more-fragments. */
      guint16 mask = (guint16) pal_nft_get_be (atom->mask, 2);
      guint16 value = (guint16) pal_nft_get_be (atom->value, 2);

      if (mask == 0xfff8)
        g_string_append_printf (out, "frag frag-off %s%u", op, value >> 3);
      else
        g_string_append_printf (out, "frag more-fragments %s%u", op, value & 1);
      return;
    }
  if (atom->field == PAL_NFT_FIELD_CGROUPV2)
    {
      g_string_append_printf (out, "socket cgroupv2 level %u %s\"%s\"", atom->level, op,
                              atom->text != NULL ? atom->text : "");
      return;
    }

  g_string_append (out, info->name);
  g_string_append_c (out, ' ');
  if (atom->has_mask)
    {
      g_string_append (out, "& ");
      g_string_append_printf (out, "0x%0*" G_GINT64_MODIFIER "x ", (int) length * 2,
                              pal_nft_get_be (atom->mask, length));
      g_string_append (out, atom->negated ? "!= " : "== ");
      op = "";
    }
  g_string_append (out, op);
  switch (atom->test)
    {
    case PAL_NFT_TEST_CMP:
      print_value (atom->field, atom->value, out);
      break;
    case PAL_NFT_TEST_RANGE:
      {
        PalNftRange range;

        memcpy (range.first, atom->value, 16);
        memcpy (range.last, atom->value_to, 16);
        print_range (atom->field, &range, out);
        break;
      }
    case PAL_NFT_TEST_LOOKUP:
      if (atom->set_name != NULL)
        g_string_append_printf (out, "@%s", atom->set_name);
      else
        {
          g_string_append (out, "{ ");
          pal_nft_elements_print (atom->elements, out);
          g_string_append (out, " }");
        }
      break;
    default:
      break;
    }
}

static const char *
reject_code_name (guint8 code)
{
  switch (code)
    {
    case NFT_REJECT_ICMPX_NO_ROUTE:
      return "no-route";
    case NFT_REJECT_ICMPX_PORT_UNREACH:
      return "port-unreachable";
    case NFT_REJECT_ICMPX_HOST_UNREACH:
      return "host-unreachable";
    case NFT_REJECT_ICMPX_ADMIN_PROHIBITED:
    default:
      return "admin-prohibited";
    }
}

static const char *
unit_name (guint64 seconds)
{
  switch (seconds)
    {
    case 1:
      return "second";
    case 60:
      return "minute";
    case 3600:
      return "hour";
    case 86400:
      return "day";
    default:
      return "week";
    }
}

static void
print_string (GString    *out,
              const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

void
pal_nft_stmt_print (const PalNftStmt *stmt,
                    GString          *out)
{
  switch (stmt->kind)
    {
    case PAL_NFT_STMT_COUNT:
      g_string_append_printf (out, "update @%s { %u timeout %" G_GUINT64_FORMAT "d }", stmt->set_name,
                              stmt->key, PAL_NFT_HITS_TIMEOUT_MS / (24 * 3600 * 1000));
      break;
    case PAL_NFT_STMT_UPDATE:
      g_string_append_printf (out, "update @%s { %s", stmt->set_name,
                              pal_nft_field_get_name (stmt->field));
      if (stmt->timeout_ms != 0)
        g_string_append_printf (out, " timeout %" G_GUINT64_FORMAT "s", stmt->timeout_ms / 1000);
      g_string_append (out, " }");
      break;
    case PAL_NFT_STMT_LOG:
      g_string_append (out, "log");
      if (stmt->prefix != NULL && *stmt->prefix != '\0')
        {
          g_string_append (out, " prefix ");
          print_string (out, stmt->prefix);
        }
      g_string_append_printf (out, " group %u", stmt->group);
      break;
    case PAL_NFT_STMT_LIMIT:
      g_string_append_printf (out, "limit rate %s%" G_GUINT64_FORMAT "/%s burst %u packets",
                              stmt->under ? "" : "over ", stmt->rate, unit_name (stmt->unit), stmt->burst);
      break;
    case PAL_NFT_STMT_REJECT:
      if (stmt->reject_type == NFT_REJECT_TCP_RST)
        g_string_append (out, "reject with tcp reset");
      else
        g_string_append_printf (out, "reject with icmpx %s", reject_code_name (stmt->reject_code));
      break;
    case PAL_NFT_STMT_VERDICT:
      switch (stmt->verdict)
        {
        case NF_ACCEPT:
          g_string_append (out, "accept");
          break;
        case NF_DROP:
          g_string_append (out, "drop");
          break;
        case NFT_RETURN:
          g_string_append (out, "return");
          break;
        case NFT_JUMP:
          g_string_append_printf (out, "jump %s", stmt->chain);
          break;
        case NFT_GOTO:
          g_string_append_printf (out, "goto %s", stmt->chain);
          break;
        default:
          g_string_append (out, "continue");
          break;
        }
      break;
    default:
      break;
    }
}
