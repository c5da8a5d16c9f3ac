/* ctl-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ctl-common.h"
#include "ctl-verb.h"

GOptionContext *
pal_ctl_option_context_new (const char         *parameters,
                            const char         *summary,
                            const GOptionEntry *entries)
{
  GOptionContext *context;

  context = g_option_context_new (parameters != NULL ? _(parameters) : NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (summary != NULL)
    g_option_context_set_summary (context, _(summary));
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

gboolean
pal_ctl_parse_options (GOptionContext   *context,
                       int              *argc,
                       char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;
  pal_ctl_usage_error ("%s", error->message);
  return FALSE;
}

static void print_message (const char *format,
                           va_list     args) G_GNUC_PRINTF (1, 0);

static void
print_message (const char *format,
               va_list     args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  g_printerr ("%s: %s\n", g_get_prgname (), message);
}

int
pal_ctl_usage_error (const char *format,
                     ...)
{
  va_list args;

  va_start (args, format);
  print_message (format, args);
  va_end (args);
  g_printerr (_("Try “%s --help” for more information.\n"), g_get_prgname ());
  return PAL_CTL_EXIT_USAGE;
}

void
pal_ctl_error (const char *format,
               ...)
{
  va_list args;

  va_start (args, format);
  print_message (format, args);
  va_end (args);
}

gboolean
pal_ctl_use_unicode (void)
{
  return g_get_charset (NULL);
}

static guint
char_width (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;
  return g_unichar_iswide (c) ? 2 : 1;
}

guint
pal_ctl_text_width (const char *text)
{
  guint width = 0;

  g_return_val_if_fail (text != NULL, 0);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    width += char_width (g_utf8_get_char (p));
  return width;
}

/* Controls, and the bidirectional overrides that would make a table lie
 * about what a cell says. */
static gboolean
is_unsafe (gunichar c)
{
  return g_unichar_iscntrl (c)
         || (c >= 0x202A && c <= 0x202E)
         || (c >= 0x2066 && c <= 0x2069);
}

static char *
truncate_to_width (const char *text,
                   guint       max_width)
{
  gboolean unicode = pal_ctl_use_unicode ();
  guint ellipsis_width = unicode ? 1 : 3;
  GString *out = g_string_new (NULL);
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (width + char_width (c) + ellipsis_width > max_width)
        break;
      g_string_append_unichar (out, c);
      width += char_width (c);
    }
  g_string_append (out, unicode ? "…" : "...");
  return g_string_free (out, FALSE);
}

char *
pal_ctl_text_sanitize (const char *text,
                       guint       max_width)
{
  gunichar replacement = pal_ctl_use_unicode () ? 0xFFFD : '?';
  g_autoptr(GString) out = NULL;
  g_autofree char *valid = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  /* File names from the command line need not be UTF-8. */
  valid = g_utf8_make_valid (text, -1);
  out = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_string_append_unichar (out, is_unsafe (c) ? replacement : c);
    }
  if (max_width > 0 && pal_ctl_text_width (out->str) > max_width)
    return truncate_to_width (out->str, max_width);
  return g_strdup (out->str);
}

struct _PalCtlTable
{
  guint      n_columns;
  GPtrArray *rows;   /* GStrv of n_columns cells */
};

PalCtlTable *
pal_ctl_table_new (guint n_columns)
{
  PalCtlTable *table = g_new0 (PalCtlTable, 1);

  g_return_val_if_fail (n_columns > 0, NULL);

  table->n_columns = n_columns;
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  return table;
}

void
pal_ctl_table_free (PalCtlTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->rows);
  g_free (table);
}

void
pal_ctl_table_add_row (PalCtlTable        *table,
                       const char * const *cells)
{
  char **row;

  g_return_if_fail (table != NULL);
  g_return_if_fail (cells != NULL);

  row = g_new0 (char *, table->n_columns + 1);
  for (guint i = 0; i < table->n_columns; i++)
    row[i] = g_strdup (cells[i] != NULL ? cells[i] : "");
  g_ptr_array_add (table->rows, row);
}

static void
append_row (GString      *out,
            char * const *row,
            const guint  *widths,
            guint         n_columns)
{
  gsize start = out->len;

  for (guint i = 0; i < n_columns; i++)
    {
      g_string_append (out, row[i]);
      if (i + 1 == n_columns)
        break;
      for (guint w = pal_ctl_text_width (row[i]); w < widths[i] + 2; w++)
        g_string_append_c (out, ' ');
    }
  /* Empty last cells would leave padding behind. */
  while (out->len > start && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  g_string_append_c (out, '\n');
}

char *
pal_ctl_table_to_string (PalCtlTable *table)
{
  g_autofree guint *widths = NULL;
  GString *out;

  g_return_val_if_fail (table != NULL, NULL);

  widths = g_new0 (guint, table->n_columns);
  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      for (guint i = 0; i < table->n_columns; i++)
        widths[i] = MAX (widths[i], pal_ctl_text_width (row[i]));
    }
  out = g_string_new (NULL);
  for (guint r = 0; r < table->rows->len; r++)
    append_row (out, g_ptr_array_index (table->rows, r), widths, table->n_columns);
  return g_string_free (out, FALSE);
}
