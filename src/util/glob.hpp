#pragma once
/// Path globs of `--exclude`, `exclude:` and `per-path:` (docs/configuration.md), read the way
/// .gitignore and ruff read them.
#include <string>
#include <string_view>

namespace rl {

/// Whether `glob` matches the whole of `path` ('/'-separated): `*` is any run of characters but '/',
/// `?` one such character, `[abc]` / `[!a-z]` a class, `\` escapes the next character, and `**` as a
/// whole segment any number of folders (`**/x`, `x/**`, `a/**/b`).
bool glob_match(std::string_view glob, std::string_view path);

/// Whether `glob` covers `rel`, a relative '/'-separated path, or a folder it lies in. A glob without '/'
/// (but a trailing one) matches any single segment: `*.bak` is any file so named, `vendor` any folder of
/// that name with everything below it. A glob with a '/' is anchored at the base (`legacy/*.conf`,
/// `/old`, `conf.d/**`). A trailing '/' matches folders only. A leading `./` is dropped.
bool glob_covers(std::string_view glob, std::string_view rel);

/// Whether `glob` covers `file` (any path), relative to `base_dir` ("" = the current folder): glob_covers on
/// the normalised relative path. A file outside base_dir is only covered by a single-segment glob, matched
/// against the segments of its absolute path.
bool glob_covers_file(std::string_view glob, const std::string& file, const std::string& base_dir);

}  // namespace rl
