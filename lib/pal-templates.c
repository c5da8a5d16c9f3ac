/* pal-templates.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pal-fwdoc.h"
#include "pal-templates.h"
#include "pal-templates-resources.h"

#define TEMPLATES_PATH "/io/github/palisade/Palisade/templates/"

static const PalTemplate templates[] = {
  { "default",
    N_("Getting Started"),
    N_("Pass by default; drop spoofed, probing and flooding traffic") },
  { "allow-all",
    N_("Allow All Incoming Connections"),
    N_("No filtering: every packet passes") },
  { "block-all",
    N_("Block All Incoming Connections"),
    N_("Only replies and essential services such as DHCP come in") },
  { "services",
    N_("Allow Specific Services and Applications"),
    N_("Block incoming connections except those of the listed services, in stealth mode") },
};

const PalTemplate *
pal_templates_get_all (guint *n_templates)
{
  g_return_val_if_fail (n_templates != NULL, NULL);

  *n_templates = G_N_ELEMENTS (templates);
  return templates;
}

const PalTemplate *
pal_templates_lookup (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    if (g_str_equal (templates[i].id, id))
      return &templates[i];
  return NULL;
}

const char *
pal_template_get_title (const PalTemplate *tmpl)
{
  g_return_val_if_fail (tmpl != NULL, NULL);

  return _(tmpl->title);
}

const char *
pal_template_get_description (const PalTemplate *tmpl)
{
  g_return_val_if_fail (tmpl != NULL, NULL);

  return _(tmpl->description);
}

/* The generated code registers the resource only when asked (the build
 * passes --manual-register), which a static library needs: constructors in
 * an object nothing references would never run. */
static GResource *
get_resource (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      pal_templates_register_resource ();
      g_once_init_leave (&registered, 1);
    }
  return pal_templates_get_resource ();
}

GBytes *
pal_templates_get_data (const char  *id,
                        GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Only the listed ids: an id is never a path into the resource. */
  if (pal_templates_lookup (id) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no template named “%s”"), id);
      return NULL;
    }
  path = g_strconcat (TEMPLATES_PATH, id, ".fwdoc", NULL);
  return g_resource_lookup_data (get_resource (), path,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

PalDocument *
pal_templates_load (const char  *id,
                    GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *display_name = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = pal_templates_get_data (id, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);
  display_name = g_strconcat (id, ".fwdoc", NULL);
  /* The reader validates too: a template with a problem (our bug; the tests
   * keep the shipped files clean) fails with every problem in error. */
  return pal_fwdoc_load_data (data, length, display_name, NULL, error);
}
