# ShareKeeper's FUSE addon (sharekeeper_fuse.c): N-API only, against libfuse 3 (Debian: libfuse3-dev,
# found through pkg-config). Built by `npm run build:native` (node-gyp); when it cannot be built,
# main/mount/native-fuse.ts falls back to npm fuse-native. For Electron no rebuild is needed (N-API
# is ABI-stable); electron-rebuild would rebuild it the same way.
{
  "targets": [
    {
      "target_name": "sharekeeper_fuse",
      "sources": ["sharekeeper_fuse.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-Wall", "-Wextra", "-Wno-unused-parameter", "-O2", "<!@(pkg-config --cflags fuse3)"],
      "libraries": ["<!@(pkg-config --libs fuse3)"]
    }
  ]
}
