SUMMARY = "Minimalistic JSON parser in C (header only)"
HOMEPAGE = "https://github.com/zserge/jsmn"
SECTION = "devel"
LICENSE = "MIT"
LIC_FILES_CHKSUM = "file://LICENSE;md5=5adc94605a1f7a797a9a834adbe335e3"

SRC_URI = "git://github.com/zserge/jsmn.git;protocol=https;branch=master"
# Tag v1.1.0
SRCREV = "fdcef3ebf886fa210d14956d3c068a653e76a24e"
S = "${@d.getVar('UNPACKDIR') or d.getVar('WORKDIR')}/git"

do_configure[noexec] = "1"
do_compile[noexec] = "1"

do_install() {
	install -D -m 0644 ${S}/jsmn.h ${D}${includedir}/jsmn.h
}

# Only a header: the -dev package carries it, the main one is empty.
ALLOW_EMPTY:${PN} = "1"
BBCLASSEXTEND = "native nativesdk"
