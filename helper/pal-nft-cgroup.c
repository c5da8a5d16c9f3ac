/* pal-nft-cgroup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "pal-helper-error.h"
#include "pal-nft-cgroup.h"

#define CGROUP2_SUPER_MAGIC 0x63677270
/* How deep a unit that is not where systemd usually puts it is searched. */
#define SEARCH_DEPTH 4

static gboolean
is_cgroup2 (const char *path)
{
  struct statfs fs;

  return statfs (path, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

char *
pal_nft_cgroup_find_root (GError **error)
{
  if (is_cgroup2 ("/sys/fs/cgroup"))
    return g_strdup ("/sys/fs/cgroup");
  if (is_cgroup2 ("/sys/fs/cgroup/unified"))
    return g_strdup ("/sys/fs/cgroup/unified");
  g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_NOT_SUPPORTED,
                       "There is no cgroup2 hierarchy, so service rules cannot match");
  return NULL;
}

/* Where units are looked up: the mount's root, or PAL_CGROUP_ROOT below
 * it; prefix is the latter's path below the mount ("" for the root). */
static gboolean
find_base (char   **mount,
           char   **prefix,
           GError **error)
{
  const char *override = g_getenv ("PAL_CGROUP_ROOT");

  *mount = pal_nft_cgroup_find_root (error);
  if (*mount == NULL)
    return FALSE;
  if (override == NULL || *override == '\0')
    {
      *prefix = g_strdup ("");
      return TRUE;
    }
  if (!g_str_has_prefix (override, *mount) || override[strlen (*mount)] != '/'
      || !is_cgroup2 (override))
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_NOT_SUPPORTED,
                   "PAL_CGROUP_ROOT (%s) is not a cgroup below %s", override, *mount);
      return FALSE;
    }
  *prefix = g_strdup (override + strlen (*mount) + 1);
  return TRUE;
}

/* "a-b-c.slice" lives at a.slice/a-b.slice/a-b-c.slice. */
static char *
slice_path (const char *slice)
{
  g_autofree char *stem = g_strndup (slice, strlen (slice) - strlen (".slice"));
  g_autoptr(GString) path = g_string_new (NULL);
  g_auto(GStrv) parts = g_strsplit (stem, "-", -1);
  g_autoptr(GString) prefix = g_string_new (NULL);

  if (g_str_equal (slice, "-.slice"))
    return g_strdup ("");
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (i > 0)
        {
          g_string_append_c (prefix, '-');
          g_string_append_c (path, '/');
        }
      g_string_append (prefix, parts[i]);
      g_string_append_printf (path, "%s.slice", prefix->str);
    }
  return g_string_free (g_steal_pointer (&path), FALSE);
}

static gboolean
exists_below (const char *root,
              const char *path)
{
  g_autofree char *full = g_build_filename (root, path, NULL);

  return g_file_test (full, G_FILE_TEST_IS_DIR);
}

/* Breadth first, so the shallowest cgroup of that name wins. */
static char *
search (const char *root,
        const char *unit)
{
  g_autoptr(GPtrArray) level = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (level, g_strdup (""));
  for (guint depth = 0; depth < SEARCH_DEPTH && level->len > 0; depth++)
    {
      g_autoptr(GPtrArray) next = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < level->len; i++)
        {
          const char *dir_path = g_ptr_array_index (level, i);
          g_autofree char *full = g_build_filename (root, dir_path, NULL);
          g_autoptr(GDir) dir = g_dir_open (full, 0, NULL);
          const char *name;

          while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
            {
              g_autofree char *child = *dir_path ? g_build_filename (dir_path, name, NULL) : g_strdup (name);

              if (!exists_below (root, child))
                continue;
              if (g_str_equal (name, unit))
                return g_steal_pointer (&child);
              g_ptr_array_add (next, g_steal_pointer (&child));
            }
        }
      g_ptr_array_unref (level);
      level = g_steal_pointer (&next);
    }
  return NULL;
}

/* Where systemd puts a unit's cgroup. */
static char *
unit_path (const char *root,
           const char *unit)
{
  guint uid;

  if (g_str_has_suffix (unit, ".slice"))
    return slice_path (unit);
  if (sscanf (unit, "user@%u.service", &uid) == 1)
    return g_strdup_printf ("user.slice/user-%u.slice/%s", uid, unit);
  {
    g_autofree char *system = g_strconcat ("system.slice/", unit, NULL);

    if (exists_below (root, system))
      return g_steal_pointer (&system);
  }
  return search (root, unit);
}

static char *
resolve_path (const char *root,
              const char *name)
{
  const char *slash = strchr (name, '/');
  g_autofree char *first = NULL;
  g_autofree char *base = NULL;

  if (slash == NULL)
    return unit_path (root, name);
  if (exists_below (root, name))
    return g_strdup (name);
  /* "user@1000.service/app.slice": the first part is a unit. */
  first = g_strndup (name, slash - name);
  base = unit_path (root, first);
  return base != NULL ? g_build_filename (base, slash + 1, NULL) : NULL;
}

gboolean
pal_nft_cgroup_resolve (const char  *name,
                        char       **path,
                        guint64     *id,
                        guint       *level,
                        GError     **error)
{
  g_autofree char *mount = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *base = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *below_mount = NULL;
  g_autofree char *full = NULL;
  struct stat st;

  g_return_val_if_fail (name != NULL, FALSE);

  if (!find_base (&mount, &prefix, error))
    return FALSE;
  base = *prefix != '\0' ? g_build_filename (mount, prefix, NULL) : g_strdup (mount);
  relative = resolve_path (base, name);
  if (relative != NULL)
    {
      below_mount = *prefix != '\0' ? g_build_filename (prefix, relative, NULL) : g_strdup (relative);
      full = g_build_filename (mount, below_mount, NULL);
    }
  if (relative == NULL || *relative == '\0' || stat (full, &st) < 0 || !S_ISDIR (st.st_mode))
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_DOCUMENT,
                   "\"%s\" has no cgroup now (is the unit running?), so the rule cannot "
                   "name it", name);
      return FALSE;
    }

  /* The kernel counts levels from the mount's root. */
  *level = 1;
  for (const char *p = below_mount; *p != '\0'; p++)
    if (*p == '/' && p[1] != '\0')
      (*level)++;
  *id = st.st_ino;
  *path = g_steal_pointer (&below_mount);
  return TRUE;
}
