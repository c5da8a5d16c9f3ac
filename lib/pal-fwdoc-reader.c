/* pal-fwdoc-reader.c — .fwdoc text to PalDocument, with every problem located.
 *
 * PalJsonLocator checks the text (encoding, syntax, depth) and builds its
 * tree of values in the same pass, then this file turns the tree into the
 * model, noting each problem with its JSON path (built only for a problem). The validator then checks
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

static void G_GNUC_PRINTF (5, 0)
reader_addv (Reader           *r,
             PalDocumentError  code,
             const char       *path,
             PalRule          *rule,
             const char       *format,
             va_list           args)
{
  g_autofree char *message = NULL;

  if (path != NULL)
    g_hash_table_add (r->faulty, g_strdup (path));
  if (r->problems->len >= MAX_KEPT)
    {
      r->n_dropped++;
      return;
    }
  message = g_strdup_vprintf (format, args);
  g_ptr_array_add (r->problems, pal_problem_new (code, path, rule, message));
}

static void G_GNUC_PRINTF (5, 6)
reader_add (Reader           *r,
            PalDocumentError  code,
            const char       *path,
            PalRule          *rule,
            const char       *format,
            ...)
{
  va_list args;

  va_start (args, format);
  reader_addv (r, code, path, rule, format, args);
  va_end (args);
}

/* A problem with the member called member of the object at object_path. */
static void G_GNUC_PRINTF (6, 7)
reader_add_member (Reader           *r,
                   PalDocumentError  code,
                   const char       *object_path,
                   const char       *member,
                   PalRule          *rule,
                   const char       *format,
                   ...)
{
  g_autofree char *path = pal_json_path_member (object_path, member);
  va_list args;

  va_start (args, format);
  reader_addv (r, code, path, rule, format, args);
  va_end (args);
}

/* "a string", "an array", "true", "1.5", … for "must be X, not Y" messages.
 * Strings are not quoted: they may be long. */
static char *
describe_node (const PalJsonValue *node)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  switch (node->kind)
    {
    case PAL_JSON_OBJECT:
      return g_strdup (_("an object"));
    case PAL_JSON_ARRAY:
      return g_strdup (_("an array"));
    case PAL_JSON_STRING:
      return g_strdup (_("a string"));
    case PAL_JSON_BOOLEAN:
      return g_strdup (node->v.boolean ? "true" : "false");
    case PAL_JSON_INTEGER:
      return g_strdup_printf ("%" G_GINT64_FORMAT, node->v.integer);
    case PAL_JSON_DOUBLE:
      return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, node->v.number));
    case PAL_JSON_NULL:
    default:
      return g_strdup ("null");
    }
}

/* expected is untranslated (N_()): most reads find the right type, and
 * only a mistake needs the translation. */
static void
report_type (Reader             *r,
             const char         *path,
             PalRule            *rule,
             const char         *expected,
             const PalJsonValue *node)
{
  g_autofree char *found = describe_node (node);

  reader_add (r, PAL_DOCUMENT_ERROR_TYPE, path, rule, _("Must be %s, not %s."), _(expected), found);
}

/* The member called name when it has the kind wanted; NULL when it is
 * absent, or of another kind (reported). The member's path is only built
 * for a report: reading a large document builds none. */
static const PalJsonValue *
typed_member (Reader             *r,
              const PalJsonValue *object,
              const char         *object_path,
              const char         *name,
              PalRule            *rule,
              PalJsonKind         kind,
              const char         *expected)
{
  const PalJsonValue *node = pal_json_value_get_member (object, name);

  g_autofree char *found = NULL;

  if (node == NULL || node->kind == kind)
    return node;
  found = describe_node (node);
  reader_add_member (r, PAL_DOCUMENT_ERROR_TYPE, object_path, name, rule,
                     _("Must be %s, not %s."), _(expected), found);
  return NULL;
}

static gboolean
read_bool (Reader             *r,
           const PalJsonValue *object,
           const char         *object_path,
           const char         *name,
           PalRule            *rule,
           gboolean           *value)
{
  const PalJsonValue *node = typed_member (r, object, object_path, name, rule,
                                           PAL_JSON_BOOLEAN, N_("true or false"));

  if (node == NULL)
    return FALSE;
  *value = node->v.boolean;
  return TRUE;
}

/* The string member (owned by the tree), NULL when absent or not a string. */
static const char *
read_string (Reader             *r,
             const PalJsonValue *object,
             const char         *object_path,
             const char         *name,
             PalRule            *rule)
{
  const PalJsonValue *node = typed_member (r, object, object_path, name, rule,
                                           PAL_JSON_STRING, N_("a string"));

  return node != NULL ? node->v.string : NULL;
}

/* An integer member; FALSE when absent or not an integer. */
static gboolean
read_integer (Reader             *r,
              const PalJsonValue *object,
              const char         *object_path,
              const char         *name,
              gint64             *value)
{
  const PalJsonValue *node = typed_member (r, object, object_path, name, NULL,
                                           PAL_JSON_INTEGER, N_("a whole number"));

  if (node == NULL)
    return FALSE;
  *value = node->v.integer;
  return TRUE;
}

static gboolean
read_duration (Reader             *r,
               const PalJsonValue *object,
               const char         *object_path,
               const char         *name,
               guint64            *seconds)
{
  g_autoptr(GError) error = NULL;
  const char *text = read_string (r, object, object_path, name, NULL);

  if (text == NULL)
    return FALSE;
  if (!pal_duration_parse (text, seconds, &error))
    {
      reader_add_member (r, PAL_DOCUMENT_ERROR_INVALID_VALUE, object_path, name, NULL,
                         "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* An array of strings; an element of another type is reported and read as
 * "" so the indexes of the others stay those of the file. */
static GStrv
read_strings (Reader             *r,
              const PalJsonValue *object,
              const char         *object_path,
              const char         *name,
              guint               max)
{
  g_autofree char *path = pal_json_path_member (object_path, name);
  const PalJsonValue *array = typed_member (r, object, object_path, name, NULL,
                                            PAL_JSON_ARRAY, N_("an array"));
  g_autoptr(GStrvBuilder) builder = NULL;
  guint i = 0;

  if (array == NULL)
    return NULL;
  if (array->length > max)
    {
      reader_add (r, PAL_DOCUMENT_ERROR_LIMIT, path, NULL,
                  _("The list has %u entries; it may have at most %u."), array->length, max);
      return NULL;
    }

  builder = g_strv_builder_new ();
  for (const PalJsonValue *node = array->v.first; node != NULL; node = node->next, i++)
    {
      if (node->kind == PAL_JSON_STRING)
        {
          g_strv_builder_add (builder, node->v.string);
          continue;
        }
      g_autofree char *element_path = pal_json_path_index (path, i);
      report_type (r, element_path, NULL, N_("a string"), node);
      g_strv_builder_add (builder, "");
    }
  return g_strv_builder_end (builder);
}

/* The members of object that this version does not know, or NULL. */
static JsonObject *
extra_members (const PalJsonValue *object,
               const char *const  *known)
{
  JsonObject *extra = NULL;

  for (const PalJsonValue *member = object->v.first; member != NULL; member = member->next)
    {
      if (pal_fwdoc_is_known_member (known, member->name))
        continue;
      if (extra == NULL)
        extra = json_object_new ();
      json_object_set_member (extra, member->name, pal_json_value_to_node (member));
    }
  return extra;
}

/* ------------------------------------------------------------------ */
/* Rules                                                               */

static void read_children (Reader             *r,
                           const PalJsonValue *object,
                           GString            *path,
                           PalRule            *rule,
                           guint               depth);

/* The string member that every rule needs; reported when missing.
 * missing is untranslated (N_()). */
static const char *
read_required (Reader             *r,
               const PalJsonValue *object,
               const char         *path,
               PalRule            *rule,
               const char         *member,
               const char         *missing)
{
  if (pal_json_value_get_member (object, member) == NULL)
    {
      reader_add_member (r, PAL_DOCUMENT_ERROR_MISSING, path, member, rule, "%s", _(missing));
      return NULL;
    }
  return read_string (r, object, path, member, rule);
}

static void
read_property (Reader             *r,
               const PalJsonValue *object,
               const char         *path,
               PalRule            *rule)
{
  const char *name = read_required (r, object, path, rule, "property",
                                    N_("Missing: every rule needs a property."));
  const char *reason;
  PalProperty property;

  if (name == NULL)
    return;
  if (pal_property_from_string (name, &property))
    pal_rule_set_property (rule, property);
  else if ((reason = pal_property_unsupported_reason (name)) != NULL)
    reader_add_member (r, PAL_DOCUMENT_ERROR_UNSUPPORTED, path, "property", rule, "%s", reason);
  else
    reader_add_member (r, PAL_DOCUMENT_ERROR_INVALID_VALUE, path, "property", rule,
                       _("\"%s\" is not a property."), name);
}

static void
read_action (Reader             *r,
             const PalJsonValue *object,
             const char         *path,
             PalRule            *rule)
{
  const char *name = read_required (r, object, path, rule, "action",
                                    N_("Missing: every rule needs an action."));
  const char *reason;
  PalAction action;

  if (name == NULL)
    return;
  if (pal_action_from_string (name, &action))
    pal_rule_set_action (rule, action);
  else if ((reason = pal_action_unsupported_reason (name)) != NULL)
    reader_add_member (r, PAL_DOCUMENT_ERROR_UNSUPPORTED, path, "action", rule, "%s", reason);
  else
    reader_add_member (r, PAL_DOCUMENT_ERROR_INVALID_VALUE, path, "action", rule,
                       _("\"%s\" is not an action."), name);
}

static void
read_relation (Reader             *r,
               const PalJsonValue *object,
               const char         *path,
               PalRule            *rule)
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
  reader_add_member (r, PAL_DOCUMENT_ERROR_INVALID_VALUE, path, "relation", rule,
                     _("\"%s\" is not a relation; write is or is-not."), name);
  /* The validator narrows the children's traffic only below "is"; a
   * relation we could not read must not make their checks fail too. */
  pal_rule_set_relation (rule, PAL_RELATION_IS_NOT);
}

/* A new rule with the file's id; a random one when it has none or a bad
 * one (reported once the rule exists, so the problem can name it). */
static PalRule *
new_rule (Reader             *r,
          const PalJsonValue *object,
          const char         *path)
{
  PalRule *rule;
  const PalJsonValue *node = pal_json_value_get_member (object, "id");
  const char *id = node != NULL && node->kind == PAL_JSON_STRING ? node->v.string : NULL;

  if (id != NULL && g_uuid_string_is_valid (id))
    return pal_rule_new_with_id (id);

  rule = pal_rule_new (PAL_PROPERTY_ANY, PAL_ACTION_PASS);
  /* Reported as a type mistake unless it is a string. */
  if (typed_member (r, object, path, "id", rule, PAL_JSON_STRING, N_("a string")) != NULL)
    reader_add_member (r, PAL_DOCUMENT_ERROR_INVALID_VALUE, path, "id", rule,
                       _("\"%s\" is not a rule id; an id is a UUID like "
                         "5f0c6a4e-6a8e-4d6b-9f43-0d1f9d8a2b11."), id);
  return rule;
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
 * its default. Returns NULL only when there is no rule to speak of. path is
 * the reader's buffer: children extend it while they are read. */
static PalRule *
read_rule (Reader             *r,
           const PalJsonValue *object,
           GString            *path,
           guint               depth)
{
  g_autoptr(PalRule) rule = NULL;
  g_autoptr(JsonObject) extra = NULL;
  const char *text;
  gboolean flag;

  if (object->kind != PAL_JSON_OBJECT)
    {
      report_type (r, path->str, NULL, N_("an object (a rule)"), object);
      /* A stand-in, so that the paths of the rules after it stay right. */
      return pal_rule_new (PAL_PROPERTY_ANY, PAL_ACTION_PASS);
    }
  if (!count_rule (r, path->str))
    return NULL;

  rule = new_rule (r, object, path->str);
  if (read_bool (r, object, path->str, "enabled", rule, &flag))
    pal_rule_set_enabled (rule, flag);
  if ((text = read_string (r, object, path->str, "name", rule)) != NULL)
    pal_rule_set_name (rule, text);
  read_property (r, object, path->str, rule);
  read_relation (r, object, path->str, rule);
  if ((text = read_string (r, object, path->str, "value", rule)) != NULL)
    pal_rule_set_value (rule, text);
  read_action (r, object, path->str, rule);
  if ((text = read_string (r, object, path->str, "parameter", rule)) != NULL)
    pal_rule_set_parameter (rule, text);
  if (read_bool (r, object, path->str, "read-only", rule, &flag))
    pal_rule_set_read_only (rule, flag);
  read_children (r, object, path, rule, depth);

  extra = extra_members (object, pal_fwdoc_rule_members);
  pal_rule_set_extra (rule, extra);
  return g_steal_pointer (&rule);
}

/* Rules of array (at path) into rules, stopping once there are too many. */
static void
read_rule_array (Reader             *r,
                 const PalJsonValue *array,
                 GString            *path,
                 guint               depth,
                 GPtrArray          *rules)
{
  gsize length = path->len;
  guint i = 0;

  for (const PalJsonValue *node = array->v.first; node != NULL; node = node->next, i++)
    {
      PalRule *rule;

      pal_json_path_append_index (path, i);
      rule = read_rule (r, node, path, depth);
      g_string_truncate (path, length);
      if (rule == NULL)
        return;
      g_ptr_array_add (rules, rule);
    }
}

static void
read_children (Reader             *r,
               const PalJsonValue *object,
               GString            *path,
               PalRule            *rule,
               guint               depth)
{
  g_autoptr(GPtrArray) children = NULL;
  const PalJsonValue *array = typed_member (r, object, path->str, "children", rule,
                                            PAL_JSON_ARRAY, N_("an array"));
  gsize length = path->len;

  if (array == NULL || array->length == 0)
    return;
  pal_json_path_append_member (path, "children");
  if (depth + 1 >= PAL_DOCUMENT_MAX_DEPTH)
    reader_add (r, PAL_DOCUMENT_ERROR_LIMIT, path->str, rule,
                _("Rules may nest at most %d levels deep."), PAL_DOCUMENT_MAX_DEPTH);
  else
    {
      children = g_ptr_array_new_with_free_func (g_object_unref);
      read_rule_array (r, array, path, depth + 1, children);
      for (guint i = 0; i < children->len; i++)
        pal_rule_append_child (rule, g_ptr_array_index (children, i));
    }
  g_string_truncate (path, length);
}

/* ------------------------------------------------------------------ */
/* Document settings                                                   */

static void
read_version (Reader             *r,
              const PalJsonValue *object,
              PalDocument        *document)
{
  gint64 version;

  if (pal_json_value_get_member (object, "fwdoc") == NULL)
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
read_default (Reader             *r,
              const PalJsonValue *object,
              PalDocument        *document)
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
read_interface (Reader             *r,
                const PalJsonValue *object,
                PalDocument        *document)
{
  g_autofree char *path = pal_json_path_member ("interfaces", object->name);
  g_autoptr(PalInterfaceConfig) config = NULL;
  g_autoptr(JsonObject) extra = NULL;
  gboolean flag;

  if (object->kind != PAL_JSON_OBJECT)
    {
      report_type (r, path, NULL, N_("an object"), object);
      return;
    }
  config = pal_interface_config_new (object->name);
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
read_interfaces (Reader             *r,
                 const PalJsonValue *root,
                 PalDocument        *document)
{
  const PalJsonValue *object = typed_member (r, root, "", "interfaces", NULL,
                                             PAL_JSON_OBJECT, N_("an object"));

  if (object == NULL)
    return;
  if (object->length > PAL_DOCUMENT_MAX_INTERFACES)
    {
      reader_add (r, PAL_DOCUMENT_ERROR_LIMIT, "interfaces", NULL,
                  _("There are %u interfaces; a document may list at most %d."),
                  object->length, PAL_DOCUMENT_MAX_INTERFACES);
      return;
    }
  for (const PalJsonValue *member = object->v.first; member != NULL; member = member->next)
    read_interface (r, member, document);
}

static void
read_triggered (Reader             *r,
                const PalJsonValue *root,
                PalDocument        *document)
{
  const PalJsonValue *object = typed_member (r, root, "", "triggered", NULL,
                                             PAL_JSON_OBJECT, N_("an object"));
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
               const PalJsonValue  *object,
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
read_adaptive (Reader             *r,
               const PalJsonValue *root,
               PalDocument        *document)
{
  const PalJsonValue *object = typed_member (r, root, "", "adaptive", NULL,
                                             PAL_JSON_OBJECT, N_("an object"));
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

/* The rules of array (the document's or the clipboard's) at path. */
static GPtrArray *
read_rules_at (Reader             *r,
               const PalJsonValue *array,
               const char         *path)
{
  GPtrArray *rules = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) buffer = g_string_sized_new (128);

  g_string_append (buffer, path);
  read_rule_array (r, array, buffer, 0, rules);
  return rules;
}

static void
read_rules (Reader             *r,
            const PalJsonValue *root,
            PalDocument        *document)
{
  g_autoptr(GPtrArray) rules = NULL;
  const PalJsonValue *array = typed_member (r, root, "", "rules", NULL,
                                            PAL_JSON_ARRAY, N_("an array"));

  if (array == NULL)
    return;
  rules = read_rules_at (r, array, "rules");
  pal_document_set_rules (document, rules);
}

static PalDocument *
read_document (Reader             *r,
               const PalJsonValue *root)
{
  g_autoptr(PalDocument) document = pal_document_new ();
  g_autoptr(JsonObject) extra = NULL;
  gboolean enabled;

  if (root->kind != PAL_JSON_OBJECT)
    {
      g_autofree char *what = describe_node (root);
      reader_add (r, PAL_DOCUMENT_ERROR_TYPE, "", NULL,
                  _("A document must be a JSON object, not %s."), what);
      return NULL;
    }
  read_version (r, root, document);
  if (read_bool (r, root, "", "enabled", NULL, &enabled))
    pal_document_set_enabled (document, enabled);
  read_default (r, root, document);
  /* Absent in documents older than the setting: off. */
  if (read_bool (r, root, "", "log-denied", NULL, &enabled))
    pal_document_set_log_denied (document, enabled);
  read_interfaces (r, root, document);
  read_triggered (r, root, document);
  read_adaptive (r, root, document);
  read_rules (r, root, document);
  extra = extra_members (root, pal_fwdoc_document_members);
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

/* Starts reading data: the size, then the text's tree (owned by
 * *locator), or NULL with the problem noted. */
static const PalJsonValue *
reader_start (Reader          *r,
              const char      *data,
              gssize           length,
              PalJsonLocator **locator)
{
  PalProblem *problem = NULL;

  reader_init (r);
  if (length < 0)
    length = strlen (data);
  if (!check_size (r, length))
    return NULL;

  *locator = pal_json_locator_new (data, length, PAL_JSON_MAX_DEPTH, &problem);
  if (*locator == NULL)
    {
      g_ptr_array_add (r->problems, problem);
      return NULL;
    }
  return pal_json_locator_get_root (*locator);
}

PalDocument *
pal_fwdoc_load_data (const char   *data,
                     gssize        length,
                     const char   *display_name,
                     GPtrArray   **problems,
                     GError      **error)
{
  g_autoptr(PalJsonLocator) locator = NULL;
  g_autoptr(PalDocument) document = NULL;
  const PalJsonValue *root;
  Reader r;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((root = reader_start (&r, data, length, &locator)) != NULL)
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
  g_autoptr(GPtrArray) rules = NULL;
  const PalJsonValue *root;
  Reader r;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = reader_start (&r, data, length, &locator);
  if (root != NULL && root->kind == PAL_JSON_ARRAY)
    rules = read_rules_at (&r, root, "");
  else if (root != NULL)
    {
      g_autofree char *what = describe_node (root);
      reader_add (&r, PAL_DOCUMENT_ERROR_TYPE, "", NULL,
                  _("Rules on the clipboard are a JSON array of rules, not %s."), what);
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
