/* pal-log-prefix.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "pal-log-prefix.h"

char *
pal_log_prefix_format (guint32     key,
                       const char *text)
{
  GString *prefix = g_string_new (NULL);
  const char *end;

  g_string_printf (prefix, "#%u", key);
  if (text == NULL || *text == '\0')
    return g_string_free (prefix, FALSE);
  g_string_append_c (prefix, ' ');
  /* The longest start of text that fits, cut at a character. */
  for (end = text; *end != '\0'; )
    {
      const char *next = g_utf8_next_char (end);

      if (prefix->len + (gsize) (next - text) > PAL_LOG_PREFIX_MAX)
        break;
      end = next;
    }
  g_string_append_len (prefix, text, end - text);
  return g_string_free (prefix, FALSE);
}

gboolean
pal_log_prefix_parse (const char  *prefix,
                      guint32     *key,
                      const char **text)
{
  guint64 number = 0;
  const char *p;

  g_return_val_if_fail (prefix != NULL, FALSE);

  *text = prefix;
  if (prefix[0] != '#' || !g_ascii_isdigit (prefix[1]))
    return FALSE;
  for (p = prefix + 1; g_ascii_isdigit (*p); p++)
    {
      number = number * 10 + (guint64) (*p - '0');
      if (number > G_MAXUINT32)
        return FALSE;
    }
  if (*p != '\0' && *p != ' ')
    return FALSE;
  *key = number;
  *text = *p == ' ' ? p + 1 : p;
  return TRUE;
}

static void
log_rule_free (gpointer data)
{
  PalLogRule *rule = data;

  g_free (rule->id);
  g_free (rule->name);
  g_free (rule);
}

GHashTable *
pal_log_rules_new (void)
{
  return g_hash_table_new_full (NULL, NULL, NULL, log_rule_free);
}

void
pal_log_rules_add (GHashTable *rules,
                   guint32     key,
                   const char *id,
                   const char *name)
{
  PalLogRule *rule;

  g_return_if_fail (rules != NULL);
  g_return_if_fail (id != NULL);

  rule = g_new0 (PalLogRule, 1);
  rule->id = g_strdup (id);
  rule->name = g_strdup (name != NULL ? name : "");
  g_hash_table_replace (rules, GUINT_TO_POINTER (key), rule);
}

const PalLogRule *
pal_log_rules_lookup (GHashTable *rules,
                      guint32     key)
{
  return rules != NULL ? g_hash_table_lookup (rules, GUINT_TO_POINTER (key)) : NULL;
}
