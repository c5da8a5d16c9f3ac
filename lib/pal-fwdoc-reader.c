/* pal-fwdoc-reader.c — .fwdoc text to PalDocument, with every problem located.
 *
 * The text goes through PalJsonLocator first (encoding, syntax, depth),
 * then json-glib builds the tree, then this file turns the tree into the
 * model, noting each problem with its JSON path. The validator then checks
 * the model; its problems about fields the reader already found wrong are
 * left out, so each mistake is told once. Finally the locator turns all
 * paths into lines and columns in one pass.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "pal-fwdoc-private.h"
#include "pal-json-locator.h"
#include "pal-validator.h"
#include "pal-value.h"

/* Problems told in full; the rest are counted. */
#define MAX_REPORTED 100
/* Problems kept while reading, before sorting by position. */
#define MAX_KEPT 1000

typedef struct
{
  GPtrArray  *problems;
  guint       n_dropped;
  GHashTable *faulty;          /* paths the reader found wrong */
  guint       n_rules;
  gboolean    too_many_rules;
} Reader;

static void reader_add (Reader           *r,
                        PalDocumentError  code,
                        const char       *path,
                        PalRule          *rule,
                        const char       *format,
                        ...) G_GNUC_PRINTF (5, 6);

static void
reader_add (Reader           *r,
            PalDocumentError  code,
            const char       *path,
            PalRule          *rule,
            const char       *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (path != NULL)
    g_hash_table_add (r->faulty, g_strdup (path));
  if (r->problems->len >= MAX_KEPT)
    {
      r->n_dropped++;
      return;
    }

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (r->problems, pal_problem_new (code, path, rule, message));
}

/* "a string", "an array", "true", "1.5", … for "must be X, not Y" messages.
 * Strings are not quoted: they may be long. */
static char *
describe_node (JsonNode *node)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  GType type;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return g_strdup (_("an object"));
    case JSON_NODE_ARRAY:
      return g_strdup (_("an array"));
    case JSON_NODE_NULL:
      return g_strdup ("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return g_strdup (_("a string"));
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
}

static void
report_type (Reader     *r,
             const char *path,
             PalRule    *rule,
             const char *expected,
             JsonNode   *node)
{
  g_autofree char *found = describe_node (node);

  reader_add (r, PAL_DOCUMENT_ERROR_TYPE, path, rule, _("Must be %s, not %s."), expected, found);
}

static gboolean
node_is (JsonNode *node,
         GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* The member, or NULL when it is absent; *path is set to its path. */
static JsonNode *
member (JsonObject *object,
        const char *object_path,
        const char *name,
        char      **path)
{
  *path = pal_json_path_member (object_path, name);
  return json_object_get_member (object, name);
}

static gboolean
read_bool (Reader     *r,
           JsonObject *object,
           const char *object_path,
           const char *name,
           PalRule    *rule,
           gboolean   *value)
{
  g_autofree char *path = NULL;
  JsonNode *node = member (object, object_path, name, &path);

  if (node == NULL)
    return FALSE;
  if (!node_is (node, G_TYPE_BOOLEAN))
    {
      report_type (r, path, rule, _("true or false"), node);
      return FALSE;
    }
  *value = json_node_get_boolean (node);
  return TRUE;
}

/* The string member (owned by the tree), NULL when absent or not a string. */
static const char *
read_string (Reader     *r,
             JsonObject *object,
             const char *object_path,
             const char *name,
             PalRule    *rule)
{
  g_autofree char *path = NULL;
  JsonNode *node = member (object, object_path, name, &path);

  if (node == NULL)
    return NULL;
  if (!node_is (node, G_TYPE_STRING))
    {
      report_type (r, path, rule, _("a string"), node);
      return NULL;
    }
  return json_node_get_string (node);
}

/* An integer member; FALSE when absent or not an integer. */
static gboolean
read_integer (Reader     *r,
              JsonObject *object,
              const char *object_path,
              const char *name,
              gint64     *value)
{
  g_autofree char *path = NULL;
  JsonNode *node = member (object, object_path, name, &path);

  if (node == NULL)
    return FALSE;
  if (!node_is (node, G_TYPE_INT64))
    {
      report_type (r, path, NULL, _("a whole number"), node);
      return FALSE;
    }
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
read_duration (Reader     *r,
               JsonObject *object,
               const char *object_path,
               const char *name,
               guint64    *seconds)
{
  g_autofree char *path = pal_json_path_member (object_path, name);
  g_autoptr(GError) error = NULL;
  const char *text = read_string (r, object, object_path, name, NULL);

  if (text == NULL)
    return FALSE;
  if (!pal_duration_parse (text, seconds, &error))
    {
      reader_add (r, PAL_DOCUMENT_ERROR_INVALID_VALUE, path, NULL, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* An object member; NULL when absent or not an object. */
static JsonObject *
read_object (Reader     *r,
             JsonObject *object,
             const char *object_path,
             const char *name)
{
  g_autofree char *path = NULL;
  JsonNode *node = member (object, object_path, name, &path);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      report_type (r, path, NULL, _("an object"), node);
      return NULL;
    }
  return json_node_get_object (node);
}

static JsonArray *
read_array (Reader     *r,
            JsonObject *object,
            const char *object_path,
            const char *name,
            PalRule    *rule)
{
  g_autofree char *path = NULL;
  JsonNode *node = member (object, object_path, name, &path);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      report_type (r, path, rule, _("an array"), node);
      return NULL;
    }
  return json_node_get_array (node);
}

/* An array of strings; an element of another type is reported and read as
 * "" so the indexes of the others stay those of the file. */
static GStrv
read_strings (Reader     *r,
              JsonObject *object,
              const char *object_path,
              const char *name,
              guint       max)
{
  g_autofree char *path = pal_json_path_member (object_path, name);
  JsonArray *array = read_array (r, object, object_path, name, NULL);
  g_autoptr(GStrvBuilder) builder = NULL;
  guint n;

  if (array == NULL)
    return NULL;
  n = json_array_get_length (array);
  if (n > max)
    {
      reader_add (r, PAL_DOCUMENT_ERROR_LIMIT, path, NULL,
                  _("The list has %u entries; it may have at most %u."), n, max);
      return NULL;
    }

  builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (node_is (node, G_TYPE_STRING))
        {
          g_strv_builder_add (builder, json_node_get_string (node));
          continue;
        }
      g_autofree char *element_path = pal_json_path_index (path, i);
      report_type (r, element_path, NULL, _("a string"), node);
      g_strv_builder_add (builder, "");
    }
  return g_strv_builder_end (builder);
}

/* The members of object that this version does not know, or NULL. */
static JsonObject *
extra_members (JsonObject        *object,
               const char *const *known)
{
  g_autoptr(JsonObject) extra = json_object_new ();
  GList *names = json_object_get_members (object);

  for (GList *l = names; l != NULL; l = l->next)
    if (!pal_fwdoc_is_known_member (known, l->data))
      json_object_set_member (extra, l->data,
                              json_node_copy (json_object_get_member (object, l->data)));
  g_list_free (names);

  return json_object_get_size (extra) > 0 ? g_steal_pointer (&extra) : NULL;
}

/* ------------------------------------------------------------------ */
/* Rules                                                               */

static void read_children (Reader     *r,
                           JsonObject *object,
                           const char *path,
                           PalRule    *rule,
                           guint       depth);

static void
read_property (Reader     *r,
               JsonObject *object,
               const char *path,
               PalRule    *rule)
{
  g_autofree char *member_path = pal_json_path_member (path, "property");
  const char *name;
  const char *reason;
  PalProperty property;

  if (!json_object_has_member (object, "property"))
    {
      reader_add (r, PAL_DOCUMENT_ERROR_MISSING, member_path, rule,
                  _("Missing: every rule needs a property."));
      return;
    }
  name = read_string (r, object, path, "property", rule);
  if (name == NULL)
    return;
  if (pal_property_from_string (name, &property))
    pal_rule_set_property (rule, property);
  else if ((reason = pal_property_unsupported_reason (name)) != NULL)
    reader_add (r, PAL_DOCUMENT_ERROR_UNSUPPORTED, member_path, rule, "%s", reason);
  else
    reader_add (r, PAL_DOCUMENT_ERROR_INVALID_VALUE, member_path, rule,
                _("\"%s\" is not a property."), name);
}

static void
read_action (Reader     *r,
             JsonObject *object,
             const char *path,
             PalRule    *rule)
{
  g_autofree char *member_path = pal_json_path_member (path, "action");
  const char *name;
  const char *reason;
  PalAction action;

  if (!json_object_has_member (object, "action"))
    {
      reader_add (r, PAL_DOCUMENT_ERROR_MISSING, member_path, rule,
                  _("Missing: every rule needs an action."));
      return;
    }
  name = read_string (r, object, path, "action", rule);
  if (name == NULL)
    return;
  if (pal_action_from_string (name, &action))
    pal_rule_set_action (rule, action);
  else if ((reason = pal_action_unsupported_reason (name)) != NULL)
    reader_add (r, PAL_DOCUMENT_ERROR_UNSUPPORTED, member_path, rule, "%s", reason);
  else
    reader_add (r, PAL_DOCUMENT_ERROR_INVALID_VALUE, member_path, rule,
                _("\"%s\" is not an action."), name);
}

static void
read_relation (Reader     *r,
               JsonObject *object,
               const char *path,
               PalRule    *rule)
{
  const char *name = read_string (r, object, path, "relation", rule);
  PalRelation relation;

  if (name == NULL)
    return;
  if (pal_relation_from_string (name, &relation))
    {
      pal_rule_set_relation (rule, relation);
      return;
    }
  g_autofree char *member_path = pal_json_path_member (path, "relation");
  reader_add (r, PAL_DOCUMENT_ERROR_INVALID_VALUE, member_path, rule,
              _("\"%s\" is not a relation; write is or is-not."), name);
  /* The validator narrows the children's traffic only below "is"; a
   * relation we could not read must not make their checks fail too. */
  pal_rule_set_relation (rule, PAL_RELATION_IS_NOT);
}

static void
read_id (Reader     *r,
         JsonObject *object,
         const char *path,
         PalRule    *rule)
{
  const char *id = read_string (r, object, path, "id", rule);

  if (id == NULL || pal_rule_set_id (rule, id))
    return;
  g_autofree char *member_path = pal_json_path_member (path, "id");
  reader_add (r, PAL_DOCUMENT_ERROR_INVALID_VALUE, member_path, rule,
              _("\"%s\" is not a rule id; an id is a UUID like "
                "5f0c6a4e-6a8e-4d6b-9f43-0d1f9d8a2b11."), id);
}

/* Counts a rule; FALSE once the outline is too large (told once). */
static gboolean
count_rule (Reader     *r,
            const char *path)
{
  if (r->too_many_rules)
    return FALSE;
  if (++r->n_rules <= PAL_DOCUMENT_MAX_RULES)
    return TRUE;
  r->too_many_rules = TRUE;
  reader_add (r, PAL_DOCUMENT_ERROR_LIMIT, path, NULL,
              _("The outline has more than %d rules."), PAL_DOCUMENT_MAX_RULES);
  return FALSE;
}

/* Reads the rule at path; a member that is wrong is reported and left at
 * its default. Returns NULL only when there is no rule to speak of. */
static PalRule *
read_rule (Reader     *r,
           JsonNode   *node,
           const char *path,
           guint       depth)
{
  g_autoptr(PalRule) rule = NULL;
  g_autoptr(JsonObject) extra = NULL;
  JsonObject *object;
  const char *text;
  gboolean flag;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      report_type (r, path, NULL, _("an object (a rule)"), node);
      /* A stand-in, so that the paths of the rules after it stay right. */
      return pal_rule_new (PAL_PROPERTY_ANY, PAL_ACTION_PASS);
    }
  if (!count_rule (r, path))
    return NULL;

  object = json_node_get_object (node);
  rule = pal_rule_new (PAL_PROPERTY_ANY, PAL_ACTION_PASS);
  read_id (r, object, path, rule);
  if (read_bool (r, object, path, "enabled", rule, &flag))
    pal_rule_set_enabled (rule, flag);
  if ((text = read_string (r, object, path, "name", rule)) != NULL)
    pal_rule_set_name (rule, text);
  read_property (r, object, path, rule);
  read_relation (r, object, path, rule);
  if ((text = read_string (r, object, path, "value", rule)) != NULL)
    pal_rule_set_value (rule, text);
  read_action (r, object, path, rule);
  if ((text = read_string (r, object, path, "parameter", rule)) != NULL)
    pal_rule_set_parameter (rule, text);
  if (read_bool (r, object, path, "read-only", rule, &flag))
    pal_rule_set_read_only (rule, flag);
  read_children (r, object, path, rule, depth);

  extra = extra_members (object, pal_fwdoc_rule_members);
  pal_rule_set_extra (rule, extra);
  return g_steal_pointer (&rule);
}

/* Rules of array (at path) into rules, stopping once there are too many. */
static void
read_rule_array (Reader     *r,
                 JsonArray  *array,
                 const char *path,
                 guint       depth,
                 GPtrArray  *rules)
{
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *rule_path = pal_json_path_index (path, i);
      PalRule *rule = read_rule (r, json_array_get_element (array, i), rule_path, depth);

      if (rule == NULL)
        return;
      g_ptr_array_add (rules, rule);
    }
}

static void
read_children (Reader     *r,
               JsonObject *object,
               const char *path,
               PalRule    *rule,
               guint       depth)
{
  g_autofree char *children_path = pal_json_path_member (path, "children");
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array = read_array (r, object, path, "children", rule);

  if (array == NULL || json_array_get_length (array) == 0)
    return;
  if (depth + 1 >= PAL_DOCUMENT_MAX_DEPTH)
    {
      reader_add (r, PAL_DOCUMENT_ERROR_LIMIT, children_path, rule,
                  _("Rules may nest at most %d levels deep."), PAL_DOCUMENT_MAX_DEPTH);
      return;
    }

  read_rule_array (r, array, children_path, depth + 1, children);
  for (guint i = 0; i < children->len; i++)
    pal_rule_append_child (rule, g_ptr_array_index (children, i));
}

/* ------------------------------------------------------------------ */
/* Document settings                                                   */

static void
read_version (Reader      *r,
              JsonObject  *object,
              PalDocument *document)
{
  gint64 version;

  if (!json_object_has_member (object, "fwdoc"))
    {
      reader_add (r, PAL_DOCUMENT_ERROR_MISSING, "fwdoc", NULL,
                  _("Missing: a document starts with its format version, \"fwdoc\": %d."),
                  PAL_FWDOC_VERSION);
      return;
    }
  if (!read_integer (r, object, "", "fwdoc", &version))
    return;
  if (version < 1 || version > G_MAXUINT)
    {
      reader_add (r, PAL_DOCUMENT_ERROR_VERSION, "fwdoc", NULL,
                  _("%lld is not a format version; versions count from 1."),
                  (long long) version);
      return;
    }
  /* A newer version is read as far as we understand it; what we do not
   * know is kept, and the version number is written back with it. */
  pal_document_set_format_version (document, version);
}

static void
read_default (Reader      *r,
              JsonObject  *object,
              PalDocument *document)
{
  const char *name = read_string (r, object, "", "default", NULL);
  PalVerdict verdict;

  if (name == NULL)
    return;
  if (pal_verdict_from_string (name, &verdict))
    pal_document_set_default_verdict (document, verdict);
  else
    reader_add (r, PAL_DOCUMENT_ERROR_INVALID_VALUE, "default", NULL,
                _("\"%s\" is not a verdict; write pass, drop or reject."), name);
}

static void
read_interface (Reader      *r,
                JsonNode    *node,
                const char  *name,
                PalDocument *document)
{
  g_autofree char *path = pal_json_path_member ("interfaces", name);
  g_autoptr(PalInterfaceConfig) config = NULL;
  g_autoptr(JsonObject) extra = NULL;
  JsonObject *object;
  gboolean flag;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      report_type (r, path, NULL, _("an object"), node);
      return;
    }
  object = json_node_get_object (node);
  config = pal_interface_config_new (name);
  if (read_bool (r, object, path, "filter", NULL, &flag))
    pal_interface_config_set_filter (config, flag);
  if (read_bool (r, object, path, "external", NULL, &flag))
    pal_interface_config_set_external (config, flag);
  if (read_bool (r, object, path, "bridge", NULL, &flag))
    pal_interface_config_set_bridge (config, flag);
  extra = extra_members (object, pal_fwdoc_interface_members);
  pal_interface_config_set_extra (config, extra);
  pal_document_set_interface (document, config);
}

static void
read_interfaces (Reader      *r,
                 JsonObject  *root,
                 PalDocument *document)
{
  JsonObject *object = read_object (r, root, "", "interfaces");
  GList *names;

  if (object == NULL)
    return;
  if (json_object_get_size (object) > PAL_DOCUMENT_MAX_INTERFACES)
    {
      reader_add (r, PAL_DOCUMENT_ERROR_LIMIT, "interfaces", NULL,
                  _("There are %u interfaces; a document may list at most %d."),
                  json_object_get_size (object), PAL_DOCUMENT_MAX_INTERFACES);
      return;
    }

  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    read_interface (r, json_object_get_member (object, l->data), l->data, document);
  g_list_free (names);
}

static void
read_triggered (Reader      *r,
                JsonObject  *root,
                PalDocument *document)
{
  JsonObject *object = read_object (r, root, "", "triggered");
  g_autoptr(JsonObject) extra = NULL;
  g_auto(GStrv) trusted = NULL;
  guint64 seconds;

  if (object == NULL)
    return;
  if (read_duration (r, object, "triggered", "duration", &seconds))
    pal_document_set_trigger_duration (document, seconds);
  trusted = read_strings (r, object, "triggered", "trusted", PAL_DOCUMENT_MAX_TRUSTED);
  if (trusted != NULL)
    pal_document_set_trusted (document, (const char * const *) trusted);
  extra = extra_members (object, pal_fwdoc_triggered_members);
  pal_document_set_triggered_extra (document, extra);
}

static void
read_failures (Reader              *r,
               JsonObject          *object,
               PalAdaptiveSettings *adaptive)
{
  gint64 failures;

  if (!read_integer (r, object, "adaptive", "failures", &failures))
    return;
  /* The range itself is the validator's; here only what fits the model. */
  if (failures < 0 || failures > G_MAXUINT)
    reader_add (r, PAL_DOCUMENT_ERROR_INVALID_VALUE, "adaptive.failures", NULL,
                _("The number of failures must be from 1 to %d, not %lld."),
                1000, (long long) failures);
  else
    adaptive->failures = failures;
}

static void
read_adaptive (Reader      *r,
               JsonObject  *root,
               PalDocument *document)
{
  JsonObject *object = read_object (r, root, "", "adaptive");
  g_autoptr(PalAdaptiveSettings) adaptive = NULL;
  g_autoptr(JsonObject) extra = NULL;
  GStrv services;

  if (object == NULL)
    return;
  adaptive = pal_adaptive_settings_copy (pal_document_get_adaptive (document));
  read_bool (r, object, "adaptive", "enabled", NULL, &adaptive->enabled);
  read_failures (r, object, adaptive);
  read_duration (r, object, "adaptive", "window", &adaptive->window);
  read_duration (r, object, "adaptive", "duration", &adaptive->duration);
  read_duration (r, object, "adaptive", "max-duration", &adaptive->max_duration);
  services = read_strings (r, object, "adaptive", "services", G_MAXUINT);
  if (services != NULL)
    {
      g_strfreev (adaptive->services);
      adaptive->services = services;
    }
  pal_document_set_adaptive (document, adaptive);
  extra = extra_members (object, pal_fwdoc_adaptive_members);
  pal_document_set_adaptive_extra (document, extra);
}

static void
read_rules (Reader      *r,
            JsonObject  *root,
            PalDocument *document)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array = read_array (r, root, "", "rules", NULL);

  if (array == NULL)
    return;
  read_rule_array (r, array, "rules", 0, rules);
  pal_document_set_rules (document, rules);
}

static PalDocument *
read_document (Reader   *r,
               JsonNode *root)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(JsonObject) extra = NULL;
  JsonObject *object;
  gboolean enabled;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *what = describe_node (root);
      reader_add (r, PAL_DOCUMENT_ERROR_TYPE, "", NULL,
                  _("A document must be a JSON object, not %s."), what);
      return NULL;
    }
  object = json_node_get_object (root);
  read_version (r, object, document);
  if (read_bool (r, object, "", "enabled", NULL, &enabled))
    pal_document_set_enabled (document, enabled);
  read_default (r, object, document);
  read_interfaces (r, object, document);
  read_triggered (r, object, document);
  read_adaptive (r, object, document);
  read_rules (r, object, document);
  extra = extra_members (object, pal_fwdoc_document_members);
  pal_document_set_extra (document, extra);
  return g_steal_pointer (&document);
}

/* ------------------------------------------------------------------ */
/* Putting it together                                                 */

static void
reader_init (Reader *r)
{
  memset (r, 0, sizeof *r);
  r->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) pal_problem_free);
  r->faulty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
reader_clear (Reader *r)
{
  g_clear_pointer (&r->problems, g_ptr_array_unref);
  g_clear_pointer (&r->faulty, g_hash_table_unref);
}

static gboolean
is_faulty (Reader     *r,
           const char *rule_path,
           const char *name)
{
  g_autofree char *path = pal_json_path_member (rule_path, name);

  return g_hash_table_contains (r->faulty, path);
}

/* A validator problem that only follows from one the reader told: a value
 * checked against a property the reader could not read, and the like. */
static gboolean
is_consequence (Reader           *r,
                const PalProblem *problem)
{
  const char *dot;
  g_autofree char *rule_path = NULL;

  if (problem->path == NULL)
    return FALSE;
  if (g_hash_table_contains (r->faulty, problem->path))
    return TRUE;

  dot = strrchr (problem->path, '.');
  if (dot == NULL || strchr (dot, ']') != NULL)
    return FALSE;
  rule_path = g_strndup (problem->path, dot - problem->path);
  if (g_str_equal (dot + 1, "value") || g_str_equal (dot + 1, "property"))
    return is_faulty (r, rule_path, "property") || is_faulty (r, rule_path, "value") ||
           is_faulty (r, rule_path, "relation");
  if (g_str_equal (dot + 1, "parameter"))
    return is_faulty (r, rule_path, "action");
  return FALSE;
}

static void
add_validation (Reader    *r,
                GPtrArray *found)
{
  for (guint i = 0; i < found->len; i++)
    {
      PalProblem *problem = g_ptr_array_index (found, i);

      if (is_consequence (r, problem))
        continue;
      if (r->problems->len >= MAX_KEPT)
        r->n_dropped++;
      else
        g_ptr_array_add (r->problems, pal_problem_copy (problem));
    }
}

static int
compare_positions (gconstpointer a,
                   gconstpointer b)
{
  const PalProblem *pa = *(PalProblem **) a;
  const PalProblem *pb = *(PalProblem **) b;

  if (pa->line != pb->line)
    return pa->line < pb->line ? -1 : 1;
  if (pa->column != pb->column)
    return pa->column < pb->column ? -1 : 1;
  return 0;
}

/* Locates, sorts by position (stable: same place keeps reading order),
 * and keeps the first MAX_REPORTED, with a last line saying how many more. */
static GPtrArray *
reader_finish (Reader         *r,
               PalJsonLocator *locator)
{
  GPtrArray *problems = g_steal_pointer (&r->problems);
  guint more;

  if (locator != NULL)
    pal_json_locator_locate (locator, problems);
  g_ptr_array_sort (problems, compare_positions);

  more = r->n_dropped;
  if (problems->len > MAX_REPORTED)
    {
      more += problems->len - MAX_REPORTED;
      g_ptr_array_set_size (problems, MAX_REPORTED);
    }
  if (more > 0)
    {
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "… and %u more problem.",
                                      "… and %u more problems.", more), more);
      g_ptr_array_add (problems, pal_problem_new (PAL_DOCUMENT_ERROR_LIMIT, NULL, NULL, message));
    }
  return problems;
}

/* The tree of text, or NULL with the problem noted. */
static JsonNode *
parse_text (Reader          *r,
            const char      *data,
            gsize            length,
            PalJsonLocator **locator,
            JsonParser     **parser)
{
  PalProblem *problem = NULL;
  g_autoptr(GError) error = NULL;

  *locator = pal_json_locator_new (data, length, PAL_JSON_MAX_DEPTH, &problem);
  if (*locator == NULL)
    {
      g_ptr_array_add (r->problems, problem);
      return NULL;
    }

  *parser = json_parser_new ();
  if (!json_parser_load_from_data (*parser, pal_json_locator_get_text (*locator),
                                   pal_json_locator_get_length (*locator), &error))
    {
      /* The locator accepts only strict JSON, so this is json-glib's own
       * limit (a number out of its range, say). */
      reader_add (r, PAL_DOCUMENT_ERROR_SYNTAX, NULL, NULL, "%s", error->message);
      return NULL;
    }
  return json_parser_get_root (*parser);
}

static gboolean
check_size (Reader *r,
            guint64 size)
{
  if (size <= PAL_DOCUMENT_MAX_SIZE)
    return TRUE;
  reader_add (r, PAL_DOCUMENT_ERROR_LIMIT, NULL, NULL,
              _("The text has %llu bytes; a document may have at most "
                "%d (256 MiB)."), (unsigned long long) size, PAL_DOCUMENT_MAX_SIZE);
  return FALSE;
}

/* Hands out problems and error; returns result when there are no problems. */
static gpointer
reader_return (Reader          *r,
               PalJsonLocator  *locator,
               gpointer         result,
               GDestroyNotify   free_result,
               const char      *display_name,
               GPtrArray      **problems,
               GError         **error)
{
  g_autoptr(GPtrArray) found = reader_finish (r, locator);

  reader_clear (r);
  if (found->len > 0)
    {
      pal_problems_to_error (found, display_name, error);
      g_clear_pointer (&result, free_result);
    }
  if (problems != NULL)
    *problems = g_steal_pointer (&found);
  return result;
}

PalDocument *
pal_fwdoc_load_data (const char   *data,
                     gssize        length,
                     const char   *display_name,
                     GPtrArray   **problems,
                     GError      **error)
{
  g_autoptr(PalJsonLocator) locator = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(PalDocument) document = NULL;
  JsonNode *root;
  Reader r;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reader_init (&r);
  if (length < 0)
    length = strlen (data);

  if (check_size (&r, length) &&
      (root = parse_text (&r, data, length, &locator, &parser)) != NULL)
    document = read_document (&r, root);
  if (document != NULL)
    {
      g_autoptr(GPtrArray) found = pal_validate_document (document);
      add_validation (&r, found);
    }

  return reader_return (&r, locator, g_steal_pointer (&document), g_object_unref,
                        display_name, problems, error);
}

GPtrArray *
pal_fwdoc_rules_from_data (const char  *data,
                           gssize       length,
                           GPtrArray  **problems,
                           GError     **error)
{
  g_autoptr(PalJsonLocator) locator = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  JsonNode *root;
  Reader r;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reader_init (&r);
  if (length < 0)
    length = strlen (data);

  if (check_size (&r, length) &&
      (root = parse_text (&r, data, length, &locator, &parser)) != NULL)
    {
      rules = g_ptr_array_new_with_free_func (g_object_unref);
      if (JSON_NODE_HOLDS_ARRAY (root))
        read_rule_array (&r, json_node_get_array (root), "", 0, rules);
      else
        {
          g_autofree char *what = describe_node (root);
          reader_add (&r, PAL_DOCUMENT_ERROR_TYPE, "", NULL,
                      _("Rules on the clipboard are a JSON array of rules, not %s."), what);
        }
    }
  if (rules != NULL)
    {
      g_autoptr(GPtrArray) found = pal_validate_rules (rules);
      add_validation (&r, found);
    }

  return reader_return (&r, locator, g_steal_pointer (&rules),
                        (GDestroyNotify) g_ptr_array_unref, NULL, problems, error);
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

/* Reads at most PAL_DOCUMENT_MAX_SIZE + 1 bytes, so that a file that grows
 * (or a pipe) cannot make us read more than the limit. */
static GBytes *
read_limited (GFile         *file,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GFileInputStream) stream = g_file_read (file, cancellable, error);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint8 buffer[65536];

  if (stream == NULL)
    return NULL;
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer,
                                      cancellable, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      g_byte_array_append (bytes, buffer, n);
      if (bytes->len > PAL_DOCUMENT_MAX_SIZE)
        break;
    }
  if (!g_input_stream_close (G_INPUT_STREAM (stream), cancellable, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static PalDocument *
refuse_size (guint64      size,
             const char  *display_name,
             GPtrArray  **problems,
             GError     **error)
{
  Reader r;

  reader_init (&r);
  check_size (&r, size);
  return reader_return (&r, NULL, NULL, g_object_unref, display_name, problems, error);
}

PalDocument *
pal_fwdoc_load_file (GFile         *file,
                     GCancellable  *cancellable,
                     GPtrArray    **problems,
                     GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *display_name = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (problems != NULL)
    *problems = NULL;
  display_name = g_file_get_basename (file);

  /* Refuse a huge file before reading a byte of it. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_size (info) > PAL_DOCUMENT_MAX_SIZE)
    return refuse_size (g_file_info_get_size (info), display_name, problems, error);

  bytes = read_limited (file, cancellable, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);
  if (length > PAL_DOCUMENT_MAX_SIZE)
    return refuse_size (length, display_name, problems, error);
  return pal_fwdoc_load_data (data != NULL ? data : "", length, display_name, problems, error);
}
