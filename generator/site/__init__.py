"""The site stage: the rendered docs/ → a static site, built by MkDocs with mkdocs-material.

- `mkdocs_yml`: the MkDocs config a build uses, written by the generator: the
  package's `theme/mkdocs.yml` (theme, extensions, plugins) plus what `digest.yml`
  decides (name, URL, language, folders, nav). No hooks and no custom plugins,
  so `mkdocs build -f` that file, or `zensical build -f`, builds the site;
- `build`: checks the site folder, runs the build, reports what it did;
- `serve`: a plain static server on 127.0.0.1 for reading the built site.
"""
