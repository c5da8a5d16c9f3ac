/* pal-fwdoc-writer.c — the canonical .fwdoc text, and saving it.
 *
 * Our own small serializer rather than JsonGenerator: the text must be
 * exactly one form (key order, spacing, escapes, number format), so that a
 * document reads and writes back byte for byte and diffs stay small.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "pal-fwdoc-private.h"
#include "pal-value.h"

const char *const pal_fwdoc_document_members[] = {
  "fwdoc", "enabled", "default", "log-denied", "interfaces", "triggered", "adaptive", "rules", NULL
};
const char *const pal_fwdoc_interface_members[] = {
  "filter", "external", "bridge", NULL
};
const char *const pal_fwdoc_triggered_members[] = {
  "duration", "trusted", NULL
};
const char *const pal_fwdoc_adaptive_members[] = {
  "enabled", "failures", "window", "duration", "max-duration", "services", NULL
};
const char *const pal_fwdoc_rule_members[] = {
  "id", "enabled", "name", "property", "relation", "value", "action", "parameter",
  "read-only", "children", NULL
};

gboolean
pal_fwdoc_is_known_member (const char *const *members,
                           const char        *name)
{
  return g_strv_contains (members, name);
}

/* ------------------------------------------------------------------ */
/* Layout: "{" / "[" then one member or element per line, indented two
 * spaces a level; empty containers stay "{}" / "[]".                */

typedef struct
{
  GString *out;
  guint    level;    /* of the members */
  gboolean empty;
} Container;

static void
write_indent (GString *out,
              guint    level)
{
  for (guint i = 0; i < level; i++)
    g_string_append (out, "  ");
}

static void
write_string (GString    *out,
              const char *text)
{
  g_autofree char *valid = NULL;

  /* The model takes any bytes; the file must stay readable as UTF-8. */
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\b')
        g_string_append (out, "\\b");
      else if (c == '\f')
        g_string_append (out, "\\f");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);  /* UTF-8 as is */
    }
  g_string_append_c (out, '"');
}

static void
container_begin (Container *c,
                 GString   *out,
                 guint      level,
                 char       bracket)
{
  c->out = out;
  c->level = level + 1;
  c->empty = TRUE;
  g_string_append_c (out, bracket);
}

static void
container_next (Container *c)
{
  g_string_append (c->out, c->empty ? "\n" : ",\n");
  write_indent (c->out, c->level);
  c->empty = FALSE;
}

static void
container_member (Container  *c,
                  const char *name)
{
  container_next (c);
  write_string (c->out, name);
  g_string_append (c->out, ": ");
}

static void
container_end (Container *c,
               char       bracket)
{
  if (!c->empty)
    {
      g_string_append_c (c->out, '\n');
      write_indent (c->out, c->level - 1);
    }
  g_string_append_c (c->out, bracket);
}

static void
write_bool (GString  *out,
            gboolean  value)
{
  g_string_append (out, value ? "true" : "false");
}

static void
write_duration (GString *out,
                guint64  seconds)
{
  g_autofree char *text = pal_duration_print (seconds);

  write_string (out, text);
}

static void
write_strv (GString            *out,
            guint               level,
            const char * const *strings)
{
  Container c;

  container_begin (&c, out, level, '[');
  for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
    {
      container_next (&c);
      write_string (out, strings[i]);
    }
  container_end (&c, ']');
}

/* ------------------------------------------------------------------ */
/* Members of newer versions, written back in the same style           */

/* The shortest text that reads back as the same double, and still reads
 * as a double (json-glib makes "1" an integer, so 1.0 stays "1.0"). */
static void
write_double (GString *out,
              double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
  if (strpbrk (buffer, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void write_node (GString  *out,
                        guint     level,
                        JsonNode *node);

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (a, b);
}

/* Members of object not in known (NULL: all), sorted by name. */
static void
write_members (Container         *c,
               JsonObject        *object,
               const char *const *known)
{
  GList *names;

  if (object == NULL)
    return;

  names = g_list_sort (json_object_get_members (object), compare_names);
  for (GList *l = names; l != NULL; l = l->next)
    {
      if (known != NULL && pal_fwdoc_is_known_member (known, l->data))
        continue;
      container_member (c, l->data);
      write_node (c->out, c->level, json_object_get_member (object, l->data));
    }
  g_list_free (names);
}

static void
write_array_node (GString   *out,
                  guint      level,
                  JsonArray *array)
{
  guint n = json_array_get_length (array);
  Container c;

  container_begin (&c, out, level, '[');
  for (guint i = 0; i < n; i++)
    {
      container_next (&c);
      write_node (out, c.level, json_array_get_element (array, i));
    }
  container_end (&c, ']');
}

static void
write_value_node (GString  *out,
                  JsonNode *node)
{
  GType type = json_node_get_value_type (node);

  if (type == G_TYPE_INT64)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (type == G_TYPE_DOUBLE)
    write_double (out, json_node_get_double (node));
  else if (type == G_TYPE_BOOLEAN)
    write_bool (out, json_node_get_boolean (node));
  else if (type == G_TYPE_STRING)
    write_string (out, json_node_get_string (node));
  else
    g_string_append (out, "null");
}

static void
write_node (GString  *out,
            guint     level,
            JsonNode *node)
{
  Container c;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      container_begin (&c, out, level, '{');
      write_members (&c, json_node_get_object (node), NULL);
      container_end (&c, '}');
      break;
    case JSON_NODE_ARRAY:
      write_array_node (out, level, json_node_get_array (node));
      break;
    case JSON_NODE_VALUE:
      write_value_node (out, node);
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/* ------------------------------------------------------------------ */
/* The document                                                        */

static void write_rules (GString    *out,
                         guint       level,
                         GListModel *rules);

static void
write_rule (GString *out,
            guint    level,
            PalRule *rule)
{
  GListModel *children = pal_rule_get_children (rule);
  Container c;

  container_begin (&c, out, level, '{');
  container_member (&c, "id");
  write_string (out, pal_rule_get_id (rule));
  container_member (&c, "enabled");
  write_bool (out, pal_rule_get_enabled (rule));
  container_member (&c, "name");
  write_string (out, pal_rule_get_name (rule));
  container_member (&c, "property");
  write_string (out, pal_property_to_string (pal_rule_get_property (rule)));
  container_member (&c, "relation");
  write_string (out, pal_relation_to_string (pal_rule_get_relation (rule)));
  container_member (&c, "value");
  write_string (out, pal_rule_get_value (rule));
  container_member (&c, "action");
  write_string (out, pal_action_to_string (pal_rule_get_action (rule)));
  container_member (&c, "parameter");
  write_string (out, pal_rule_get_parameter (rule));
  if (pal_rule_get_read_only (rule))
    {
      container_member (&c, "read-only");
      write_bool (out, TRUE);
    }
  if (g_list_model_get_n_items (children) > 0)
    {
      container_member (&c, "children");
      write_rules (out, c.level, children);
    }
  write_members (&c, pal_rule_get_extra (rule), pal_fwdoc_rule_members);
  container_end (&c, '}');
}

static void
write_rules (GString    *out,
             guint       level,
             GListModel *rules)
{
  guint n = g_list_model_get_n_items (rules);
  Container c;

  container_begin (&c, out, level, '[');
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (rules, i);

      container_next (&c);
      write_rule (out, c.level, rule);
    }
  container_end (&c, ']');
}

static void
write_interface (GString            *out,
                 guint               level,
                 PalInterfaceConfig *config)
{
  Container c;

  container_begin (&c, out, level, '{');
  container_member (&c, "filter");
  write_bool (out, pal_interface_config_get_filter (config));
  container_member (&c, "external");
  write_bool (out, pal_interface_config_get_external (config));
  container_member (&c, "bridge");
  write_bool (out, pal_interface_config_get_bridge (config));
  write_members (&c, pal_interface_config_get_extra (config), pal_fwdoc_interface_members);
  container_end (&c, '}');
}

static int
compare_interfaces (gconstpointer a,
                    gconstpointer b)
{
  PalInterfaceConfig *ia = *(PalInterfaceConfig **) a;
  PalInterfaceConfig *ib = *(PalInterfaceConfig **) b;

  return strcmp (pal_interface_config_get_name (ia), pal_interface_config_get_name (ib));
}

static void
write_interfaces (GString    *out,
                  guint       level,
                  GListModel *interfaces)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (interfaces);
  Container c;

  /* The model keeps them sorted already; the format must not depend on it. */
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (sorted, g_list_model_get_item (interfaces, i));
  g_ptr_array_sort (sorted, compare_interfaces);

  container_begin (&c, out, level, '{');
  for (guint i = 0; i < sorted->len; i++)
    {
      PalInterfaceConfig *config = g_ptr_array_index (sorted, i);

      container_member (&c, pal_interface_config_get_name (config));
      write_interface (out, c.level, config);
    }
  container_end (&c, '}');
}

static void
write_triggered (GString     *out,
                 guint        level,
                 PalDocument *document)
{
  Container c;

  container_begin (&c, out, level, '{');
  container_member (&c, "duration");
  write_duration (out, pal_document_get_trigger_duration (document));
  container_member (&c, "trusted");
  write_strv (out, c.level, pal_document_get_trusted (document));
  write_members (&c, pal_document_get_triggered_extra (document), pal_fwdoc_triggered_members);
  container_end (&c, '}');
}

static void
write_adaptive (GString     *out,
                guint        level,
                PalDocument *document)
{
  const PalAdaptiveSettings *adaptive = pal_document_get_adaptive (document);
  Container c;

  container_begin (&c, out, level, '{');
  container_member (&c, "enabled");
  write_bool (out, adaptive->enabled);
  container_member (&c, "failures");
  g_string_append_printf (out, "%u", adaptive->failures);
  container_member (&c, "window");
  write_duration (out, adaptive->window);
  container_member (&c, "duration");
  write_duration (out, adaptive->duration);
  container_member (&c, "max-duration");
  write_duration (out, adaptive->max_duration);
  container_member (&c, "services");
  write_strv (out, c.level, (const char * const *) adaptive->services);
  write_members (&c, pal_document_get_adaptive_extra (document), pal_fwdoc_adaptive_members);
  container_end (&c, '}');
}

static void
write_document (GString     *out,
                PalDocument *document)
{
  Container c;

  container_begin (&c, out, 0, '{');
  container_member (&c, "fwdoc");
  g_string_append_printf (out, "%u", pal_document_get_format_version (document));
  container_member (&c, "enabled");
  write_bool (out, pal_document_get_enabled (document));
  container_member (&c, "default");
  write_string (out, pal_verdict_to_string (pal_document_get_default_verdict (document)));
  container_member (&c, "log-denied");
  write_bool (out, pal_document_get_log_denied (document));
  container_member (&c, "interfaces");
  write_interfaces (out, c.level, pal_document_get_interfaces (document));
  container_member (&c, "triggered");
  write_triggered (out, c.level, document);
  container_member (&c, "adaptive");
  write_adaptive (out, c.level, document);
  container_member (&c, "rules");
  write_rules (out, c.level, pal_document_get_rules (document));
  write_members (&c, pal_document_get_extra (document), pal_fwdoc_document_members);
  container_end (&c, '}');
  g_string_append_c (out, '\n');
}

char *
pal_fwdoc_save_data (PalDocument *document,
                     gsize       *length)
{
  GString *out;

  g_return_val_if_fail (PAL_IS_DOCUMENT (document), NULL);

  out = g_string_sized_new (4096);
  write_document (out, document);
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

char *
pal_fwdoc_rules_to_data (GPtrArray *rules)
{
  GString *out;
  Container c;

  g_return_val_if_fail (rules != NULL, NULL);

  out = g_string_new (NULL);
  container_begin (&c, out, 0, '[');
  for (guint i = 0; i < rules->len; i++)
    {
      container_next (&c);
      write_rule (out, c.level, g_ptr_array_index (rules, i));
    }
  container_end (&c, ']');
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------ */
/* Saving                                                              */

/* GIO replaces a regular file through a temporary file and a rename, but
 * writes a symbolic link's target in place; so replace the target itself. */
static GFile *
resolve_links (GFile        *file,
               GCancellable *cancellable)
{
  g_autoptr(GFile) current = g_object_ref (file);

  for (guint i = 0; i < 16; i++)
    {
      g_autoptr(GFileInfo) info = NULL;
      g_autoptr(GFile) parent = NULL;
      const char *target;
      GFile *next;

      info = g_file_query_info (current,
                                G_FILE_ATTRIBUTE_STANDARD_IS_SYMLINK ","
                                G_FILE_ATTRIBUTE_STANDARD_SYMLINK_TARGET,
                                G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, NULL);
      if (info == NULL || !g_file_info_get_is_symlink (info))
        break;
      target = g_file_info_get_symlink_target (info);
      if (target == NULL)
        break;
      parent = g_file_get_parent (current);
      if (parent == NULL)
        break;
      next = g_file_resolve_relative_path (parent, target);
      g_object_unref (current);
      current = next;
    }
  return g_steal_pointer (&current);
}

gboolean
pal_fwdoc_save_file (PalDocument   *document,
                     GFile         *file,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GFile) target = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GCancellable) abandon = NULL;
  g_autofree char *data = NULL;
  gboolean existed;
  gsize length;

  g_return_val_if_fail (PAL_IS_DOCUMENT (document), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = pal_fwdoc_save_data (document, &length);
  target = resolve_links (file, cancellable);
  existed = g_file_query_exists (target, cancellable);

  stream = g_file_replace (target, NULL, TRUE, G_FILE_CREATE_NONE, cancellable, error);
  if (stream == NULL)
    return FALSE;

  if (g_output_stream_write_all (G_OUTPUT_STREAM (stream), data, length, NULL, cancellable, error) &&
      g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, error))
    return TRUE;

  /* Closing with a cancelled cancellable makes GIO delete its temporary
   * file instead of renaming the partial text over the document. A file
   * that did not exist before is written directly, so remove what we
   * wrote of it. */
  abandon = g_cancellable_new ();
  g_cancellable_cancel (abandon);
  g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
  if (!existed)
    g_file_delete (target, NULL, NULL);
  return FALSE;
}
