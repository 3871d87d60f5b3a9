# runlet links libseccomp statically: keep libseccomp.a in the sysroot
# (oe-core builds autotools recipes with --disable-static).
DISABLE_STATIC = ""
