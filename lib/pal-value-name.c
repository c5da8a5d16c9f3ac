/* pal-value-name.c — names of things on this computer: network interfaces
 * and systemd units (cgroups).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pal-value-private.h"

/* IFNAMSIZ less the terminating NUL. */
#define MAX_INTERFACE_NAME 15

/* systemd's UNIT_NAME_MAX less the NUL, and PATH_MAX less the NUL. */
#define MAX_UNIT_NAME   255
#define MAX_CGROUP_PATH 4095

/* The rules of the kernel's dev_valid_name(), plus what would make the
 * name ambiguous here: a '*' is the wildcard, and only at the end. */
static gboolean
check_interface_name (const char  *name,
                      GError     **error)
{
  gsize length = strlen (name);

  if (length > MAX_INTERFACE_NAME)
    {
      pal_value_set_invalid (error,
                             _("\"%s\" is too long for an interface name (at most %d "
                               "bytes)."), name, MAX_INTERFACE_NAME);
      return FALSE;
    }
  if (g_str_equal (name, "*"))
    {
      pal_value_set_invalid (error,
                             _("\"*\" alone would match every interface; use the "
                               "property any instead."));
      return FALSE;
    }
  if (g_str_equal (name, ".") || g_str_equal (name, ".."))
    goto invalid;
  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '*' && p[1] == '\0')
        break;
      if (!g_ascii_isgraph (*p) || strchr ("/:*\"\\'", *p) != NULL)
        goto invalid;
    }
  return TRUE;

invalid:
  pal_value_set_invalid (error,
                         _("\"%s\" is not an interface name; write a name like eth0, a "
                           "prefix like wlan*, external or internal."), name);
  return FALSE;
}

static gboolean
parse_interface_item (PalValue    *value,
                      const char  *item,
                      gpointer     user_data,
                      GError     **error)
{
  PalInterfaceMatch match;

  /* Zeroed as a whole: values are compared byte by byte. */
  memset (&match, 0, sizeof match);
  if (g_ascii_strcasecmp (item, "external") == 0)
    match.kind = PAL_INTERFACE_EXTERNAL;
  else if (g_ascii_strcasecmp (item, "internal") == 0)
    match.kind = PAL_INTERFACE_INTERNAL;
  else if (check_interface_name (item, error))
    {
      match.kind = PAL_INTERFACE_BY_NAME;
      memcpy (match.name, item, strlen (item));
    }
  else
    return FALSE;

  g_array_append_val (value->interfaces, match);
  return TRUE;
}

gboolean
pal_value_parse_interface (PalValue    *value,
                           const char  *text,
                           GError     **error)
{
  value->interfaces = g_array_new (FALSE, TRUE, sizeof (PalInterfaceMatch));
  return pal_value_parse_list (value, text, parse_interface_item, NULL, error);
}

void
pal_value_print_interface (const PalValue *value,
                           GString        *out)
{
  for (guint i = 0; value->interfaces != NULL && i < value->interfaces->len; i++)
    {
      const PalInterfaceMatch *match = &g_array_index (value->interfaces, PalInterfaceMatch, i);

      if (i > 0)
        g_string_append (out, ", ");
      switch (match->kind)
        {
        case PAL_INTERFACE_EXTERNAL:
          g_string_append (out, "external");
          break;
        case PAL_INTERFACE_INTERNAL:
          g_string_append (out, "internal");
          break;
        case PAL_INTERFACE_BY_NAME:
        default:
          g_string_append_len (out, match->name, strnlen (match->name, sizeof match->name));
          break;
        }
    }
}

/* Units that have processes, and so a cgroup a packet's socket can be in. */
static const char *const unit_suffixes[] = {
  ".service", ".scope", ".slice", ".socket", ".mount", ".swap",
};

static gboolean
has_unit_suffix (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (unit_suffixes); i++)
    if (g_str_has_suffix (name, unit_suffixes[i]) && !g_str_equal (name, unit_suffixes[i]))
      return TRUE;
  return FALSE;
}

/* The characters systemd allows in unit names ('\' for its escapes). */
static gboolean
is_unit_char (char c)
{
  return g_ascii_isalnum (c) || strchr (":-_.\\@", c) != NULL;
}

static gboolean
check_cgroup_path (const char  *text,
                   GError     **error)
{
  g_auto(GStrv) components = g_strsplit (text, "/", -1);

  if (text[0] == '/')
    {
      pal_value_set_invalid (error,
                             _("\"%s\" starts with \"/\"; write the path below "
                               "/sys/fs/cgroup without it, like user.slice/user-1000.slice."),
                             text);
      return FALSE;
    }
  for (guint i = 0; components[i] != NULL; i++)
    {
      const char *component = components[i];

      if (component[0] == '\0' || g_str_equal (component, ".")
          || g_str_equal (component, ".."))
        {
          pal_value_set_invalid (error,
                                 _("\"%s\" is not a cgroup path: it has an empty, \".\" "
                                   "or \"..\" part."), text);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_service_item (PalValue    *value,
                    const char  *item,
                    gpointer     user_data,
                    GError     **error)
{
  gboolean is_path = strchr (item, '/') != NULL;

  for (const char *p = item; *p != '\0'; p++)
    if (*p != '/' && !is_unit_char (*p))
      {
        pal_value_set_invalid (error,
                               _("\"%s\" is not a systemd unit name: it has a character "
                                 "other than letters, digits and \":-_.\\@\"."), item);
        return FALSE;
      }

  if (is_path)
    {
      if (!check_cgroup_path (item, error))
        return FALSE;
    }
  else if (strlen (item) > MAX_UNIT_NAME)
    {
      pal_value_set_invalid (error, _("\"%s\" is too long for a systemd unit name."), item);
      return FALSE;
    }
  else if (!has_unit_suffix (item) && strchr (item, '.') == NULL)
    {
      pal_value_set_invalid (error,
                             _("\"%s\" is not a systemd unit name; did you mean "
                               "%s.service?"), item, item);
      return FALSE;
    }
  else if (!has_unit_suffix (item))
    {
      pal_value_set_invalid (error,
                             _("\"%s\" is not a unit that runs processes; it must end in "
                               ".service, .scope, .slice, .socket, .mount or .swap."), item);
      return FALSE;
    }

  g_ptr_array_add (value->names, g_strdup (item));
  return TRUE;
}

gboolean
pal_value_parse_service (PalValue    *value,
                         const char  *text,
                         GError     **error)
{
  value->names = g_ptr_array_new_with_free_func (g_free);
  return pal_value_parse_single (value, text, MAX_CGROUP_PATH,
                                 parse_service_item, NULL, error);
}

void
pal_value_print_service (const PalValue *value,
                         GString        *out)
{
  if (value->names != NULL && value->names->len > 0)
    g_string_append (out, g_ptr_array_index (value->names, 0));
}
