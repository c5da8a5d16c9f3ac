/* pal-value-icmp.c — ICMP and ICMPv6 types and codes, by the names nft
 * uses or by number: "echo-request", "3/4", "destination-unreachable/port-unreachable".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pal-value-private.h"

typedef struct
{
  const char *name;
  guint8      number;
} Name;

typedef struct
{
  const char *family;          /* "ICMP" or "ICMPv6", for messages */
  const Name *types;
  gsize       n_types;
  guint8      unreachable;     /* the type whose codes have names */
  const Name *codes;
  gsize       n_codes;
} IcmpSyntax;

static const Name icmp_types[] = {
  { "echo-reply", 0 },
  { "destination-unreachable", 3 },
  { "source-quench", 4 },
  { "redirect", 5 },
  { "echo-request", 8 },
  { "router-advertisement", 9 },
  { "router-solicitation", 10 },
  { "time-exceeded", 11 },
  { "parameter-problem", 12 },
  { "timestamp-request", 13 },
  { "timestamp-reply", 14 },
  { "info-request", 15 },
  { "info-reply", 16 },
  { "address-mask-request", 17 },
  { "address-mask-reply", 18 },
};

static const Name icmp_codes[] = {
  { "net-unreachable", 0 },
  { "host-unreachable", 1 },
  { "prot-unreachable", 2 },
  { "port-unreachable", 3 },
  { "frag-needed", 4 },
  { "net-prohibited", 9 },
  { "host-prohibited", 10 },
  { "admin-prohibited", 13 },
};

/* The first name of a number is the one printed; later ones are aliases. */
static const Name icmpv6_types[] = {
  { "destination-unreachable", 1 },
  { "packet-too-big", 2 },
  { "time-exceeded", 3 },
  { "parameter-problem", 4 },
  { "echo-request", 128 },
  { "echo-reply", 129 },
  { "mld-listener-query", 130 },
  { "mld-listener-report", 131 },
  { "mld-listener-done", 132 },
  { "mld-listener-reduction", 132 },
  { "nd-router-solicit", 133 },
  { "nd-router-advert", 134 },
  { "nd-neighbor-solicit", 135 },
  { "nd-neighbor-advert", 136 },
  { "nd-redirect", 137 },
  { "router-renumbering", 138 },
  { "ind-neighbor-solicit", 141 },
  { "ind-neighbor-advert", 142 },
  { "mld2-listener-report", 143 },
};

static const Name icmpv6_codes[] = {
  { "no-route", 0 },
  { "admin-prohibited", 1 },
  { "addr-unreachable", 3 },
  { "port-unreachable", 4 },
  { "policy-fail", 5 },
  { "reject-route", 6 },
};

static const IcmpSyntax icmp_syntax = {
  "ICMP", icmp_types, G_N_ELEMENTS (icmp_types),
  3, icmp_codes, G_N_ELEMENTS (icmp_codes),
};

static const IcmpSyntax icmpv6_syntax = {
  "ICMPv6", icmpv6_types, G_N_ELEMENTS (icmpv6_types),
  1, icmpv6_codes, G_N_ELEMENTS (icmpv6_codes),
};

static gboolean
find_number (const Name *names,
             gsize       n_names,
             const char *text,
             guint8     *number)
{
  guint64 parsed;

  if (pal_value_parse_uint (text, 255, &parsed))
    {
      *number = parsed;
      return TRUE;
    }
  for (gsize i = 0; i < n_names; i++)
    if (g_ascii_strcasecmp (names[i].name, text) == 0)
      {
        *number = names[i].number;
        return TRUE;
      }
  return FALSE;
}

static const char *
find_name (const Name *names,
           gsize       n_names,
           guint8      number)
{
  for (gsize i = 0; i < n_names; i++)
    if (names[i].number == number)
      return names[i].name;
  return NULL;
}

static gboolean
is_code_name (const IcmpSyntax *syntax,
              const char       *text)
{
  guint8 ignored;

  return find_number (syntax->codes, syntax->n_codes, text, &ignored)
         && !g_ascii_isdigit (*text);
}

static gboolean
parse_code (const IcmpSyntax  *syntax,
            const char        *item,
            const char        *text,
            PalIcmpType       *icmp,
            GError           **error)
{
  guint64 number;
  guint8 code;

  if (pal_value_parse_uint (text, 255, &number))
    {
      icmp->code = number;
      return TRUE;
    }
  if (icmp->type == syntax->unreachable
      && find_number (syntax->codes, syntax->n_codes, text, &code))
    {
      icmp->code = code;
      return TRUE;
    }

  if (is_code_name (syntax, text))
    pal_value_set_invalid (error,
                           _("In \"%s\", %s is a code of destination-unreachable only."),
                           item, text);
  else
    pal_value_set_invalid (error,
                           _("In \"%s\", \"%s\" is not an %s code; write a number from 0 "
                             "to 255 or a name like port-unreachable."),
                           item, text, syntax->family);
  return FALSE;
}

static gboolean
parse_icmp_item (PalValue    *value,
                 const char  *item,
                 gpointer     user_data,
                 GError     **error)
{
  const IcmpSyntax *syntax = user_data;
  const char *slash = strchr (item, '/');
  g_autofree char *type = g_strstrip (slash != NULL ? g_strndup (item, slash - item)
                                                   : g_strdup (item));
  PalIcmpType icmp;

  /* Zeroed as a whole: values are compared byte by byte, padding included. */
  memset (&icmp, 0, sizeof icmp);
  icmp.code = -1;
  if (!find_number (syntax->types, syntax->n_types, type, &icmp.type))
    {
      pal_value_set_invalid (error,
                             _("\"%s\" is not an %s type; write a name like echo-request "
                               "or a number from 0 to 255."), type, syntax->family);
      return FALSE;
    }
  if (slash != NULL)
    {
      g_autofree char *code = g_strstrip (g_strdup (slash + 1));

      if (!parse_code (syntax, item, code, &icmp, error))
        return FALSE;
    }
  g_array_append_val (value->icmp, icmp);
  return TRUE;
}

static void
print_icmp (const PalValue   *value,
            const IcmpSyntax *syntax,
            GString          *out)
{
  for (guint i = 0; value->icmp != NULL && i < value->icmp->len; i++)
    {
      const PalIcmpType *icmp = &g_array_index (value->icmp, PalIcmpType, i);
      const char *type = find_name (syntax->types, syntax->n_types, icmp->type);
      const char *code = NULL;

      if (i > 0)
        g_string_append (out, ", ");
      if (type != NULL)
        g_string_append (out, type);
      else
        g_string_append_printf (out, "%u", icmp->type);
      if (icmp->code < 0)
        continue;
      if (icmp->type == syntax->unreachable)
        code = find_name (syntax->codes, syntax->n_codes, icmp->code);
      if (code != NULL)
        g_string_append_printf (out, "/%s", code);
      else
        g_string_append_printf (out, "/%d", icmp->code);
    }
}

gboolean
pal_value_parse_icmp_type (PalValue    *value,
                           const char  *text,
                           GError     **error)
{
  value->icmp = g_array_new (FALSE, TRUE, sizeof (PalIcmpType));
  return pal_value_parse_list (value, text, parse_icmp_item, (gpointer) &icmp_syntax, error);
}

void
pal_value_print_icmp_type (const PalValue *value,
                           GString        *out)
{
  print_icmp (value, &icmp_syntax, out);
}

gboolean
pal_value_parse_icmpv6_type (PalValue    *value,
                             const char  *text,
                             GError     **error)
{
  value->icmp = g_array_new (FALSE, TRUE, sizeof (PalIcmpType));
  return pal_value_parse_list (value, text, parse_icmp_item, (gpointer) &icmpv6_syntax, error);
}

void
pal_value_print_icmpv6_type (const PalValue *value,
                             GString        *out)
{
  print_icmp (value, &icmpv6_syntax, out);
}
