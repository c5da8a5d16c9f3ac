/* pal-lockout-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <glib/gi18n-lib.h>

#include "pal-evaluator.h"
#include "pal-lockout-check.h"

void
pal_lockout_warning_free (PalLockoutWarning *warning)
{
  if (warning == NULL)
    return;
  g_free (warning->text);
  g_clear_object (&warning->rule);
  g_free (warning);
}

/* "by the rule “Name”" or "by the default verdict". */
static char *
describe_decider (const PalEvaluation *evaluation)
{
  const char *name;

  if (evaluation->rule == NULL)
    return g_strdup_printf (_("the default verdict (%s)"), pal_eval_verdict_to_string (evaluation->verdict));
  name = pal_rule_get_name (evaluation->rule);
  if (name == NULL || *name == '\0')
    name = pal_property_get_label (pal_rule_get_property (evaluation->rule));
  return g_strdup_printf (_("the rule “%s” (%s)"), name, pal_eval_verdict_to_string (evaluation->verdict));
}

static void
check_packet (PalDocument     *document,
              const PalPacket *packet,
              const char      *what,
              GPtrArray       *warnings)
{
  PalEvaluation evaluation = pal_evaluate (document, packet);
  g_autofree char *decider = NULL;
  PalLockoutWarning *warning;

  if (evaluation.verdict != PAL_EVAL_DROP && evaluation.verdict != PAL_EVAL_REJECT)
    return;
  decider = describe_decider (&evaluation);
  warning = g_new0 (PalLockoutWarning, 1);
  /* Translators: "This document would block your SSH connection …: the rule “X” (drop) blocks it." */
  warning->text = g_strdup_printf (_("This document would block %s: %s blocks it."), what, decider);
  warning->rule = evaluation.rule != NULL ? g_object_ref (evaluation.rule) : NULL;
  g_ptr_array_add (warnings, warning);
}

static gboolean
parse_port (const char *text,
            guint16    *port)
{
  guint64 number;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &number, NULL))
    return FALSE;
  *port = (guint16) number;
  return TRUE;
}

static void
check_ssh (PalDocument *document,
           const char  *ssh_connection,
           const char  *interface,
           GPtrArray   *warnings)
{
  g_auto(GStrv) fields = g_strsplit_set (ssh_connection, " ", -1);
  g_autofree char *what = NULL;
  PalPacket packet;

  pal_packet_init (&packet);
  if (g_strv_length (fields) != 4
      || !pal_packet_set_address (&packet, TRUE, fields[0])
      || !parse_port (fields[1], &packet.source_port)
      || !pal_packet_set_address (&packet, FALSE, fields[2])
      || !parse_port (fields[3], &packet.destination_port))
    return;
  packet.direction = PAL_DIRECTION_IN;
  packet.in_interface = interface;
  packet.protocol = IPPROTO_TCP;

  what = g_strdup_printf (_("your SSH connection from %s to port %u"), fields[0], packet.destination_port);
  packet.state = PAL_STATE_ESTABLISHED;
  packet.tcp_flags = PAL_TCP_ACK;
  check_packet (document, &packet, what, warnings);
  if (warnings->len > 0)
    return;   /* one warning says it */
  g_clear_pointer (&what, g_free);
  what = g_strdup_printf (_("new SSH connections from %s to port %u"), fields[0], packet.destination_port);
  packet.state = PAL_STATE_NEW;
  packet.tcp_flags = PAL_TCP_SYN;
  check_packet (document, &packet, what, warnings);
}

static void
check_neighbour_discovery (PalDocument *document,
                           GPtrArray   *warnings)
{
  const struct { guint8 type; const char *destination; const char *what; } messages[] = {
    { 135, "ff02::1:ff00:1", N_("IPv6 neighbour solicitations") },
    { 136, "fe80::1", N_("IPv6 neighbour advertisements") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      PalPacket packet;

      pal_packet_init (&packet);
      packet.direction = PAL_DIRECTION_IN;
      pal_packet_set_address (&packet, TRUE, "fe80::2");
      pal_packet_set_address (&packet, FALSE, messages[i].destination);
      packet.protocol = IPPROTO_ICMPV6;
      packet.icmp_type = messages[i].type;
      packet.icmp_code = 0;
      /* Conntrack leaves neighbour discovery untracked. */
      packet.state = PAL_STATE_UNTRACKED;
      check_packet (document, &packet, _(messages[i].what), warnings);
    }
}

GPtrArray *
pal_lockout_check (PalDocument *document,
                   const char  *ssh_connection,
                   const char  *interface)
{
  GPtrArray *warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_lockout_warning_free);

  g_return_val_if_fail (PAL_IS_DOCUMENT (document), warnings);

  if (ssh_connection != NULL && *ssh_connection != '\0')
    check_ssh (document, ssh_connection, interface, warnings);
  check_neighbour_discovery (document, warnings);
  return warnings;
}

char *
pal_lockout_find_interface (const char *address)
{
  struct ifaddrs *list = NULL;
  guint8 wanted[16] = { 0 };
  int family;
  char *name = NULL;

  g_return_val_if_fail (address != NULL, NULL);

  if (inet_pton (AF_INET, address, wanted) == 1)
    family = AF_INET;
  else if (inet_pton (AF_INET6, address, wanted) == 1)
    family = AF_INET6;
  else
    return NULL;
  if (getifaddrs (&list) != 0)
    return NULL;
  for (struct ifaddrs *item = list; item != NULL && name == NULL; item = item->ifa_next)
    {
      const void *bytes;

      if (item->ifa_addr == NULL || item->ifa_addr->sa_family != family)
        continue;
      if (family == AF_INET)
        bytes = &((struct sockaddr_in *) item->ifa_addr)->sin_addr;
      else
        bytes = &((struct sockaddr_in6 *) item->ifa_addr)->sin6_addr;
      if (memcmp (bytes, wanted, family == AF_INET ? 4 : 16) == 0)
        name = g_strdup (item->ifa_name);
    }
  freeifaddrs (list);
  return name;
}
