/* spec: a default config.json, like runc's, for a shell in ./rootfs. */
#include "cli.h"
#include "commands.h"
#include "error.h"
#include "format.h"
#include "state_json.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Ambient capabilities need to be inheritable too; runc's default lists
 * them as ambient only, which the kernel cannot grant. */
static const char spec_head[] =
	"{\n"
	"\t\"ociVersion\": \"" OCI_VERSION "\",\n"
	"\t\"process\": {\n"
	"\t\t\"terminal\": true,\n"
	"\t\t\"user\": {\n"
	"\t\t\t\"uid\": 0,\n"
	"\t\t\t\"gid\": 0\n"
	"\t\t},\n"
	"\t\t\"args\": [\n"
	"\t\t\t\"sh\"\n"
	"\t\t],\n"
	"\t\t\"env\": [\n"
	"\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
	"\t\t\t\"TERM=xterm\"\n"
	"\t\t],\n"
	"\t\t\"cwd\": \"/\",\n"
	"\t\t\"capabilities\": {\n"
	"\t\t\t\"bounding\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],\n"
	"\t\t\t\"effective\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],\n"
	"\t\t\t\"inheritable\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],\n"
	"\t\t\t\"permitted\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],\n"
	"\t\t\t\"ambient\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"]\n"
	"\t\t},\n"
	"\t\t\"rlimits\": [\n"
	"\t\t\t{\n"
	"\t\t\t\t\"type\": \"RLIMIT_NOFILE\",\n"
	"\t\t\t\t\"hard\": 1024,\n"
	"\t\t\t\t\"soft\": 1024\n"
	"\t\t\t}\n"
	"\t\t],\n"
	"\t\t\"noNewPrivileges\": true\n"
	"\t},\n"
	"\t\"root\": {\n"
	"\t\t\"path\": \"rootfs\",\n"
	"\t\t\"readonly\": true\n"
	"\t},\n"
	"\t\"hostname\": \"runlet\",\n"
	"\t\"mounts\": [\n"
	"\t\t{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},\n"
	"\t\t{\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\",\n"
	"\t\t \"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]},\n"
	"\t\t{\"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\",\n"
	"\t\t \"options\": [\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", \"mode=0620\"%s]},\n"
	"\t\t{\"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\",\n"
	"\t\t \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\"]},\n"
	"\t\t{\"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", \"source\": \"mqueue\",\n"
	"\t\t \"options\": [\"nosuid\", \"noexec\", \"nodev\"]},\n"
	"%s"
	"\t\t{\"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\", \"source\": \"cgroup\",\n"
	"\t\t \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"relatime\", \"ro\"]}\n"
	"\t],\n"
	"\t\"linux\": {\n";

static const char sys_mount[] =
	"\t\t{\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\",\n"
	"\t\t \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"ro\"]},\n";

/* A user namespace cannot mount sysfs without a network namespace of its
 * own; it gets the host's, read-only. */
static const char sys_bind[] =
	"\t\t{\"destination\": \"/sys\", \"type\": \"none\", \"source\": \"/sys\",\n"
	"\t\t \"options\": [\"rbind\", \"nosuid\", \"noexec\", \"nodev\", \"ro\"]},\n";

static const char spec_resources[] =
	"\t\t\"resources\": {\n"
	"\t\t\t\"devices\": [{\"allow\": false, \"access\": \"rwm\"}]\n"
	"\t\t},\n";

static const char spec_tail[] =
	"\t\t\"maskedPaths\": [\n"
	"\t\t\t\"/proc/acpi\", \"/proc/asound\", \"/proc/kcore\", \"/proc/keys\",\n"
	"\t\t\t\"/proc/latency_stats\", \"/proc/timer_list\", \"/proc/timer_stats\",\n"
	"\t\t\t\"/proc/sched_debug\", \"/sys/firmware\", \"/proc/scsi\"\n"
	"\t\t],\n"
	"\t\t\"readonlyPaths\": [\n"
	"\t\t\t\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\", \"/proc/sysrq-trigger\"\n"
	"\t\t]\n"
	"\t}\n"
	"}\n";

static char text[8192];

static size_t build(bool rootless)
{
	size_t n;

	n = (size_t)fmt(text, sizeof(text), spec_head, rootless ? "" : ", \"gid=5\"",
			     rootless ? sys_bind : sys_mount);
	if (rootless) {
		n += (size_t)fmt(text + n, sizeof(text) - n,
				      "\t\t\"uidMappings\": [{\"containerID\": 0, \"hostID\": %u, \"size\": 1}],\n"
				      "\t\t\"gidMappings\": [{\"containerID\": 0, \"hostID\": %u, \"size\": 1}],\n"
				      "\t\t\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"ipc\"}, {\"type\": \"uts\"},"
				      " {\"type\": \"mount\"}, {\"type\": \"user\"}],\n",
				      (unsigned)getuid(), (unsigned)getgid());
	} else {
		n += (size_t)fmt(text + n, sizeof(text) - n, "%s",
				      spec_resources);
		n += (size_t)fmt(text + n, sizeof(text) - n, "%s",
				      "\t\t\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\"}, {\"type\": \"ipc\"},"
				      " {\"type\": \"uts\"}, {\"type\": \"mount\"}],\n");
	}
	n += (size_t)fmt(text + n, sizeof(text) - n, "%s", spec_tail);
	return n;
}

int cmd_spec(struct global *g, int argc, char **argv)
{
	const char *bundle = ".";
	bool rootless = false, help = false;
	const struct opt opts[] = {
		{ "bundle", 'b', OPT_STR, &bundle },
		{ "rootless", 0, OPT_BOOL, &rootless },
		{ NULL, 0, OPT_BOOL, NULL }
	};
	char path[4096];
	size_t n;
	int i = 1, fd;

	if (cli_parse(argc, argv, &i, opts, &help))
		return cli_usage_error("spec", "%s", error_msg());
	if (help) {
		cli_print_help(cli_find("spec"));
		return 0;
	}
	if (i != argc)
		return cli_usage_error("spec", "takes no operand");
	n = build(rootless);
	fmt(path, sizeof(path), "%s/config.json", bundle);
	fd = openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		fail(errno, errno == EEXIST ? "%s exists: remove it first" : "create %s", path);
		return cli_fail();
	}
	if (write(fd, text, n) != (ssize_t)n) {
		fail(errno, "write %s", path);
		close(fd);
		return cli_fail();
	}
	close(fd);
	return 0;
}
