{
  "targets": [{
    "target_name": "fuse",
    "variables": {
      "fuse__include_dirs%": "<!(pkg-config fuse --cflags-only-I | sed s/-I//g)",
      "fuse__libraries%": "<!(pkg-config --libs-only-L --libs-only-l fuse)"
    },
    "include_dirs": ["<!(node -e \"require('napi-macros')\")", "<@(fuse__include_dirs)"],
    "link_settings": { "libraries": ["<@(fuse__libraries)"] },
    "sources": ["fuse-native.c"],
    "cflags": ["-O3", "-Wall", "-D_FILE_OFFSET_BITS=64"]
  }]
}
