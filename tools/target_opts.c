// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * target_opts: the namespaces -p, -n and -u name, and the words an admin
 * needs when one of them cannot be looked at.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "pin.h"
#include "target.h"
#include "target_opts.h"
#include "tool.h"

/* Says why a target cannot be looked at, in the words an admin needs. */
void tool_target_error_text(char *buf, size_t size, const char *what, int err)
{
	switch (err) {
	case EPERM:
		snprintf(buf, size,
			 "cannot enter %s: entering another network "
			 "namespace needs CAP_SYS_ADMIN (run nonet as root)",
			 what);
		break;
	case EACCES:
		snprintf(buf, size,
			 "cannot look into %s: permission denied (only root "
			 "may look into other users' processes)",
			 what);
		break;
	case ENOENT:
	case ESRCH: snprintf(buf, size, "%s does not exist", what); break;
	case EINVAL:
		snprintf(buf, size, "%s is not a network namespace", what);
		break;
	default: snprintf(buf, size, "cannot read %s: %s", what, strerror(err));
	}
}

void tool_target_error(const char *what, int err)
{
	char text[TOOL_TARGET_ERROR_MAX];

	tool_target_error_text(text, sizeof(text), what, err);
	tool_error("%s", text);
}

int tool_targets(const struct tool_target_opts *o, struct target_list *list,
		 char *what, size_t size)
{
	int ret;

	if (o->user) {
		struct passwd *pw = getpwnam(o->user);

		if (!pw) {
			tool_error("unknown user %s", o->user);
			return -1;
		}
		ret = target_by_user(pw->pw_uid, list);
		snprintf(what, size, "the processes of %s", o->user);
	} else if (o->netns) {
		ret = target_by_name(o->netns, list);
		snprintf(what, size, "network namespace %s (%s/%s)", o->netns,
			 PIN_DIR, o->netns);
	} else if (o->pid) {
		ret = target_by_pid(o->pid, list);
		snprintf(what, size, "process %d", (int)o->pid);
	} else {
		ret = target_self(list);
		snprintf(what, size, "this process's namespace");
	}
	if (ret < 0)
		tool_target_error(what, errno);
	return ret;
}
