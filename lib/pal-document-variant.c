/* pal-document-variant.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pal-document-variant.h"
#include "pal-helper-error.h"
#include "pal-value.h"

/* Linux's IFNAMSIZ, without the terminating NUL. */
#define INTERFACE_NAME_MAX 15

/* Hostile names can be megabytes long: messages quote only the start. */
#define QUOTE "\"%.64s\""

/* ---------------------------------------------------------------- encoding */

/* The model only holds UTF-8, but a GVariant string that is not would be a
 * critical, so never trust that blindly. */
static GVariant *
string_variant (const char *text)
{
  if (text == NULL)
    return g_variant_new_string ("");
  if (!g_utf8_validate (text, -1, NULL))
    return g_variant_new_take_string (g_utf8_make_valid (text, -1));
  return g_variant_new_string (text);
}

static GVariant *
strv_variant (const char * const *strv)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    g_variant_builder_add_value (&builder, string_variant (strv[i]));
  return g_variant_builder_end (&builder);
}

static GVariant *
interfaces_to_variant (PalDocument *document)
{
  GListModel *interfaces = pal_document_get_interfaces (document);
  guint n = g_list_model_get_n_items (interfaces);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sbbb)"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalInterfaceConfig) config = g_list_model_get_item (interfaces, i);

      g_variant_builder_add (&builder, "(@sbbb)",
                             string_variant (pal_interface_config_get_name (config)),
                             pal_interface_config_get_filter (config),
                             pal_interface_config_get_external (config),
                             pal_interface_config_get_bridge (config));
    }
  return g_variant_builder_end (&builder);
}

static GVariant *
adaptive_to_variant (const PalAdaptiveSettings *adaptive)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "enabled", g_variant_new_boolean (adaptive->enabled));
  g_variant_builder_add (&builder, "{sv}", "failures", g_variant_new_uint32 (adaptive->failures));
  g_variant_builder_add (&builder, "{sv}", "window", g_variant_new_uint64 (adaptive->window));
  g_variant_builder_add (&builder, "{sv}", "duration", g_variant_new_uint64 (adaptive->duration));
  g_variant_builder_add (&builder, "{sv}", "max-duration", g_variant_new_uint64 (adaptive->max_duration));
  g_variant_builder_add (&builder, "{sv}", "services",
                         strv_variant ((const char * const *) adaptive->services));
  return g_variant_builder_end (&builder);
}

static GVariant *
settings_to_variant (PalDocument *document)
{
  GVariantBuilder builder;
  PalVerdict verdict = pal_document_get_default_verdict (document);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "fwdoc",
                         g_variant_new_uint32 (pal_document_get_format_version (document)));
  g_variant_builder_add (&builder, "{sv}", "enabled",
                         g_variant_new_boolean (pal_document_get_enabled (document)));
  g_variant_builder_add (&builder, "{sv}", "default", string_variant (pal_verdict_to_string (verdict)));
  g_variant_builder_add (&builder, "{sv}", "log-denied",
                         g_variant_new_boolean (pal_document_get_log_denied (document)));
  g_variant_builder_add (&builder, "{sv}", "interfaces", interfaces_to_variant (document));
  g_variant_builder_add (&builder, "{sv}", "trigger-duration",
                         g_variant_new_uint64 (pal_document_get_trigger_duration (document)));
  g_variant_builder_add (&builder, "{sv}", "trusted", strv_variant (pal_document_get_trusted (document)));
  g_variant_builder_add (&builder, "{sv}", "adaptive",
                         adaptive_to_variant (pal_document_get_adaptive (document)));
  return g_variant_builder_end (&builder);
}

static GVariant *
rule_to_variant (PalRule *rule,
                 guint    depth)
{
  guint32 flags = 0;

  if (pal_rule_get_enabled (rule))
    flags |= PAL_RULE_FLAG_ENABLED;
  if (pal_rule_get_read_only (rule))
    flags |= PAL_RULE_FLAG_READ_ONLY;

  return g_variant_new ("(u@su@s@s@s@s@s@s)",
                        depth,
                        string_variant (pal_rule_get_id (rule)),
                        flags,
                        string_variant (pal_rule_get_name (rule)),
                        string_variant (pal_property_to_string (pal_rule_get_property (rule))),
                        string_variant (pal_relation_to_string (pal_rule_get_relation (rule))),
                        string_variant (pal_rule_get_value (rule)),
                        string_variant (pal_action_to_string (pal_rule_get_action (rule))),
                        string_variant (pal_rule_get_parameter (rule)));
}

/* Pre-order, as the outline reads from top to bottom. */
static void
add_rules (GVariantBuilder *builder,
           GListModel      *rules,
           guint            depth)
{
  guint n = g_list_model_get_n_items (rules);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (rules, i);

      g_variant_builder_add_value (builder, rule_to_variant (rule, depth));
      add_rules (builder, pal_rule_get_children (rule), depth + 1);
    }
}

GVariant *
pal_document_to_variant (PalDocument *document)
{
  GVariantBuilder rules;
  GVariant *settings;

  g_return_val_if_fail (PAL_IS_DOCUMENT (document), NULL);

  settings = settings_to_variant (document);
  g_variant_builder_init (&rules, G_VARIANT_TYPE ("a(usussssss)"));
  add_rules (&rules, pal_document_get_rules (document), 0);
  return g_variant_new ("(@a{sv}@a(usussssss))", settings, g_variant_builder_end (&rules));
}

/* ---------------------------------------------------------------- decoding */

static gboolean
check_length (const char  *text,
              gsize        max,
              gboolean     allow_empty,
              const char  *path,
              GError     **error)
{
  gsize length = strlen (text);

  if (length == 0 && !allow_empty)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                   "%s: must not be empty", path);
      return FALSE;
    }
  if (length > max)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                   "%s: is %" G_GSIZE_FORMAT " bytes long, more than the %" G_GSIZE_FORMAT " allowed",
                   path, length, max);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_count (gsize        count,
             gsize        max,
             const char  *path,
             GError     **error)
{
  if (count <= max)
    return TRUE;
  g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT,
               "%s: has %" G_GSIZE_FORMAT " entries, more than the %" G_GSIZE_FORMAT " allowed",
               path, count, max);
  return FALSE;
}

/* A list of names, each 1 to max_length bytes. Returns NULL on error. */
static char **
decode_strv (GVariant    *value,
             gsize        max_items,
             gsize        max_length,
             const char  *path,
             GError     **error)
{
  gsize n = g_variant_n_children (value);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (!check_count (n, max_items, path, error))
    return NULL;

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) item = g_variant_get_child_value (value, i);
      g_autofree char *item_path = g_strdup_printf ("%s[%" G_GSIZE_FORMAT "]", path, i);
      const char *text = g_variant_get_string (item, NULL);

      if (!check_length (text, max_length, FALSE, item_path, error))
        return NULL;
      g_strv_builder_add (builder, text);
    }
  return g_strv_builder_end (builder);
}

/* The members of a settings dictionary: each key known, once, of its type. */
typedef gboolean (*MemberDecodeFunc) (gpointer     target,
                                      GVariant    *value,
                                      const char  *path,
                                      GError     **error);
typedef struct
{
  const char       *key;
  const char       *type;
  MemberDecodeFunc  decode;
} DictMember;

static int
find_member (const DictMember *members,
             guint             n_members,
             const char       *key)
{
  for (guint i = 0; i < n_members; i++)
    if (g_str_equal (members[i].key, key))
      return i;
  return -1;
}

static gboolean
decode_dict (GVariant         *dict,
             const char       *prefix,
             const DictMember *members,
             guint             n_members,
             gpointer          target,
             GError          **error)
{
  gsize n = g_variant_n_children (dict);
  guint64 seen = 0;

  g_assert (n_members < 64);

  if (n > PAL_DOCUMENT_VARIANT_MAX_DICT)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                   "%s: has %" G_GSIZE_FORMAT " settings, more than the %d known",
                   prefix[0] != '\0' ? prefix : "settings", n, PAL_DOCUMENT_VARIANT_MAX_DICT);
      return FALSE;
    }

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) value = NULL;
      g_autofree char *path = NULL;
      const char *key;
      int index;

      g_variant_get_child (dict, i, "{&sv}", &key, &value);
      path = g_strdup_printf ("%s%.64s", prefix, key);
      index = find_member (members, n_members, key);
      if (index < 0)
        {
          g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                       "%s: is not a setting this version knows", path);
          return FALSE;
        }
      if (seen & (G_GUINT64_CONSTANT (1) << index))
        {
          g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                       "%s: is given twice", path);
          return FALSE;
        }
      seen |= G_GUINT64_CONSTANT (1) << index;
      if (!g_variant_is_of_type (value, G_VARIANT_TYPE (members[index].type)))
        {
          g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                       "%s: has type %.64s, expected %s",
                       path, g_variant_get_type_string (value), members[index].type);
          return FALSE;
        }
      if (!members[index].decode (target, value, path, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
decode_format (gpointer     target,
               GVariant    *value,
               const char  *path,
               GError     **error)
{
  guint32 version = g_variant_get_uint32 (value);

  if (version == 0 || version > PAL_FWDOC_VERSION)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                   "%s: format version %u is not one this helper understands (1 to %d)",
                   path, version, PAL_FWDOC_VERSION);
      return FALSE;
    }
  pal_document_set_format_version (target, version);
  return TRUE;
}

static gboolean
decode_enabled (gpointer     target,
                GVariant    *value,
                const char  *path,
                GError     **error)
{
  pal_document_set_enabled (target, g_variant_get_boolean (value));
  return TRUE;
}

static gboolean
decode_log_denied (gpointer     target,
                   GVariant    *value,
                   const char  *path,
                   GError     **error)
{
  pal_document_set_log_denied (target, g_variant_get_boolean (value));
  return TRUE;
}

static gboolean
decode_default (gpointer     target,
                GVariant    *value,
                const char  *path,
                GError     **error)
{
  const char *name = g_variant_get_string (value, NULL);
  PalVerdict verdict;

  if (!pal_verdict_from_string (name, &verdict))
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                   "%s: " QUOTE " is not a verdict (pass, drop or reject)", path, name);
      return FALSE;
    }
  pal_document_set_default_verdict (target, verdict);
  return TRUE;
}

/* The kernel's rules for a device name: not "." or "..", no '/', ':' or
 * white space, at most 15 bytes. */
static gboolean
check_interface_name (const char  *name,
                      const char  *path,
                      GError     **error)
{
  if (!check_length (name, INTERFACE_NAME_MAX, FALSE, path, error))
    return FALSE;
  if (g_str_equal (name, ".") || g_str_equal (name, "..") || strpbrk (name, "/: \t\n\r\v\f") != NULL)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                   "%s: " QUOTE " is not a network interface name", path, name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
decode_interfaces (gpointer     target,
                   GVariant    *value,
                   const char  *path,
                   GError     **error)
{
  gsize n = g_variant_n_children (value);

  if (!check_count (n, PAL_DOCUMENT_MAX_INTERFACES, path, error))
    return FALSE;

  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *name_path = g_strdup_printf ("%s[%" G_GSIZE_FORMAT "].name", path, i);
      g_autoptr(PalInterfaceConfig) config = NULL;
      const char *name;
      gboolean filter, external, bridge;

      g_variant_get_child (value, i, "(&sbbb)", &name, &filter, &external, &bridge);
      if (!check_interface_name (name, name_path, error))
        return FALSE;
      if (pal_document_lookup_interface (target, name) != NULL)
        {
          g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                       "%s: interface " QUOTE " is listed twice", name_path, name);
          return FALSE;
        }
      config = pal_interface_config_new (name);
      pal_interface_config_set_filter (config, filter);
      pal_interface_config_set_external (config, external);
      pal_interface_config_set_bridge (config, bridge);
      pal_document_set_interface (target, config);
    }
  return TRUE;
}

static gboolean
decode_trigger_duration (gpointer     target,
                         GVariant    *value,
                         const char  *path,
                         GError     **error)
{
  pal_document_set_trigger_duration (target, g_variant_get_uint64 (value));
  return TRUE;
}

static gboolean
decode_trusted (gpointer     target,
                GVariant    *value,
                const char  *path,
                GError     **error)
{
  g_auto(GStrv) trusted = decode_strv (value, PAL_DOCUMENT_MAX_TRUSTED,
                                       PAL_DOCUMENT_MAX_NAME_LENGTH, path, error);

  if (trusted == NULL)
    return FALSE;
  pal_document_set_trusted (target, (const char * const *) trusted);
  return TRUE;
}

static gboolean
decode_adaptive_enabled (gpointer     target,
                         GVariant    *value,
                         const char  *path,
                         GError     **error)
{
  ((PalAdaptiveSettings *) target)->enabled = g_variant_get_boolean (value);
  return TRUE;
}

static gboolean
decode_adaptive_failures (gpointer     target,
                          GVariant    *value,
                          const char  *path,
                          GError     **error)
{
  ((PalAdaptiveSettings *) target)->failures = g_variant_get_uint32 (value);
  return TRUE;
}

static gboolean
decode_adaptive_window (gpointer     target,
                        GVariant    *value,
                        const char  *path,
                        GError     **error)
{
  ((PalAdaptiveSettings *) target)->window = g_variant_get_uint64 (value);
  return TRUE;
}

static gboolean
decode_adaptive_duration (gpointer     target,
                          GVariant    *value,
                          const char  *path,
                          GError     **error)
{
  ((PalAdaptiveSettings *) target)->duration = g_variant_get_uint64 (value);
  return TRUE;
}

static gboolean
decode_adaptive_max_duration (gpointer     target,
                              GVariant    *value,
                              const char  *path,
                              GError     **error)
{
  ((PalAdaptiveSettings *) target)->max_duration = g_variant_get_uint64 (value);
  return TRUE;
}

static gboolean
decode_adaptive_services (gpointer     target,
                          GVariant    *value,
                          const char  *path,
                          GError     **error)
{
  PalAdaptiveSettings *adaptive = target;
  char **services = decode_strv (value, PAL_DOCUMENT_VARIANT_MAX_SERVICES,
                                 PAL_DOCUMENT_MAX_NAME_LENGTH, path, error);

  if (services == NULL)
    return FALSE;
  g_strfreev (adaptive->services);
  adaptive->services = services;
  return TRUE;
}

static const DictMember adaptive_members[] = {
  { "enabled", "b", decode_adaptive_enabled },
  { "failures", "u", decode_adaptive_failures },
  { "window", "t", decode_adaptive_window },
  { "duration", "t", decode_adaptive_duration },
  { "max-duration", "t", decode_adaptive_max_duration },
  { "services", "as", decode_adaptive_services },
};

static gboolean
decode_adaptive (gpointer     target,
                 GVariant    *value,
                 const char  *path,
                 GError     **error)
{
  g_autoptr(PalAdaptiveSettings) adaptive = pal_adaptive_settings_new ();
  g_autofree char *prefix = g_strconcat (path, ".", NULL);

  if (!decode_dict (value, prefix, adaptive_members, G_N_ELEMENTS (adaptive_members),
                    adaptive, error))
    return FALSE;
  pal_document_set_adaptive (target, adaptive);
  return TRUE;
}

static const DictMember settings_members[] = {
  { "fwdoc", "u", decode_format },
  { "enabled", "b", decode_enabled },
  { "default", "s", decode_default },
  { "log-denied", "b", decode_log_denied },
  { "interfaces", "a(sbbb)", decode_interfaces },
  { "trigger-duration", "t", decode_trigger_duration },
  { "trusted", "as", decode_trusted },
  { "adaptive", "a{sv}", decode_adaptive },
};

/* Where each depth's current rule sits, to name it as the .fwdoc reader
 * and the validator do: rules[3].children[0]. */
typedef struct
{
  PalRule    *parents[PAL_DOCUMENT_MAX_DEPTH];  /* borrowed from the tree */
  guint       positions[PAL_DOCUMENT_MAX_DEPTH];
  GPtrArray  *top;
  GHashTable *ids;                              /* borrowed from the rules */
} RuleDecoder;

typedef struct
{
  guint32     depth;
  const char *id;
  guint32     flags;
  const char *name;
  const char *property;
  const char *relation;
  const char *value;
  const char *action;
  const char *parameter;
} RuleFields;

static char *
rule_path (RuleDecoder *decoder,
           guint        depth,
           const char  *member)
{
  GString *path = g_string_new (NULL);

  for (guint d = 0; d <= depth; d++)
    g_string_append_printf (path, d == 0 ? "rules[%u]" : ".children[%u]", decoder->positions[d]);
  g_string_append_printf (path, ".%s", member);
  return g_string_free (path, FALSE);
}

/* Each rule may open one level below the previous rule, never more, so the
 * flat list always describes a tree. */
static gboolean
place_rule (RuleDecoder  *decoder,
            gsize         index,
            guint32       depth,
            guint32       previous,
            GError      **error)
{
  if (depth >= PAL_DOCUMENT_MAX_DEPTH)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                   "rules: rule %" G_GSIZE_FORMAT " (counting depth first) is nested %u deep, "
                   "more than the %d levels allowed", index, depth + 1, PAL_DOCUMENT_MAX_DEPTH);
      return FALSE;
    }
  if ((index == 0 && depth != 0) || (index > 0 && depth > previous + 1))
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                   "rules: rule %" G_GSIZE_FORMAT " (counting depth first) has depth %u, "
                   "but a rule can only be one level below the rule before it (depth %d)",
                   index, depth, index == 0 ? -1 : (int) previous);
      return FALSE;
    }
  if (index == 0 || depth > previous)
    decoder->positions[depth] = 0;
  else
    decoder->positions[depth]++;
  return TRUE;
}

static gboolean
fail_rule (RuleDecoder       *decoder,
           const RuleFields  *fields,
           PalHelperError     code,
           const char        *member,
           const char        *message,
           GError           **error)
{
  g_autofree char *path = rule_path (decoder, fields->depth, member);

  g_set_error (error, PAL_HELPER_ERROR, code, "%s: %s", path, message);
  return FALSE;
}

static gboolean
check_rule_text (RuleDecoder       *decoder,
                 const RuleFields  *fields,
                 const char        *member,
                 const char        *text,
                 gsize              max,
                 GError           **error)
{
  g_autofree char *path = NULL;

  if (strlen (text) <= max)
    return TRUE;
  path = rule_path (decoder, fields->depth, member);
  return check_length (text, max, TRUE, path, error);
}

/* Names are checked here, values and parameters by the validator. */
static PalRule *
new_rule (RuleDecoder       *decoder,
          const RuleFields  *fields,
          GError           **error)
{
  g_autoptr(PalRule) rule = NULL;
  g_autofree char *message = NULL;
  PalProperty property;
  PalRelation relation;
  PalAction action;
  const char *reason;

  if (!pal_property_from_string (fields->property, &property))
    {
      reason = pal_property_unsupported_reason (fields->property);
      message = reason != NULL ? g_strdup (reason)
                               : g_strdup_printf (QUOTE " is not a property", fields->property);
      fail_rule (decoder, fields, PAL_HELPER_ERROR_INVALID_DOCUMENT, "property", message, error);
      return NULL;
    }
  if (!pal_relation_from_string (fields->relation, &relation))
    {
      message = g_strdup_printf (QUOTE " is not a relation (is or is-not)", fields->relation);
      fail_rule (decoder, fields, PAL_HELPER_ERROR_INVALID_DOCUMENT, "relation", message, error);
      return NULL;
    }
  if (!pal_action_from_string (fields->action, &action))
    {
      reason = pal_action_unsupported_reason (fields->action);
      message = reason != NULL ? g_strdup (reason)
                               : g_strdup_printf (QUOTE " is not an action", fields->action);
      fail_rule (decoder, fields, PAL_HELPER_ERROR_INVALID_DOCUMENT, "action", message, error);
      return NULL;
    }

  rule = pal_rule_new (property, action);
  if (!pal_rule_set_id (rule, fields->id))
    {
      message = g_strdup_printf (QUOTE " is not a UUID", fields->id);
      fail_rule (decoder, fields, PAL_HELPER_ERROR_INVALID_DOCUMENT, "id", message, error);
      return NULL;
    }
  pal_rule_set_relation (rule, relation);
  pal_rule_set_enabled (rule, (fields->flags & PAL_RULE_FLAG_ENABLED) != 0);
  pal_rule_set_read_only (rule, (fields->flags & PAL_RULE_FLAG_READ_ONLY) != 0);
  pal_rule_set_name (rule, fields->name);
  pal_rule_set_value (rule, fields->value);
  pal_rule_set_parameter (rule, fields->parameter);
  return g_steal_pointer (&rule);
}

static gboolean
check_rule_fields (RuleDecoder       *decoder,
                   const RuleFields  *fields,
                   GError           **error)
{
  /* A rule another program added is shown with its nft text as name,
   * which can be longer than a name a person types. */
  gsize name_max = (fields->flags & PAL_RULE_FLAG_READ_ONLY) ? PAL_VALUE_MAX_LENGTH
                                                             : PAL_DOCUMENT_MAX_NAME_LENGTH;
  guint32 unknown = fields->flags & ~(PAL_RULE_FLAG_ENABLED | PAL_RULE_FLAG_READ_ONLY);

  if (unknown != 0)
    {
      g_autofree char *message = g_strdup_printf ("unknown flag bits 0x%x", unknown);
      return fail_rule (decoder, fields, PAL_HELPER_ERROR_INVALID_ARGS, "flags", message, error);
    }
  return check_rule_text (decoder, fields, "name", fields->name, name_max, error) &&
         check_rule_text (decoder, fields, "value", fields->value, PAL_VALUE_MAX_LENGTH, error) &&
         check_rule_text (decoder, fields, "parameter", fields->parameter,
                          PAL_DOCUMENT_VARIANT_MAX_PARAMETER, error);
}

static gboolean
attach_rule (RuleDecoder       *decoder,
             const RuleFields  *fields,
             PalRule           *rule,
             GError           **error)
{
  const char *id = pal_rule_get_id (rule);

  if (g_hash_table_contains (decoder->ids, id))
    {
      g_autofree char *message = g_strdup_printf ("id %s is used by an earlier rule too", id);
      return fail_rule (decoder, fields, PAL_HELPER_ERROR_INVALID_DOCUMENT, "id", message, error);
    }
  g_hash_table_add (decoder->ids, (gpointer) id);

  if (fields->depth == 0)
    g_ptr_array_add (decoder->top, g_object_ref (rule));
  else
    pal_rule_append_child (decoder->parents[fields->depth - 1], rule);
  decoder->parents[fields->depth] = rule;
  return TRUE;
}

static gboolean
decode_rules (PalDocument  *document,
              GVariant     *rules,
              GError      **error)
{
  g_autoptr(GPtrArray) top = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  RuleDecoder decoder = { .top = top, .ids = ids };
  gsize n = g_variant_n_children (rules);
  guint32 previous = 0;

  if (!check_count (n, PAL_DOCUMENT_MAX_RULES, "rules", error))
    return FALSE;

  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = NULL;
      RuleFields fields;

      g_variant_get_child (rules, i, "(u&su&s&s&s&s&s&s)",
                           &fields.depth, &fields.id, &fields.flags, &fields.name,
                           &fields.property, &fields.relation, &fields.value,
                           &fields.action, &fields.parameter);
      if (!place_rule (&decoder, i, fields.depth, previous, error) ||
          !check_rule_fields (&decoder, &fields, error))
        return FALSE;
      rule = new_rule (&decoder, &fields, error);
      if (rule == NULL || !attach_rule (&decoder, &fields, rule, error))
        return FALSE;
      previous = fields.depth;
    }

  pal_document_set_rules (document, top);
  return TRUE;
}

PalDocument *
pal_document_from_variant (GVariant  *variant,
                           GError   **error)
{
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GVariant) settings = NULL;
  g_autoptr(GVariant) rules = NULL;

  g_return_val_if_fail (variant != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_variant_is_of_type (variant, PAL_DOCUMENT_VARIANT_TYPE))
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                   "The document has type %.64s, expected %s",
                   g_variant_get_type_string (variant), PAL_DOCUMENT_VARIANT_TYPE_STRING);
      return NULL;
    }
  /* Serialised data from outside D-Bus (files, fuzzers) may hold strings
   * that are not UTF-8; GVariant would read them as "" without a word. */
  if (!g_variant_is_normal_form (variant))
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                           "The document is not well formed (a string that is not UTF-8, "
                           "or inconsistent framing)");
      return NULL;
    }

  document = pal_document_new ();
  settings = g_variant_get_child_value (variant, 0);
  rules = g_variant_get_child_value (variant, 1);
  if (!decode_dict (settings, "", settings_members, G_N_ELEMENTS (settings_members),
                    document, error) ||
      !decode_rules (document, rules, error))
    return NULL;
  return g_steal_pointer (&document);
}
